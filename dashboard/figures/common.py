"""Figure helpers shared by every page."""

from __future__ import annotations

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
