"""Bar charts drawn on the server as SVG (template `admin/includes/bar_chart.html`): no script, no CDN.

`bar_chart` computes the geometry; the template draws it with a title and a description that screen
readers announce (role="img"), and the same figures as a table beside it, so nothing is only visible.
"""

from dataclasses import dataclass, field
from decimal import Decimal

WIDTH = 640
HEIGHT = 240
MARGIN_LEFT = 56  # room for the value axis' labels
MARGIN_BOTTOM = 28  # room for the category labels (vertical bars)
LABEL_WIDTH = 170  # room for the category labels (horizontal bars)
TICKS = 4


@dataclass(frozen=True)
class Point:
    label: str  # the category ("2024-03-01", "Crime")
    value: Decimal | int
    shown: str  # the value as the table and the tooltip show it ("$12.50")
    extra: tuple[str, ...] = ()  # more figures for the table's other columns (`extra_headings`)


@dataclass(frozen=True)
class Bar:
    point: Point
    x: float
    y: float
    width: float
    height: float
    show_label: bool

    @property
    def center_x(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def center_y(self) -> float:
        return round(self.y + self.height / 2, 1)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass
class BarChart:
    """What the template draws. `slug` makes the SVG's ids unique on a page."""

    slug: str
    title: str
    description: str
    label_heading: str
    value_heading: str
    extra_headings: tuple[str, ...]
    horizontal: bool
    width: int
    height: int
    plot_left: float
    plot_bottom: float
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)

    @property
    def points(self) -> list[Point]:
        return [bar.point for bar in self.bars]


def _nice_ceiling(value: float) -> float:
    """The axis' top: 1, 2, 4, 6 or 8 times a power of ten, at or above `value`, so its quarters (the
    grid lines) are round numbers too."""
    if value <= 0:
        return 1.0
    power = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 4, 6, 8, 10):
        if step * power >= value:
            return step * power
    return 10.0 * power


def bar_chart(
    *,
    slug: str,
    title: str,
    description: str,
    label_heading: str,
    value_heading: str,
    points: list[Point],
    extra_headings: tuple[str, ...] = (),
    horizontal: bool = False,
    tick_format=lambda value: f"{value:g}",
    label_every: int = 1,
) -> BarChart:
    """Vertical bars (one per day, say) or horizontal ones (one per genre); `label_every` shows every
    n-th category label under vertical bars, so thirty days stay readable."""
    top = _nice_ceiling(max((float(point.value) for point in points), default=0))
    height = HEIGHT if not horizontal else max(60, 26 * len(points) + 30)
    chart = BarChart(
        slug=slug,
        title=title,
        description=description,
        label_heading=label_heading,
        value_heading=value_heading,
        extra_headings=extra_headings,
        horizontal=horizontal,
        width=WIDTH,
        height=height,
        plot_left=LABEL_WIDTH if horizontal else MARGIN_LEFT,
        plot_bottom=height - MARGIN_BOTTOM if not horizontal else height - 22,
    )
    plot_width = WIDTH - chart.plot_left - 24  # room for the last tick's label
    plot_height = chart.plot_bottom - 10
    slots = max(len(points), 1)
    for index, point in enumerate(points):
        share = float(point.value) / top
        if horizontal:
            slot = plot_height / slots
            bar = Bar(
                point,
                chart.plot_left,
                round(10 + index * slot + 3, 1),
                round(share * plot_width, 1),
                round(slot - 6, 1),
                True,
            )
        else:
            slot = plot_width / slots
            bar_height = share * plot_height
            bar = Bar(
                point,
                round(chart.plot_left + index * slot + slot * 0.1, 1),
                round(chart.plot_bottom - bar_height, 1),
                round(slot * 0.8, 1),
                round(bar_height, 1),
                index % label_every == 0,
            )
        chart.bars.append(bar)
    for step in range(TICKS + 1):
        value = top * step / TICKS
        position = (
            chart.plot_left + plot_width * step / TICKS
            if horizontal
            else chart.plot_bottom - plot_height * step / TICKS
        )
        chart.ticks.append(Tick(round(position, 1), tick_format(value)))
    return chart
