"""Figures of the Compare page's lead shift: A drawn N weeks later beside B (each on its own
axis, in its own units), and the scatter of their weekly changes at that shift.

Inputs are the outputs of `dashboard.analytics.lead_shift`.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from dashboard.analytics.correlation import linear_fit
from dashboard.analytics.lead_shift import ShiftedPair, shift_label, signed
from dashboard.figures.common import message_figure
from dashboard.figures.compare import COLOR_A, COLOR_B, _layout, scatter_figure


def shifted_levels_figure(
    a_shifted: pd.Series,
    b: pd.Series,
    weeks: int,
    label_a: str,
    units_a: str,
    label_b: str,
    units_b: str,
    theme: str = "light",
) -> go.Figure:
    """A's weekly levels drawn `weeks` weeks later (left axis, A's units) and B's (right axis,
    B's units); A's hover names the week the value is from."""
    if a_shifted.empty or b.empty:
        return message_figure("The two series do not overlap in this range.", theme)
    name_a = shift_label(label_a, weeks)
    observed = a_shifted.index - pd.Timedelta(weeks=weeks)
    a_hover = f"{label_a} (week of %{{customdata}}): %{{y:,.4g}}<extra></extra>"
    fig = go.Figure()
    for values, name, color, axis, hover, weeks_of in (
        (a_shifted, name_a, COLOR_A, "y", a_hover, [f"{d:%Y-%m-%d}" for d in observed]),
        (b, label_b, COLOR_B, "y2", f"{label_b}: %{{y:,.4g}}<extra></extra>", None),
    ):
        fig.add_trace(
            go.Scatter(
                x=values.index,
                y=values.to_numpy(),
                mode="lines",
                name=name,
                yaxis=axis,
                line={"color": color, "width": 1.8},
                customdata=weeks_of,
                hovertemplate=hover,
            )
        )
    _layout(fig, theme, 420, margin={"l": 70, "r": 70, "t": 40, "b": 50})
    fig.update_layout(
        yaxis={"title": {"text": f"{name_a} ({units_a})", "font": {"color": COLOR_A}}},
        yaxis2={
            "title": {"text": f"{label_b} ({units_b})", "font": {"color": COLOR_B}},
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
        },
    )
    fig.update_xaxes(title_text="Week ending (Wednesday)")  # the legend names the shift
    return fig


def shifted_scatter_figure(
    pair: ShiftedPair, label_a: str, unit_a: str, label_b: str, unit_b: str, theme: str = "light"
) -> go.Figure:
    """Weekly changes of B against A's from `pair.weeks` weeks earlier, with the fitted line;
    the title gives r and the number of weekly pairs at that shift."""
    fit = linear_fit(pair.changes)
    fig = scatter_figure(
        pair.changes, fit, shift_label(label_a, pair.weeks), unit_a, label_b, unit_b, theme
    )
    if math.isnan(fit.slope):
        return fig  # the message figure: too few pairs
    r_text = "r n/a (too few pairs)" if math.isnan(pair.r) else f"r = {pair.r:+.2f}"
    fig.update_layout(
        title={
            "text": f"{r_text} at {signed(pair.weeks)} wk · {pair.n} weekly pairs · "
            f"slope {fit.slope:+.3f}",
            "font": {"size": 14},
        }
    )
    return fig
