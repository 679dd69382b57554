"""Managing staff in the database, and publishing them to the live board."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select

from .. import numbers
from ..core.errors import FieldError
from ..core.permissions import ROLES
from ..store.models import Staff
from ..store.staffboard import StaffCard
from .helpline import Helpline

CSV_FIELDS = ("name", "contact", "languages", "lines", "role", "priority")


class StaffError(FieldError):
    """A staff field is wrong; the message names it (and a CSV row, when importing)."""


@dataclass(frozen=True)
class StaffFields:
    """Validated staff fields."""

    name: str
    contact: str | None
    languages: str
    lines: str
    role: str
    priority: int


def validate(h: Helpline, raw: Mapping[str, object], current: Staff | None = None) -> StaffFields:
    """Check every field (new values over ``current``); raise StaffError naming the first bad one."""
    cf = h.callflow

    def pick(name: str, default: object) -> str:
        value = raw.get(name)
        return str(default if value is None or value == "" else value).strip()

    name = pick("name", current.name if current else "")
    if not name or len(name) > 120:
        raise StaffError("name", "is required (at most 120 characters)")
    role = pick("role", current.role if current else "staff")
    if role not in ROLES:
        raise StaffError("role", f"must be one of {', '.join(ROLES)}")
    raw_contact = pick("contact", (current.contact or "") if current else "")
    contact: str | None = None
    if raw_contact or role == "staff":  # supervisors and admins who take no calls need no phone
        try:
            contact = numbers.staff_contact(raw_contact)
        except ValueError as exc:
            raise StaffError("contact", str(exc)) from None
    known_languages = [lang.code for lang in cf.languages]
    languages = _codes(pick("languages", current.languages if current else cf.default_language.code))
    unknown = [code for code in languages if code not in known_languages]
    if not languages or unknown:
        raise StaffError("languages", f"unknown language {unknown[0] if unknown else ''!r}; "
                                      f"configured: {', '.join(known_languages)}")
    known_lines = [line.id for line in cf.lines]
    lines = _codes(pick("lines", current.lines if current else ",".join(known_lines)))
    bad_lines = [line for line in lines if line not in known_lines]
    if not lines or bad_lines:
        raise StaffError("lines", f"unknown line {bad_lines[0] if bad_lines else ''!r}; "
                                  f"configured: {', '.join(known_lines)}")
    try:
        priority = int(pick("priority", current.priority if current else 100))
    except ValueError:
        raise StaffError("priority", "must be a whole number (lower rings first)") from None
    return StaffFields(name, contact, ",".join(languages), ",".join(lines), role, priority)


def _codes(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def add_staff(h: Helpline, raw: Mapping[str, object]) -> Staff:
    """Create a staff member (offline until they say they are available)."""
    fields = validate(h, raw)
    with h.database.session() as session:
        staff = Staff(**fields.__dict__, active=True)
        session.add(staff)
        session.flush()
    if staff.contact:
        h.board.publish([card(staff)])
    return staff


def update_staff(h: Helpline, staff_id: int, raw: Mapping[str, object]) -> Staff:
    """Change a staff member's details; the live board follows at once."""
    with h.database.session() as session:
        staff = session.get(Staff, staff_id)
        if staff is None:
            raise StaffError("id", f"no staff member {staff_id}")
        for name, value in validate(h, raw, current=staff).__dict__.items():
            setattr(staff, name, value)
    if staff.active and staff.contact:
        h.board.publish([card(staff)])
    elif not staff.contact:
        h.board.remove(staff_id)
    return staff


def deactivate_staff(h: Helpline, staff_id: int) -> Staff:
    """Stop routing calls to a staff member (their history stays)."""
    with h.database.session() as session:
        staff = session.get(Staff, staff_id)
        if staff is None:
            raise StaffError("id", f"no staff member {staff_id}")
        staff.active = False
    h.board.remove(staff_id)
    return staff


def list_staff(h: Helpline, include_inactive: bool = False) -> list[Staff]:
    """Staff members by id."""
    with h.database.session() as session:
        query = select(Staff).order_by(Staff.id)
        if not include_inactive:
            query = query.where(Staff.active.is_(True))
        return list(session.scalars(query))


def import_csv(h: Helpline, text: str) -> tuple[int, int]:
    """Add or update staff from CSV (matched by contact); all rows valid or nothing changes."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [name for name in ("name", "contact") if name not in (reader.fieldnames or [])]
    if missing:
        raise StaffError("csv", f"the header must name the columns {', '.join(CSV_FIELDS)}; "
                                f"missing {', '.join(missing)}")
    rows = []
    for number, row in enumerate(reader, start=2):
        try:
            rows.append(validate(h, row))
        except StaffError as exc:
            raise StaffError(f"row {number}: {exc.name}", exc.problem) from None
    added = updated = 0
    with h.database.session() as session:
        existing = {s.contact: s for s in session.scalars(select(Staff)) if s.contact}
        for fields in rows:
            staff = existing.get(fields.contact) if fields.contact else None
            if staff is None:
                staff = Staff(**fields.__dict__, active=True)
                session.add(staff)
                if fields.contact:
                    existing[fields.contact] = staff
                added += 1
            else:
                for name, value in fields.__dict__.items():
                    setattr(staff, name, value)
                staff.active = True
                updated += 1
    publish_all(h)
    return added, updated


def card(staff: Staff) -> StaffCard:
    """The live board's view of a staff member."""
    return StaffCard(id=staff.id, name=staff.name, contact=staff.contact or "",
                     languages=tuple(_codes(staff.languages)), lines=tuple(_codes(staff.lines)),
                     priority=staff.priority)


def publish_all(h: Helpline, staff: Iterable[Staff] | None = None) -> int:
    """Rebuild the live directory from the database (at worker start and by the sweep)."""
    active = [s for s in (staff if staff is not None else list_staff(h)) if s.active and s.contact]
    h.board.publish([card(s) for s in active], complete=True)
    return len(active)
