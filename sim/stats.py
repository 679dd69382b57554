"""Numbers for reports: webhook latency percentiles per path, and request rates in sliding windows."""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .webhooks import Delivery

_ID = re.compile(r"/(CA|RE|QU)[0-9a-f]{32}")


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (``fraction`` in 0..1) of ``values``; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def path_of(delivery: Delivery) -> str:
    """The path a webhook went to, SIDs folded so they group."""
    return _ID.sub(lambda m: f"/{m.group(1)}…", delivery.path)


def latency_table(deliveries: Iterable[Delivery]) -> dict[str, dict[str, Any]]:
    """Per path: count, failures, p50/p95/p99/max latency in milliseconds."""
    groups: dict[str, list[Delivery]] = {}
    for delivery in deliveries:
        groups.setdefault(path_of(delivery), []).append(delivery)
    table = {}
    for path, items in sorted(groups.items()):
        ms = [d.latency * 1000 for d in items if d.error is None]
        table[path] = {"count": len(items), "failed": sum(1 for d in items if not d.ok),
                       "timeouts": sum(1 for d in items if d.error == "timeout"),
                       "p50_ms": round(percentile(ms, 0.50), 1), "p95_ms": round(percentile(ms, 0.95), 1),
                       "p99_ms": round(percentile(ms, 0.99), 1), "max_ms": round(max(ms, default=0.0), 1)}
    return table


def max_in_window(times: Iterable[float], window: float = 1.0) -> int:
    """The most events inside any ``window``-second span (times in seconds, any clock)."""
    ordered = sorted(times)
    best, start = 0, 0
    for end, at in enumerate(ordered):
        while at - ordered[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def format_table(table: dict[str, dict[str, Any]]) -> str:
    """The latency table as aligned text."""
    header = f"{'path':<34}{'count':>7}{'failed':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
    rows = [header, "-" * len(header)]
    for path, row in table.items():
        rows.append(f"{path[:33]:<34}{row['count']:>7}{row['failed']:>7}{row['p50_ms']:>9}{row['p95_ms']:>9}"
                    f"{row['p99_ms']:>9}{row['max_ms']:>9}")
    return "\n".join(rows)
