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
