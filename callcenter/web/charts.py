"""Small SVG charts drawn on the server: no script, no external library, readable offline."""
from __future__ import annotations

from collections.abc import Sequence
from html import escape

COLORS = ("#1a7f37", "#b42318", "#5b6b7b", "#16425b", "#b35900")


def stacked_bars(labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], title: str,
                 width: int = 720, height: int = 220) -> str:
    """A stacked bar chart (e.g. calls per hour: answered / abandoned / other), with a legend."""
    top, bottom, left = 24, 28, 34
    plot_h, plot_w = height - top - bottom, width - left - 8
    totals = [sum(values[i] for _, values in series) for i in range(len(labels))]
    peak = max(totals + [1])
    bar_w = plot_w / max(1, len(labels))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for tick in (0, peak):
        y = top + plot_h - plot_h * tick / peak
        parts.append(f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d5dbe1"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    for i, label in enumerate(labels):
        x, base = left + i * bar_w, float(top + plot_h)
        for color, (_, values) in zip(COLORS, series, strict=False):
            h = plot_h * values[i] / peak
            if h > 0:
                base -= h
                parts.append(f'<rect x="{x + 1:.1f}" y="{base:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
                             f'fill="{color}"><title>{escape(label)}: {values[i]}</title></rect>')
        if len(labels) <= 24:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - 10}" text-anchor="middle">{escape(label)}</text>')
    for n, (color, (name, _)) in enumerate(zip(COLORS, series, strict=False)):
        parts.append(f'<rect x="{left + n * 110}" y="4" width="10" height="10" fill="{color}"/>'
                     f'<text x="{left + n * 110 + 14}" y="13">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bars(items: Sequence[tuple[str, float]], title: str, unit: str = "", width: int = 720) -> str:
    """A horizontal bar per item (e.g. calls answered per staff member)."""
    row, left = 22, 160
    height = max(1, len(items)) * row + 10
    peak = max([value for _, value in items] + [1])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for n, (label, value) in enumerate(items):
        y = 5 + n * row
        w = (width - left - 60) * value / peak
        parts.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{escape(label)}</text>'
                     f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{row - 6}" fill="{COLORS[3]}"/>'
                     f'<text x="{left + w + 4:.1f}" y="{y + 13}">{value:g}{escape(unit)}</text>')
    parts.append("</svg>")
    return "".join(parts)
