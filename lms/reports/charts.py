"""Server-rendered SVG bar charts (no JavaScript): plain strings from plain values."""

from dataclasses import dataclass
from html import escape

ROW_HEIGHT = 28
BAR_HEIGHT = 18
LABEL_WIDTH = 150
BAR_WIDTH = 160
VALUE_WIDTH = 50
MAX_LABEL_CHARS = 22


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # a percentage, 0..100


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def bar_chart(bars: list[Bar], title: str, threshold: float | None = None) -> str:
    """A horizontal bar chart of percentages, one bar per row, as an accessible SVG."""
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    height = ROW_HEIGHT * max(len(bars), 1) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" aria-labelledby="chart-title">',
        f'<title id="chart-title">{escape(title)}</title>',
    ]
    for index, bar in enumerate(bars):
        parts.append(_bar(index, bar))
    if threshold is not None and 0 <= threshold <= 100:
        x = LABEL_WIDTH + BAR_WIDTH * threshold / 100
        parts.append(
            f'<line class="threshold" x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" '
            f'stroke="#b3261e" stroke-dasharray="4 3"/>'
        )
    if not bars:
        parts.append(f'<text x="4" y="{ROW_HEIGHT - 10}">–</text>')
    parts.append("</svg>")
    return "".join(parts)


def _bar(index: int, bar: Bar) -> str:
    value = min(max(bar.value, 0.0), 100.0)
    y = index * ROW_HEIGHT + 4
    text_y = y + BAR_HEIGHT - 4
    length = BAR_WIDTH * value / 100
    label = escape(bar.label)
    return (
        f'<g class="bar"><title>{label}: {value:g}%</title>'
        f'<text x="0" y="{text_y}" font-size="12" lang="vi">{escape(_short(bar.label))}</text>'
        f'<rect x="{LABEL_WIDTH}" y="{y}" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" '
        f'fill="#e3ebf5"/>'
        f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" '
        f'fill="#0b57a4"/>'
        f'<text x="{LABEL_WIDTH + BAR_WIDTH + 4}" y="{text_y}" font-size="12">{value:g}%</text>'
        f"</g>"
    )
