"""Bar charts of the dashboard, drawn on the server as inline SVG: no script, no library, nothing to download.

A chart draws the columns of a ``dashboard.Figure`` named in its ``chart``, side by side for each row. The
figures themselves are read from the table that follows every chart (screen readers are pointed to it), so
the drawing only needs to be legible: bars, their values, a short label under each group and a legend.
Colours are set as SVG attributes (the Content-Security-Policy allows no inline styles) and keep at least
3:1 contrast with the white background.
"""

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 8, 8, 28, 40
COLOURS = ["#005ea2", "#c05600", "#4d8055", "#71767a"]  # blue, orange, green, grey of USWDS


def _scale(values):
    top = max((value for value in values if value is not None), default=0)
    return top if top > 0 else 1


def _bar(x, width, value, top, colour, label):
    plot_height = HEIGHT - TOP - BOTTOM
    height = round(plot_height * value / top, 1)
    y = TOP + plot_height - height
    return format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#1b1b1b">{}</text>',
        round(x, 1), y, round(width, 1), height, colour, label, value,
        round(x + width / 2, 1), y - 3, value,
    )


def bar_chart(figure):
    """The figure's charted columns as an SVG of grouped bars, or "" when it charts nothing."""
    if not figure.chart or not figure.rows:
        return ""
    series = [(figure.columns[column], [row[column] for row in figure.rows]) for column in figure.chart]
    top = _scale([value for _name, values in series for value in values])
    group_width = (WIDTH - LEFT - RIGHT) / len(figure.rows)
    bar_width = group_width * 0.8 / len(series)
    parts = []
    for index, label in enumerate(figure.bar_labels()):
        group_x = LEFT + index * group_width + group_width * 0.1
        for number, (name, values) in enumerate(series):
            if values[index] is not None:
                parts.append(_bar(group_x + number * bar_width, bar_width, values[index], top,
                                  COLOURS[number % len(COLOURS)], name))
        fits = max(int(group_width / 6.5), 4)  # characters of 11 px text that fit under a group
        short = label if len(label) <= fits else label[:fits - 1] + "…"
        parts.append(format_html('<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#1b1b1b">{}</text>',
                                 round(group_x + group_width * 0.4, 1), HEIGHT - BOTTOM + 16, short))
    baseline = HEIGHT - BOTTOM
    legend = format_html_join("", '<rect x="{}" y="6" width="12" height="12" fill="{}"></rect>'
                                  '<text x="{}" y="16" font-size="12" fill="#1b1b1b">{}</text>',
                              ((LEFT + number * 240, COLOURS[number % len(COLOURS)], LEFT + number * 240 + 16,
                                name) for number, (name, _values) in enumerate(series)))
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="dashboard-chart" viewBox="0 0 {} {}" width="100%" '
        'role="img" aria-label="{}">{}<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#565c65"></line>{}</svg>',
        WIDTH, HEIGHT, _("%(title)s (the figures are in the table below)") % {"title": figure.title},
        legend, LEFT, baseline, WIDTH - RIGHT, baseline, format_html_join("", "{}", ((part,) for part in parts)),
    )
