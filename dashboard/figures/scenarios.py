"""Figures of the scenario lab: the history of longer-term holdings (% of GDP) with QE/QT
bands and x̄; PBE paths (bp); the impact of each alternative with its 30–80 bp range; the
term premium and the 10-year yield for context. Pure: numbers in, Plotly figures out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard.analytics.portfolio_balance import CALIBRATION_RANGE_BP
from dashboard.episodes import Episode
from dashboard.figures.bands import episode_band_parts
from dashboard.theme import plotly_template

BASELINE_COLOR = "#1B2A41"
DARK_BASELINE_COLOR = "#F1F3F5"
ALT_COLORS = ("#D55E00", "#0072B2", "#009E73")  # Okabe-Ito, one per alternative
NORMAL_COLOR = "#7F7F7F"
HEIGHT = 380
PATH_META = "scenario-path"  # `meta` of data traces, so tests can find them


def _layout(fig: go.Figure, theme: str, **extra) -> go.Figure:
    settings = {
        "template": plotly_template(theme),
        "height": HEIGHT,
        "margin": {"l": 60, "r": 20, "t": 40, "b": 40},
        "hovermode": "x unified",
        "legend": {"orientation": "h", "y": -0.15, "x": 0},
    }
    fig.update_layout(**(settings | extra))
    return fig


def _baseline_color(theme: str) -> str:
    return DARK_BASELINE_COLOR if theme == "dark" else BASELINE_COLOR


def history_figure(
    pct_gdp: pd.Series,
    normal_pct: float,
    episodes: Iterable[Episode],
    today: date,
    theme: str = "light",
) -> go.Figure:
    """Longer-term holdings, % of GDP, weekly, with QE/QT bands and the normal level x̄."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=pct_gdp.index, y=pct_gdp.to_numpy(), mode="lines", name="Longer-term holdings",
        line={"color": _baseline_color(theme), "width": 2}, meta=PATH_META,
        hovertemplate="%{y:.1f} % of GDP<extra></extra>",
    ))
    fig.add_hline(y=normal_pct, line={"color": NORMAL_COLOR, "dash": "dash", "width": 1},
                  annotation_text=f"x̄ = {normal_pct:g} %", annotation_position="bottom right")
    if len(pct_gdp):
        start, end = pct_gdp.index[0].date(), pct_gdp.index[-1].date()
        shapes, notes, traces, axis = episode_band_parts(
            episodes, start, end, today, hover_dates=pd.DatetimeIndex(pct_gdp.index)
        )
        fig.update_layout(shapes=list(fig.layout.shapes or ()) + shapes,
                          annotations=list(fig.layout.annotations or ()) + notes, **axis)
        fig.add_traces(traces)
    return _layout(fig, theme, yaxis_title="% of nominal GDP", showlegend=False,
                   margin={"l": 60, "r": 20, "t": 50, "b": 40})


def paths_figure(
    dates: Sequence[date],
    named_paths: dict[str, Sequence[float]],
    y_title: str,
    theme: str = "light",
    hover_format: str = ".1f",
    unit: str = "bp",
) -> go.Figure:
    """One line per path over the quarters t = 0..T; the first is the baseline."""
    fig = go.Figure()
    for i, (name, values) in enumerate(named_paths.items()):
        color = _baseline_color(theme) if i == 0 else ALT_COLORS[(i - 1) % len(ALT_COLORS)]
        fig.add_trace(go.Scatter(
            x=list(dates), y=list(values), mode="lines", name=name, meta=PATH_META,
            line={"color": color, "width": 2.5 if i == 0 else 2},
            hovertemplate=f"%{{y:{hover_format}}} {unit}<extra>{name}</extra>",
        ))
    return _layout(fig, theme, yaxis_title=y_title)


def impact_figure(
    dates: Sequence[date],
    impacts: dict[str, Sequence[float]],
    c_bp: float,
    theme: str = "light",
) -> go.Figure:
    """Each alternative's impact on the term premium (bp, baseline minus alternative) over
    time, with a shaded range for C between 30 and 80 bp (the model scales with C)."""
    low, high = CALIBRATION_RANGE_BP
    fig = go.Figure()
    for i, (name, values) in enumerate(impacts.items()):
        color = ALT_COLORS[i % len(ALT_COLORS)]
        scale_low = low / c_bp if c_bp else 0.0
        scale_high = high / c_bp if c_bp else 0.0
        fig.add_trace(go.Scatter(
            x=list(dates), y=[v * scale_high for v in values], mode="lines",
            line={"width": 0, "color": color}, showlegend=False, hoverinfo="skip",
            name=f"{name}, C = {high:g} bp",
        ))
        fig.add_trace(go.Scatter(
            x=list(dates), y=[v * scale_low for v in values], mode="lines", fill="tonexty",
            fillcolor=_fade(color), line={"width": 0, "color": color}, hoverinfo="skip",
            name=f"{name}: C from {low:g} to {high:g} bp",
        ))
        fig.add_trace(go.Scatter(
            x=list(dates), y=list(values), mode="lines", name=f"{name} (C = {c_bp:g} bp)",
            line={"color": color, "width": 2}, meta=PATH_META,
            hovertemplate="%{y:+.1f} bp<extra>" + name + "</extra>",
        ))
    fig.add_hline(y=0, line={"color": NORMAL_COLOR, "width": 1})
    return _layout(fig, theme, yaxis_title="term-premium change, bp (+ = higher)")


def _fade(hex_color: str, alpha: float = 0.18) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha})"


def context_figure(
    term_premium: pd.Series | None, ten_year: pd.Series | None, theme: str = "light"
) -> go.Figure:
    """Kim-Wright 10-year term premium and the 10-year yield, percent, for context."""
    fig = go.Figure()
    if ten_year is not None and len(ten_year):
        fig.add_trace(go.Scatter(x=ten_year.index, y=ten_year.to_numpy(), mode="lines",
                                 name="10-year yield (DGS10)", meta=PATH_META,
                                 line={"color": "#0072B2", "width": 1.5},
                                 hovertemplate="%{y:.2f} %<extra>10Y</extra>"))
    if term_premium is not None and len(term_premium):
        fig.add_trace(go.Scatter(x=term_premium.index, y=term_premium.to_numpy(), mode="lines",
                                 name="Term premium, Kim-Wright (THREEFYTP10)", meta=PATH_META,
                                 line={"color": "#D55E00", "width": 1.5},
                                 hovertemplate="%{y:.2f} %<extra>term premium</extra>"))
    return _layout(fig, theme, yaxis_title="percent")
