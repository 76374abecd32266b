"""Server-rendered SVG bar charts (no JavaScript): plain strings from plain values.

Each row is the name on a line of its own, then the bar with its percentage beside it. The
chart is drawn 288 units wide and shown at its own size (narrower only below a 320 px
screen), so its 15-unit text reads at about 15 px on a phone.
"""

from dataclasses import dataclass
from html import escape

from lms.reports.figures import percentage

WIDTH = 288
LABEL_SIZE = 15
LABEL_HEIGHT = 20
BAR_HEIGHT = 18
ROW_GAP = 10
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
VALUE_WIDTH = 66
BAR_WIDTH = WIDTH - VALUE_WIDTH
MAX_LABEL_CHARS = 34


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # a percentage, 0..100


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def bar_chart(
    bars: list[Bar], title: str, threshold: float | None = None, locale: str = "vi"
) -> str:
    """A horizontal bar chart of percentages, one bar per row, as an accessible SVG."""
    height = ROW_HEIGHT * max(len(bars), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="chart-title">',
        f'<title id="chart-title">{escape(title)}</title>',
    ]
    for index, bar in enumerate(bars):
        parts.append(_bar(index, bar, locale))
    if threshold is not None and 0 <= threshold <= 100:
        x = BAR_WIDTH * threshold / 100
        parts.append(
            f'<line class="threshold" x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" '
            f'stroke="#b3261e" stroke-dasharray="4 3"/>'
        )
    if not bars:
        parts.append(f'<text x="4" y="{LABEL_HEIGHT}" font-size="{LABEL_SIZE}">–</text>')
    parts.append("</svg>")
    return "".join(parts)


def _bar(index: int, bar: Bar, locale: str) -> str:
    value = min(max(bar.value, 0.0), 100.0)
    top = index * ROW_HEIGHT
    bar_y = top + LABEL_HEIGHT
    text_y = bar_y + BAR_HEIGHT - 4
    length = BAR_WIDTH * value / 100
    label, shown = escape(bar.label), percentage(value, locale)
    return (
        f'<g class="bar"><title>{label}: {shown}</title>'
        f'<text x="0" y="{top + LABEL_HEIGHT - 5}" font-size="{LABEL_SIZE}" lang="vi">'
        f"{escape(_short(bar.label))}</text>"
        f'<rect x="0" y="{bar_y}" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" fill="#e3ebf5"/>'
        f'<rect x="0" y="{bar_y}" width="{length:.1f}" height="{BAR_HEIGHT}" fill="#0b57a4"/>'
        f'<text x="{BAR_WIDTH + 4}" y="{text_y}" font-size="{LABEL_SIZE}">{shown}</text>'
        f"</g>"
    )
