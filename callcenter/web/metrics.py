"""The metrics page: a period's calls, service level, abandonment, speed of answer, callbacks, staff."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, render_template, request
from markupsafe import Markup

from ..services import metrics
from . import charts
from .auth import helpline, require
from .display import OUTCOMES, label

bp = Blueprint("metrics", __name__)


def _date(name: str) -> date | None:
    value = request.args.get(name) or ""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        abort(400, description=f"{name}: a date like 2026-11-29")


@bp.get("/metrics")
@require("metrics")
def page() -> str:
    h = helpline()
    try:
        threshold = int(request.args.get("threshold") or h.callflow.service_level_seconds)
    except ValueError:
        abort(400, description="threshold: seconds, a whole number")
    report = metrics.report(h, metrics.period(h, _date("from"), _date("to")), max(1, min(threshold, 3600)))
    hours = [hour.label for hour in report.hours]
    per_hour = charts.stacked_bars(hours, [("answered", [x.answered for x in report.hours]),
                                           ("abandoned", [x.abandoned for x in report.hours]),
                                           ("other", [x.other for x in report.hours])], "Calls per hour")
    outcomes = charts.bars(sorted((label(OUTCOMES, name), count) for name, count in report.summary.outcomes.items()),
                           "Calls by outcome")
    staff = charts.bars([(name, f.answered) for name, f in report.staff], "Calls answered per staff member")
    return render_template("ui/metrics.html", report=report, per_hour=Markup(per_hour), outcomes=Markup(outcomes),
                           staff_chart=Markup(staff), args=request.args)
