"""Figures and number formats for the Compare page: rolling correlation with QE/QT bands,
lead/lag bars with the significance band, the z-scored spread view and the scatter of weekly
changes with its fitted line.

Inputs are the outputs of `dashboard.analytics.compare`; every axis names its unit.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.analytics.compare import LeadLag, LinearFit
from dashboard.episodes import Episode
from dashboard.figures.bands import add_episode_bands, kind_key_html
from dashboard.figures.common import (
    MAX_POINTS,
    message_figure,
    note_thinned,
    phone_layout,
    thin,
)
from dashboard.theme import plotly_template

COLOR_A = "#2573b5"  # series A everywhere on the page
COLOR_B = "#e0621a"  # series B
COLOR_NEUTRAL = "#6c757d"
FONT = {"family": "Lato, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13}


# ---- number formats ---------------------------------------------------------------------
def _is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def format_level(value: float | None, units: str) -> str:
    """A level in its catalog units, compact and unambiguous: millions of dollars are shown
    in billions ("$6,745.7 bn"), percent with two decimals, prices with cents."""
    if _is_missing(value):
        return "n/a"
    if units == "Millions of U.S. Dollars":
        return f"${value / 1000:,.1f} bn"
    if units == "Billions of U.S. Dollars":
        return f"${value:,.1f} bn"
    if units == "Percent":
        return f"{value:.2f} %"
    if units == "Basis points":
        return f"{value:.1f} bp"
    if units == "U.S. Dollars per troy ounce":
        return f"${value:,.2f}/oz"
    if units == "U.S. Dollars per Barrel":
        return f"${value:,.2f}/bbl"
    if units.startswith("U.S. Dollars"):
        return f"${value:,.0f}" if abs(value) >= 10_000 else f"${value:,.2f}"
    return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.2f}"


def format_dispersion(value: float | None, units: str) -> str:
    """A spread of values (a standard deviation): in basis points for series quoted in
    percent, so it cannot be read as a relative change; otherwise like `format_level`."""
    if not _is_missing(value) and units == "Percent":
        return f"{value * 100:,.1f} bp"
    return format_level(value, units)


def format_change(value: float | None, unit: str) -> str:
    """A change with its sign: "+1.25 %", "−19 bp", or in the series' units for other
    differences (millions of dollars in billions)."""
    if _is_missing(value):
        return "n/a"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    size = abs(value)
    if unit == "%":
        return f"{sign}{size:,.2f} %" if size < 100 else f"{sign}{size:,.0f} %"
    if unit == "bp":
        return f"{sign}{size:,.1f} bp" if size < 10 else f"{sign}{size:,.0f} bp"
    return sign + format_level(size, unit)


def _layout(fig: go.Figure, theme: str, height: int, **extra) -> go.Figure:
    settings = {
        "template": plotly_template(theme),
        "font": FONT,
        "height": height,
        "margin": {"l": 70, "r": 20, "t": 40, "b": 50},
        "legend": {"orientation": "h", "y": -0.18, "x": 0},
        "hovermode": "x unified",
        # The card behind shows through, in either theme.
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
    }
    fig.update_layout(**(settings | extra))
    return fig


def _bands(
    fig: go.Figure, episodes: Iterable[Episode], start: date, end: date, today: date, narrow: bool
) -> None:
    """QE/QT bands; on a phone without their labels (they collide at that width), with a colour
    key instead, three kinds a line (as the Overview does)."""
    episodes = list(episodes)
    add_episode_bands(fig, episodes, start, end, today, label_row=not narrow)
    shown = [e.kind for e in episodes if e.start <= end and (e.end is None or e.end >= start)]
    if narrow and shown:
        keys = kind_key_html(shown).split("   ")
        lines = ["   ".join(keys[i : i + 3]) for i in range(0, len(keys), 3)]
        fig.add_annotation(
            text="Shaded: " + "<br>".join(lines),
            name="episode-key",
            xref="paper",
            yref="paper",
            x=0,
            y=1,
            showarrow=False,
            font={"size": 11},
        )


# ---- figures ----------------------------------------------------------------------------
def rolling_correlation_figure(
    rolling: pd.Series,
    episodes: Iterable[Episode],
    label_a: str,
    label_b: str,
    today: date,
    theme: str = "light",
    window: int = 52,
    narrow: bool = False,
) -> go.Figure:
    """The trailing `window`-week correlation of weekly changes (index: week end dates;
    values r in [−1, 1]) with QE/QT episodes shaded."""
    series, total = thin(rolling.dropna())
    if series.empty:
        return message_figure("Too few overlapping weeks for a rolling correlation.", theme)
    fig = go.Figure(
        go.Scatter(
            x=series.index,
            y=series.to_numpy(),
            mode="lines",
            line={"color": COLOR_A, "width": 1.8},
            name=f"{label_a} vs {label_b}",
            hovertemplate=f"{window}-week r = %{{y:+.2f}}<extra></extra>",
        )
    )
    fig.add_hline(y=0, line={"color": COLOR_NEUTRAL, "width": 1})
    start, end = series.index[0].date(), series.index[-1].date()
    _bands(fig, episodes, start, end, today, narrow)
    _layout(fig, theme, 340, showlegend=False)
    note_thinned(fig, len(series), total)
    fig.update_yaxes(title_text="Correlation r (−1 to +1)", range=[-1.05, 1.05], zeroline=False)
    fig.update_xaxes(
        title_text="Week ending (Wednesday)", range=[series.index[0], series.index[-1]]
    )
    return phone_layout(fig, narrow)


def lead_lag_figure(
    result: LeadLag, label_a: str, label_b: str, theme: str = "light", narrow: bool = False
) -> go.Figure:
    """Bars of r by lag (weeks; positive: A leads B) with the ±1.96/√n band as dashed lines
    and the peak lag marked."""
    table = result.table.dropna(subset=["r"])
    if table.empty:
        return message_figure("Too few overlapping weeks to measure a lead or lag.", theme)
    lags = table.index.to_numpy()
    outside = (table["r"].abs() > table["band"]).to_numpy()
    colors = np.where(outside, COLOR_B, "rgba(37, 115, 181, 0.55)")
    fig = go.Figure(
        go.Bar(
            x=lags,
            y=table["r"],
            marker_color=colors.tolist(),
            name="r at lag",
            customdata=np.stack([table["n"], table["band"]], axis=1),
            hovertemplate=(
                "lag %{x} weeks<br>r = %{y:+.3f}<br>n = %{customdata[0]} weeks, "
                "band ±%{customdata[1]:.3f}<extra></extra>"
            ),
        )
    )
    for sign in (1, -1):
        fig.add_trace(
            go.Scatter(
                x=lags,
                y=sign * table["band"],
                mode="lines",
                line={"color": COLOR_NEUTRAL, "dash": "dash", "width": 1.2},
                name="±1.96/√n (5 % band)",
                showlegend=sign == 1,
                hoverinfo="skip",
            )
        )
    if result.peak_lag is not None:
        fig.add_annotation(
            x=result.peak_lag,
            y=result.peak_r,
            text=f"peak: lag {result.peak_lag:+d}, r = {result.peak_r:+.2f}",
            showarrow=True,
            arrowhead=2,
            ay=-30 if result.peak_r >= 0 else 30,
            font={"size": 12},
        )
    _layout(fig, theme, 340, hovermode="closest", bargap=0.15)
    fig.update_xaxes(
        title_text=f"Lag in weeks (positive: {label_a} moves first; negative: {label_b} first)",
        zeroline=True,
        dtick=4,
    )
    fig.update_yaxes(title_text="Correlation r of weekly changes")
    return phone_layout(fig, narrow)


def spread_figure(
    z: pd.DataFrame,
    label_a: str,
    label_b: str,
    episodes: Iterable[Episode],
    today: date,
    theme: str = "light",
    narrow: bool = False,
) -> go.Figure:
    """Top: both series z-scored over the visible range (columns za, zb; σ units). Bottom:
    their difference za − zb (column spread). QE/QT episodes shaded."""
    if z.empty:
        return message_figure("The two series do not overlap in this range.", theme)
    z, total = thin(z)
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.62, 0.38], vertical_spacing=0.06
    )
    for col, label, color in (("za", label_a, COLOR_A), ("zb", label_b, COLOR_B)):
        fig.add_trace(
            go.Scatter(
                x=z.index,
                y=z[col],
                mode="lines",
                name=label,
                line={"color": color, "width": 1.8},
                hovertemplate=f"{label}: %{{y:+.2f}} σ<extra></extra>",
            ),
            row=1,
            col=1,
        )
    fig.add_trace(
        go.Scatter(
            x=z.index,
            y=z["spread"],
            mode="lines",
            name=f"{label_a} − {label_b}",
            line={"color": COLOR_NEUTRAL, "width": 1.4},
            fill="tozeroy",
            fillcolor="rgba(108, 117, 125, 0.18)",
            hovertemplate="difference: %{y:+.2f} σ<extra></extra>",
        ),
        row=2,
        col=1,
    )
    _bands(fig, episodes, z.index[0].date(), z.index[-1].date(), today, narrow)
    _layout(fig, theme, 460)
    note_thinned(fig, len(z), total)
    fig.update_yaxes(title_text="z-score (σ from mean)", row=1, col=1)
    fig.update_yaxes(title_text="Difference (σ)", row=2, col=1)
    fig.update_xaxes(title_text="Week ending (Wednesday)", row=2, col=1)
    return phone_layout(fig, narrow)


def scatter_figure(
    changes: pd.DataFrame,
    fit: LinearFit,
    label_a: str,
    unit_a: str,
    label_b: str,
    unit_b: str,
    theme: str = "light",
    recent_weeks: int = 52,
    narrow: bool = False,
) -> go.Figure:
    """Weekly changes of B (column "b", `unit_b`) against A (column "a", `unit_a`), the last
    `recent_weeks` highlighted, with the least-squares line and R² in the title."""
    rows = changes.dropna()
    if len(rows) < 3 or math.isnan(fit.slope):
        return message_figure("Too few overlapping weeks for a scatter.", theme)
    older, recent = rows.iloc[:-recent_weeks], rows.iloc[-recent_weeks:]
    older, total_older = thin(older, MAX_POINTS - len(recent))
    fig = go.Figure()
    for part, name, color, size in (
        (older, "earlier weeks", "rgba(37, 115, 181, 0.35)", 6),
        (recent, f"last {len(recent)} weeks", COLOR_B, 7),
    ):
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["a"],
                y=part["b"],
                mode="markers",
                name=name,
                marker={"color": color, "size": size},
                text=[f"{d:%Y-%m-%d}" for d in part.index],
                hovertemplate=(
                    f"week to %{{text}}<br>{label_a}: %{{x:+.2f}} {unit_a}<br>"
                    f"{label_b}: %{{y:+.2f}} {unit_b}<extra></extra>"
                ),
            )
        )
    x_line = np.array([rows["a"].min(), rows["a"].max()])
    fig.add_trace(
        go.Scatter(
            x=x_line,
            y=fit.intercept + fit.slope * x_line,
            mode="lines",
            name=f"fit: slope {fit.slope:+.3f}",
            line={"color": COLOR_NEUTRAL, "width": 2},
            hoverinfo="skip",
        )
    )
    _layout(fig, theme, 460, hovermode="closest")
    note_thinned(fig, len(older) + len(recent), total_older + len(recent))
    fig.update_layout(
        title={
            "text": f"R² = {fit.r2:.3f} · slope {fit.slope:+.3f} {unit_b} per {unit_a} · "
            f"{fit.n} weeks",
            "font": {"size": 14},
        }
    )
    fig.update_xaxes(title_text=f"{label_a}: weekly change ({unit_a})", zeroline=True)
    fig.update_yaxes(title_text=f"{label_b}: weekly change ({unit_b})", zeroline=True)
    return phone_layout(fig, narrow)
