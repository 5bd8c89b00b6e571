"""Server-side SVG bar charts: geometry inside the drawing, round grid lines, every point in the table."""

from decimal import Decimal

from django.template.loader import render_to_string

from core.charts import HEIGHT, WIDTH, Point, bar_chart


def chart(values, **options):
    points = [Point(f"day {index}", Decimal(value), f"${value}") for index, value in enumerate(values)]
    return bar_chart(
        slug="test",
        title="Revenue",
        description="What it shows.",
        label_heading="Day",
        value_heading="Revenue",
        points=points,
        **options,
    )


def test_bars_fit_the_drawing_and_the_tallest_reaches_near_the_top():
    drawn = chart(["10", "45", "0", "30"])

    assert all(bar.x >= 0 and bar.x + bar.width <= WIDTH for bar in drawn.bars)
    assert all(bar.y >= 0 and bar.y + bar.height <= HEIGHT for bar in drawn.bars)
    assert [bar.height for bar in drawn.bars].index(max(bar.height for bar in drawn.bars)) == 1
    assert drawn.bars[2].height == 0
    assert [tick.label for tick in drawn.ticks] == ["0", "15", "30", "45", "60"]


def test_horizontal_bars_grow_with_their_count():
    drawn = chart(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"], horizontal=True)

    assert drawn.height > HEIGHT - 40 and len(drawn.bars) == 11
    assert all(bar.show_label for bar in drawn.bars)


def test_an_empty_chart_draws_no_bar_and_says_so():
    html = render_to_string("admin/includes/bar_chart.html", {"chart": chart([])})

    assert "<rect" not in html and "No figures for this period." in html


def test_the_template_names_the_image_and_tables_every_point():
    html = render_to_string("admin/includes/bar_chart.html", {"chart": chart(["1250.5", "3"], label_every=2)})

    assert 'role="img" aria-labelledby="test-title test-desc"' in " ".join(html.split())
    assert '<title id="test-title">Revenue</title>' in html and "What it shows." in html
    assert html.count("<tr>") == 3 and "$1250.5" in html and "day 1" in html
    assert html.count('class="bo-label"') == 1  # every second label under vertical bars
