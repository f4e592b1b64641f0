"""QE/QT episode bands: shaded rectangles with labels and hover text, for any time chart."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard.episodes import KIND_LABELS, Episode

KIND_COLORS = {
    "QE": "rgba(46, 160, 67, 0.14)",
    "QT": "rgba(214, 39, 40, 0.12)",
    "RMP": "rgba(31, 119, 180, 0.14)",
    "TWIST": "rgba(148, 103, 189, 0.16)",
    "FACILITY": "rgba(255, 127, 14, 0.16)",
}
KIND_LINE_COLORS = {
    "QE": "rgb(46, 160, 67)",
    "QT": "rgb(214, 39, 40)",
    "RMP": "rgb(31, 119, 180)",
    "TWIST": "rgb(148, 103, 189)",
    "FACILITY": "rgb(255, 127, 14)",
}


def visible_episodes(episodes: Iterable[Episode], start: date, end: date,
                     today: date) -> list[Episode]:
    """Main episodes (no sub-phases) that overlap [start, end]."""
    return [e for e in episodes if not e.is_phase and e.start <= end and e.end_or(today) >= start]


def add_episode_bands(fig: go.Figure, episodes: Iterable[Episode], start: date, end: date,
                      today: date, label_row: bool = True) -> go.Figure:
    """Shade each episode overlapping [start, end] across every panel of `fig`, label it at
    the top, and add an invisible hover trace (name, dates, what the Fed did, source link).

    Bands are layout shapes spanning the full paper height (yref="paper"), so they sit under
    all stacked panels at once. Returns `fig` (modified in place).
    """
    shown = visible_episodes(episodes, start, end, today)
    hover_x, hover_text = [], []
    for episode in shown:
        x0 = max(pd.Timestamp(episode.start), pd.Timestamp(start))
        x1 = min(pd.Timestamp(episode.end_or(today)), pd.Timestamp(end))
        fig.add_shape(type="rect", xref="x", yref="paper", x0=x0, x1=x1, y0=0, y1=1,
                      fillcolor=KIND_COLORS[episode.kind], line_width=0, layer="below",
                      name=f"episode-{episode.id}")
        if label_row:
            fig.add_annotation(x=x0 + (x1 - x0) / 2, y=1.0, xref="x", yref="paper",
                               yanchor="bottom", text=episode.name, showarrow=False,
                               font={"size": 10, "color": KIND_LINE_COLORS[episode.kind]})
        ends = "ongoing" if episode.ongoing else f"{episode.end:%Y-%m-%d}"
        text = (f"<b>{episode.name}</b> ({KIND_LABELS[episode.kind]})<br>"
                f"announced {episode.announced:%Y-%m-%d}; {episode.start:%Y-%m-%d} → {ends}<br>"
                f"{episode.description}<br><a href='{episode.source_url}'>FOMC statement</a>")
        hover_x.append(x0 + (x1 - x0) / 2)
        hover_text.append(text)
    if shown:
        fig.add_trace(go.Scatter(
            x=hover_x, y=[1.0] * len(hover_x), yaxis="y", mode="markers",
            marker={"size": 10, "opacity": 0}, hovertext=hover_text, hoverinfo="text",
            name="Episodes", showlegend=False, meta="episode-hover",
        ))
    return fig
