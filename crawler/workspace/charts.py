"""Bar charts drawn on the server as SVG: no script, no chart library, nothing fetched from a CDN;
they print and they survive a browser with JavaScript off. Labels are escaped (category names
and engine names come from the store)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

BAR = 22  # height of one horizontal bar, px
LABEL_WIDTH = 120
WIDTH = 460
COLUMN_HEIGHT = 140
FONT = "font-family=\"'Noto Sans CJK SC','Microsoft YaHei',sans-serif\" font-size=\"12\""
COLOR = "#3b6ea5"


def bars(title: str, values: Sequence[tuple[str, int]]) -> Markup:
    """Horizontal bars, one per (label, value), longest scaled to the chart's width."""
    if not values:
        return _empty(title)
    top = max(value for _, value in values) or 1
    room = WIDTH - LABEL_WIDTH - 50
    height = BAR * len(values) + 8
    rows = []
    for index, (label, value) in enumerate(values):
        y = index * BAR + 4
        length = round(room * value / top)
        rows.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" {FONT}>'
            f"{escape(label)}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length}" height="{BAR - 6}" '
            f'fill="{COLOR}"><title>{escape(label)}：{value}</title></rect>'
            f'<text x="{LABEL_WIDTH + length + 4}" y="{y + 15}" {FONT}>{value}</text>')
    return _svg(title, WIDTH, height, "".join(rows))


def columns(title: str, values: Sequence[tuple[str, int]]) -> Markup:
    """Vertical columns over time (oldest left), labelled with the first and last day."""
    if not values:
        return _empty(title)
    top = max(value for _, value in values) or 1
    step = (WIDTH - 20) / len(values)
    parts = []
    for index, (label, value) in enumerate(values):
        height = round((COLUMN_HEIGHT - 10) * value / top)
        x = 10 + index * step
        parts.append(
            f'<rect x="{x:.1f}" y="{COLUMN_HEIGHT - height}" width="{max(step - 2, 1):.1f}" '
            f'height="{height}" fill="{COLOR}"><title>{escape(label)}：{value}</title></rect>')
    first, last = values[0][0], values[-1][0]
    parts.append(f'<text x="10" y="{COLUMN_HEIGHT + 16}" {FONT}>{escape(first)}</text>'
                 f'<text x="{WIDTH - 10}" y="{COLUMN_HEIGHT + 16}" text-anchor="end" {FONT}>'
                 f"{escape(last)}</text>"
                 f'<text x="{WIDTH - 10}" y="12" text-anchor="end" {FONT}>最多 {top}</text>')
    return _svg(title, WIDTH, COLUMN_HEIGHT + 22, "".join(parts))


def _svg(title: str, width: int, height: int, body: str) -> Markup:
    return Markup(f'<svg class="jz-chart" role="img" aria-label="{escape(title)}" '
                  f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
                  f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
                  f"{body}</svg>")


def _empty(title: str) -> Markup:
    return _svg(title, WIDTH, 30, f'<text x="4" y="20" {FONT}>暂无数据</text>')
