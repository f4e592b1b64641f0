"""The event-study chart: an asset's path around each episode start (rebased to 100, or the
change in basis points for yields and spreads), one line per episode, with the median across
QE episodes and across QT episodes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.analytics.event_study import DAYS_PER_MONTH
from dashboard.episodes import Episode
from dashboard.figures.bands import KIND_LINE_COLORS
from dashboard.figures.common import message_figure, phone_layout
from dashboard.figures.compare import FONT
from dashboard.theme import plotly_template

# Each episode gets its own hue so lines stay apart; QT episodes are dashed so the kind reads
# at a glance; the medians are the thick lines in the kind's band colour.
EPISODE_SHADES = {
    "QE": ["#1f78b4", "#17a2b8", "#66a61e", "#6a3d9a", "#b15928"],
    "QT": ["#e6550d", "#d6336c", "#8c564b"],
}
EPISODE_DASH = {"QE": "solid", "QT": "dash"}
LEGEND_RANKS = {"QE": 2, "QT": 3}  # medians first, then QE, QT, the rest
PHONE_PLOT_PX = 320  # plot height on a phone, the legend in rows below it
MEDIAN_COLORS = {"QE": KIND_LINE_COLORS["QE"], "QT": KIND_LINE_COLORS["QT"]}


def paths_figure(
    paths: pd.DataFrame,
    episodes: Sequence[Episode],
    medians: dict[str, pd.Series],
    asset_label: str,
    rebased: bool,
    unit: str,
    theme: str = "light",
    narrow: bool = False,
) -> go.Figure:
    """Paths around each start. `paths`: index days from start, one column per episode id;
    `rebased`: True if values are rebased to 100 at the start, False if they are changes
    from the start in `unit`; `medians`: {"QE": series, "QT": series} over the same index.
    QE and QT episodes are drawn; other kinds start hidden (click the legend to show).
    `narrow` (a phone): the legend goes under the chart, which keeps 320 px of plot."""
    if paths.dropna(how="all").empty:
        return message_figure(f"No {asset_label} data around any episode start.", theme)
    months = paths.index.to_numpy() / DAYS_PER_MONTH
    fig = go.Figure()
    # An episode keeps its colour whichever asset is shown (by its rank within its kind).
    rank = {e.id: [x.id for x in episodes if x.kind == e.kind].index(e.id) for e in episodes}
    for episode in episodes:
        if episode.id not in paths.columns or paths[episode.id].isna().all():
            continue
        kind = episode.kind
        if kind in EPISODE_SHADES:
            shades = EPISODE_SHADES[kind]
            color = shades[rank[episode.id] % len(shades)]
        else:
            color = KIND_LINE_COLORS.get(kind, "#888888")
        dates = pd.Timestamp(episode.start) + pd.to_timedelta(paths.index, unit="D")
        fig.add_trace(
            go.Scatter(
                x=months,
                y=paths[episode.id],
                mode="lines",
                name=episode.name
                if "(" in episode.name
                else f"{episode.name} ({episode.start:%Y-%m})",
                legendrank=LEGEND_RANKS.get(kind, 4),
                line={"color": color, "width": 1.5, "dash": EPISODE_DASH.get(kind, "dot")},
                opacity=0.85,
                visible=True if kind in EPISODE_SHADES else "legendonly",
                customdata=np.array([f"{d:%Y-%m-%d}" for d in dates]),
                hovertemplate=(
                    f"{episode.name}<br>%{{customdata}} (%{{x:+.1f}} months)<br>"
                    + ("%{y:.1f}" if rebased else f"%{{y:+.0f}} {unit}")
                    + "<extra></extra>"
                ),
                legendgroup=kind,
            )
        )
    missing = []
    for kind, series in medians.items():
        if series.dropna().empty:
            missing.append(kind)
            continue
        fig.add_trace(
            go.Scatter(
                x=months,
                y=series,
                mode="lines",
                name=f"Median of {kind} episodes",
                legendrank=1,
                line={"color": MEDIAN_COLORS.get(kind, "#444"), "width": 4},
                hovertemplate=(
                    f"{kind} median<br>%{{x:+.1f}} months<br>"
                    + ("%{y:.1f}" if rebased else f"%{{y:+.0f}} {unit}")
                    + "<extra></extra>"
                ),
            )
        )
    if missing:
        fig.add_annotation(
            text=f"No {' or '.join(missing)} median: fewer than two of those episodes have "
            f"{asset_label} data.",
            xref="paper",
            yref="paper",
            x=1,
            y=1.02,
            xanchor="right",
            yanchor="bottom",
            showarrow=False,
            font={"size": 11, "color": "#6c757d"},
        )
    fig.add_vline(x=0, line={"color": "#6c757d", "width": 1, "dash": "dash"})
    fig.add_hline(y=100 if rebased else 0, line={"color": "#6c757d", "width": 1})
    fig.update_layout(
        template=plotly_template(theme),
        font=FONT,
        height=480,
        paper_bgcolor="rgba(0,0,0,0)",  # the card behind shows through, in either theme
        plot_bgcolor="rgba(0,0,0,0)",
        margin={"l": 70, "r": 20, "t": 40, "b": 50},
        hovermode="closest",
        legend={"orientation": "v", "x": 1.01, "y": 1, "font": {"size": 12}},
        title={
            "text": f"{asset_label} around each episode start",
            "font": {"size": 14},
        },
    )
    fig.update_xaxes(
        title_text="Months from the episode start",
        tickvals=[-3, 0, 3, 6, 9, 12],
        range=[months[0] - 0.1, months[-1] + 0.1],
        zeroline=False,
    )
    fig.update_yaxes(
        title_text=(
            f"{asset_label}, rebased: start = 100"
            if rebased
            else f"{asset_label}, change from start ({unit})"
        )
    )
    return phone_layout(fig, narrow, plot_px=PHONE_PLOT_PX)
