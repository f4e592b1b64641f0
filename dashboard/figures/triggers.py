"""Figures for the Triggers page: a proximity gauge per trigger and a trigger's history.

Inputs are numbers from `dashboard.analytics.triggers` (proximity in %, values in the
trigger's units, spells as dates); nothing here reads data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.analytics.triggers import (
    APPROACHING,
    APPROACHING_AT,
    FIRING,
    NO_DATA,
    QUIET,
    Spell,
    format_value,
)
from dashboard.episodes import Episode
from dashboard.figures.bands import add_episode_bands
from dashboard.figures.common import message_figure
from dashboard.theme import DARK, plotly_template

# Bootstrap (Flatly) colours, so gauges match the status badges beside them.
STATUS_COLORS = {
    QUIET: "#18bc9c",
    APPROACHING: "#f39c12",
    FIRING: "#e74c3c",
    NO_DATA: "#95a5a6",
}
BAND_COLORS = {
    QUIET: "rgba(24, 188, 156, 0.16)",
    APPROACHING: "rgba(243, 156, 18, 0.30)",
}
FIRED_COLOR = "rgba(231, 76, 60, 0.85)"
FIRED_STRIP_META = "fired-strip"  # marks the trace of fired-spell bars
LINE_COLOR = {"light": "#2c3e50", "dark": "#dee2e6"}
FONT = {"family": "Lato, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13}


def display_units(units: str) -> tuple[float, str]:
    """(factor, axis label) for charts: millions of dollars are drawn in billions."""
    if units.lower().startswith("millions of usd"):
        return 1e-3, "Billions of USD"
    return 1.0, units[:1].upper() + units[1:]


def _ink(theme: str) -> str:
    return LINE_COLOR["dark" if theme == DARK else "light"]


def gauge_figure(proximity: float | None, status: str, theme: str = "light") -> go.Figure:
    """A half-circle gauge: the bar (needle) at `proximity` (0–100 %), the quiet band to
    75 %, the approaching band to 100 %, and the red firing mark at 100 %."""
    color = STATUS_COLORS.get(status, STATUS_COLORS[NO_DATA])
    value = 0.0 if proximity is None else max(0.0, min(100.0, proximity))
    indicator = go.Indicator(
        mode="gauge+number" if proximity is not None else "gauge",
        value=value,
        number={"suffix": "%", "valueformat": ".0f", "font": {"size": 26, "color": color}},
        gauge={
            "shape": "angular",
            "axis": {
                "range": [0, 100],
                "tickvals": [0, 25, 50, APPROACHING_AT, 100],
                "ticktext": ["0", "25", "50", "75", "fires"],
                "tickwidth": 1,
                "tickfont": {"size": 10},
                "tickcolor": _ink(theme),
            },
            "bar": {"color": color, "thickness": 0.32},
            "bgcolor": "rgba(0,0,0,0)",
            "borderwidth": 0,
            "steps": [
                {"range": [0, APPROACHING_AT], "color": BAND_COLORS[QUIET]},
                {"range": [APPROACHING_AT, 100], "color": BAND_COLORS[APPROACHING]},
            ],
            "threshold": {
                "line": {"color": STATUS_COLORS[FIRING], "width": 5},
                "thickness": 1.0,
                "value": 100,
            },
        },
        domain={"x": [0, 1], "y": [0, 1]},
    )
    fig = go.Figure(indicator)
    # No Plotly template here: resolving one costs ~10 ms a figure and a page draws a dozen
    # gauges; the theme only needs the ink colour, set directly.
    fig.update_layout(
        font=FONT | {"color": _ink(theme)},
        height=160,
        margin={"l": 28, "r": 28, "t": 26, "b": 6},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return fig


def history_figure(
    values: pd.Series,
    threshold: float,
    op: str,
    units: str,
    spells: Sequence[Spell],
    episodes: Iterable[Episode],
    today: date,
    theme: str = "light",
    calm: float | None = None,
    value_label: str = "Value",
    axis_note: str = "",
) -> go.Figure:
    """A trigger's value over time (index: observation dates; values in `units`) with the
    threshold line, firing observations in red, a "fired" strip marking each firing spell,
    the current calm reference, and QE/QT episode bands behind everything. `axis_note` is
    added to the value axis title (e.g. "change over 13 weeks")."""
    values = values.dropna()
    if values.empty:
        return message_figure("No history for this trigger yet.", theme)
    factor, axis_units = display_units(units)
    shown = values * factor
    ink = _ink(theme)
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.9, 0.1], vertical_spacing=0.03
    )
    text = [format_value(v, units) for v in values.to_numpy()]
    fig.add_trace(
        go.Scatter(
            x=shown.index,
            y=shown.to_numpy(),
            mode="lines",
            line={"color": ink, "width": 1.5},
            name=value_label,
            text=text,
            hovertemplate="%{x|%Y-%m-%d}: %{text}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    firing_only = shown.where(values.index.isin(_fired_points(values, spells)))
    if firing_only.notna().any():
        # The line turns red where the trigger fires (gaps elsewhere).
        fig.add_trace(
            go.Scatter(
                x=firing_only.index,
                y=firing_only.to_numpy(),
                mode="lines",
                line={"color": STATUS_COLORS[FIRING], "width": 2},
                connectgaps=False,
                name="Firing",
                hoverinfo="skip",
            ),
            row=1,
            col=1,
        )
    threshold_label = f"threshold {op} {format_value(threshold, units)}"
    fig.add_hline(
        y=threshold * factor,
        line={"color": STATUS_COLORS[FIRING], "width": 1.5, "dash": "dash"},
        annotation_text=threshold_label,
        annotation_position="top left",
        annotation_font={"color": STATUS_COLORS[FIRING], "size": 11},
        row=1,
        col=1,
    )
    if calm is not None:
        fig.add_hline(
            y=calm * factor,
            line={"color": "#7b8a8b", "width": 1, "dash": "dot"},
            annotation_text=f"calm {format_value(calm, units)}",
            annotation_position="top right",
            annotation_font={"color": "#7b8a8b", "size": 11},
            row=1,
            col=1,
        )
    _add_fired_strip(fig, spells)
    start, end = values.index[0].date(), values.index[-1].date()
    add_episode_bands(fig, episodes, start, end, today)
    view_start = max(values.index[0], pd.Timestamp("2003-01-01"))
    fig.update_layout(
        template=plotly_template(theme),
        font=FONT,
        height=460,
        margin={"l": 70, "r": 20, "t": 56, "b": 40},
        showlegend=False,
        hovermode="x unified",
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
    )
    title = f"{axis_units}, {axis_note}" if axis_note else axis_units
    fig.update_yaxes(title_text=title, row=1, col=1)
    fig.update_yaxes(
        row=2,
        col=1,
        range=[0, 1],
        showticklabels=False,
        showgrid=False,
        zeroline=False,
        title_text="Fired",
        title_font={"size": 11},
    )
    fig.update_xaxes(range=[view_start, values.index[-1]], row=1, col=1)
    fig.update_xaxes(title_text="Date (as of each observation)", row=2, col=1)
    return fig


def _fired_points(values: pd.Series, spells: Sequence[Spell]) -> pd.DatetimeIndex:
    """Observation dates inside any spell."""
    if not spells:
        return pd.DatetimeIndex([])
    mask = pd.Series(False, index=values.index)
    for spell in spells:
        mask |= (values.index >= pd.Timestamp(spell.start)) & (
            values.index <= pd.Timestamp(spell.end)
        )
    return values.index[mask.to_numpy()]


def _add_fired_strip(fig: go.Figure, spells: Sequence[Spell]) -> None:
    """A red bar per spell in the thin bottom panel, at least a few days wide so a one-day
    spike stays visible, with hover text giving its dates.

    All bars are one filled trace (rectangles separated by gaps) rather than a layout shape
    each: a trigger can have dozens of spells and shapes cost ~15 ms apiece to add."""
    xs: list = []
    ys: list = []
    mid_x, hover = [], []
    for spell in spells:
        x0 = pd.Timestamp(spell.start)
        x1 = max(pd.Timestamp(spell.end), x0 + pd.Timedelta(days=4))
        xs += [x0, x1, x1, x0, x0, None]
        ys += [0.1, 0.1, 0.9, 0.9, 0.1, None]
        mid_x.append(x0 + (x1 - x0) / 2)
        ends = "ongoing" if spell.ongoing else f"{spell.end:%Y-%m-%d}"
        hover.append(f"Fired {spell.start:%Y-%m-%d} → {ends} ({spell.days} days)")
    if not mid_x:
        return
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            fill="toself",
            fillcolor=FIRED_COLOR,
            line={"width": 0, "color": FIRED_COLOR},
            hoverinfo="skip",
            name="Fired spells",
            meta=FIRED_STRIP_META,
        ),
        row=2,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            x=mid_x,
            y=[0.5] * len(mid_x),
            mode="markers",
            marker={"size": 8, "opacity": 0},
            hovertext=hover,
            hoverinfo="text",
            name="Fired",
        ),
        row=2,
        col=1,
    )
