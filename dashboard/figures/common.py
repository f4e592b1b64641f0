"""Figure helpers shared by every page."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

import plotly.graph_objects as go

from dashboard.theme import plotly_template


def message_figure(message: str, theme: str = "light") -> go.Figure:
    """An empty chart that says why there is nothing to draw (instead of a blank)."""
    fig = go.Figure()
    fig.update_layout(
        template=plotly_template(theme),
        xaxis={"visible": False}, yaxis={"visible": False},
        annotations=[{"text": message, "showarrow": False, "xref": "paper", "yref": "paper",
                      "x": 0.5, "y": 0.5, "font": {"size": 14}}],
        margin={"l": 20, "r": 20, "t": 20, "b": 20}, height=300,
    )
    return fig


# On a phone (a 390 px screen) a chart's plot is ~300 px wide: at 13 px that is ~38
# characters of an axis title, and ~330 px of legend row. The modebar (Plotly's toolbar)
# takes the top ~30 px of the chart's right side.
PHONE_TITLE_CHARS = 38
PHONE_LEGEND_PX = 330
MODEBAR_PX = 30
AXIS_TITLE_PX = 13  # axis title size on a phone (Plotly's default is larger)
LINE_PX = 16  # one line of a 13 px title
LEGEND_ROW_PX = 25
NOTE_LINE_PX = 14  # one line of an 11 px note
# The legend in rows at the bottom of the chart, under the x-axis title.
PHONE_LEGEND = {
    "orientation": "h",
    "x": 0,
    "xref": "container",
    "y": 0,
    "yref": "container",
    "yanchor": "bottom",
}


def wrap_title(text: str, chars: int = PHONE_TITLE_CHARS) -> str:
    """`text` broken into lines of at most `chars` characters (at spaces): an axis title with
    its units that would run off the chart in one line."""
    if not text:
        return text
    words = text.replace("<br>", " ")  # a title wrapped before is wrapped again, not twice
    return "<br>".join(textwrap.wrap(words, chars, break_long_words=False))


def legend_rows(names: Iterable[str], width_px: float = PHONE_LEGEND_PX) -> int:
    """Rows a horizontal legend of `names` takes in `width_px`, as Plotly lays it out: one row
    if every entry fits side by side, else a grid of columns as wide as the widest entry (a
    40 px swatch and ~7 px a character): the room to leave for it below a phone chart."""
    widths = [40 + 7 * len(name) for name in names]
    if sum(widths) <= width_px:
        return 1
    columns = max(1, int(width_px // max(widths)))
    return -(-len(widths) // columns)  # ceil


def _above_plot(note) -> bool:
    """Whether an annotation is a note over the plot, placed on the chart (not on data)."""
    y = note.y if isinstance(note.y, int | float) else 0
    return note.xref == "paper" and note.yref == "paper" and y >= 1 and note.showarrow is False


def _lines(text: str | None) -> int:
    return text.count("<br>") + 1 if text else 0


def phone_layout(fig: go.Figure, narrow: bool, plot_px: int | None = None) -> go.Figure:
    """A finished chart laid out for a phone (`narrow`), unchanged otherwise: axis titles and
    the chart title broken into lines, the title below the modebar, the legend in rows under
    the x-axis title, and margins (and height) that leave room for all of it while the plot
    keeps its height (or `plot_px`)."""
    if not narrow:
        return fig
    layout = fig.layout
    old = layout.margin
    plot = plot_px or (layout.height or 450) - (old.t or 0) - (old.b or 0)
    x_lines = y_lines = y2_lines = 0
    for axis in fig.select_xaxes():
        text = wrap_title(axis.title.text)
        axis.update(automargin=True, title_text=text, title_font_size=AXIS_TITLE_PX)
        x_lines = max(x_lines, _lines(axis.title.text))
    for axis in fig.select_yaxes():
        # A y-axis title runs along its axis's height: one line as long as that allows.
        low, high = axis.domain or (0, 1)
        y_chars = max(PHONE_TITLE_CHARS, int(plot * (high - low) / 6.5))
        text = wrap_title(axis.title.text, y_chars)
        axis.update(automargin=True, title_text=text, title_font_size=AXIS_TITLE_PX)
        if axis.side == "right":
            y2_lines = max(y2_lines, _lines(axis.title.text))
        else:
            y_lines = max(y_lines, _lines(axis.title.text))
    entries = [t.name for t in fig.data if t.name and t.showlegend is not False]
    shown = layout.showlegend if layout.showlegend is not None else len(entries) > 1
    legend_px = legend_rows(entries) * LEGEND_ROW_PX + 6 if shown and entries else 0
    title = wrap_title(layout.title.text, PHONE_TITLE_CHARS + 6)
    notes = [a for a in layout.annotations if _above_plot(a)]
    for note in notes:  # plain notes wrap; HTML (a colour key) comes in lines already
        note.text = note.text if "<" in note.text else wrap_title(note.text, 50)
    notes_px = sum(NOTE_LINE_PX * _lines(note.text) + 4 for note in notes)
    margin = {
        "l": 42 + LINE_PX * y_lines,
        "r": 42 + LINE_PX * y2_lines if y2_lines else 12,
        "t": MODEBAR_PX + 6 + notes_px + (8 + 18 * _lines(title) if title else 0),
        "b": 34 + LINE_PX * x_lines + legend_px,
    }
    # Notes over the plot (a missing median, thinned points, the band key) and the title go in
    # a column from the chart's left edge, between the modebar and the plot: Plotly shifts a
    # title of several lines down into the plot, an annotation anchored on the plot does not.
    shift = 4
    for note in notes:
        note.update(x=0, xanchor="left", xshift=8 - margin["l"], y=1, yanchor="bottom")
        note.update(yshift=shift, align="left")
        shift += NOTE_LINE_PX * _lines(note.text) + 4
    if title:
        fig.add_annotation(
            text=title,
            name="phone-title",
            xref="paper",
            yref="paper",
            x=0,
            y=1,
            xanchor="left",
            yanchor="bottom",
            xshift=8 - margin["l"],
            yshift=shift,
            align="left",
            showarrow=False,
            font=layout.title.font.to_plotly_json(),
        )
        layout.title.text = None
    layout.update(margin=margin, height=plot + margin["t"] + margin["b"], legend=PHONE_LEGEND)
    return fig


# A browser draws a few thousand points per line as well as a million, and the answer stays
# small; every real weekly series since 1954 (~3,700 weeks) fits under it untouched.
MAX_POINTS = 5000


def thin(rows, max_points: int = MAX_POINTS):
    """Every k-th row of a Series/DataFrame (the last one kept) so at most `max_points`
    remain, and how many there were; returned unchanged when already small enough."""
    total = len(rows)
    if total <= max_points:
        return rows, total
    step = -(-total // max_points)  # ceil
    picked = list(range(total - 1, -1, -step))[::-1]
    return rows.iloc[picked], total


def note_thinned(fig: go.Figure, shown: int, total: int) -> go.Figure:
    """Say on the chart that it shows a sample of the points."""
    if shown < total:
        fig.add_annotation(
            text=f"Thinned: {shown:,} of {total:,} points shown",
            showarrow=False, xref="paper", yref="paper", x=1, y=1.08,
            xanchor="right", font={"size": 11},
        )
    return fig
