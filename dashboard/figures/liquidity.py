"""Net liquidity explained: the weekly change of net liquidity as stacked bars of what WALCL,
the TGA and the reverse repo each contributed, with the net change as a line.

Colour says the effect on liquidity (the headline cards' convention: green added, red
drained); the fill pattern says which component it was. Pure: a frame from
`analytics.liquidity.net_liquidity_contributions` in, a Plotly figure out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.common import message_figure
from dashboard.figures.overview.parts import BACKGROUNDS, MAIN_COLORS, plot_dates
from dashboard.theme import plotly_template

# Three shades per effect so the components stay apart inside one stacked bar.
ADDS = {
    "light": {"walcl": "#1B7837", "tga": "#5AAE61", "rrp": "#A6DBA0"},
    "dark": {"walcl": "#5AAE61", "tga": "#A6DBA0", "rrp": "#D9F0D3"},
}
DRAINS = {
    "light": {"walcl": "#B2182B", "tga": "#D6604D", "rrp": "#F4A582"},
    "dark": {"walcl": "#F4A582", "tga": "#D6604D", "rrp": "#FDDBC7"},
}
PATTERNS = {"walcl": "", "tga": "/", "rrp": "."}
NAMES = {
    "walcl": "Fed assets (ΔWALCL)",
    "tga": "TGA (−ΔTGA)",
    "rrp": "Reverse repo (−ΔRRP)",
}
AXIS_TITLE = "$ bn, weekly change"
CONTRIBUTION_META = "netliq-contribution"  # `meta` of the bar traces, for tests
HEIGHT = 360


def contributions_figure(frame: pd.DataFrame, theme: str = "light") -> go.Figure:
    """Stacked bars (WALCL, TGA, RRP contributions in $ bn, one bar per Wednesday) with the
    net change of net liquidity as a line with markers."""
    if frame is None or frame.empty:
        return message_figure("No weekly change of net liquidity to explain.", theme)
    theme = theme if theme in ADDS else "light"
    dates = plot_dates(frame)
    data: list[dict] = []
    for column in ("walcl", "tga", "rrp"):
        values = frame[column].to_numpy(dtype="float64")
        colors = np.where(values >= 0, ADDS[theme][column], DRAINS[theme][column]).tolist()
        data.append(
            {
                "type": "bar",
                "name": NAMES[column],
                "x": dates,
                "y": values,
                "marker": {
                    "color": colors,
                    "pattern": {"shape": PATTERNS[column], "fgcolor": MAIN_COLORS[theme]},
                    "line": {"width": 0},
                },
                "meta": CONTRIBUTION_META,
                "hovertemplate": "%{y:+,.1f} bn<extra>" + NAMES[column] + "</extra>",
            }
        )
    data.append(
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "Net change",
            "x": dates,
            "y": frame["net"].to_numpy(dtype="float64"),
            "line": {"color": MAIN_COLORS[theme], "width": 1.6},
            "marker": {"size": 5},
            "hovertemplate": "%{y:+,.1f} bn<extra>Net liquidity</extra>",
        }
    )
    background = BACKGROUNDS[theme]
    layout = {
        "template": plotly_template(theme),
        "barmode": "relative",
        "height": HEIGHT,
        "margin": {"l": 70, "r": 20, "t": 50, "b": 60},
        "paper_bgcolor": background,
        "plot_bgcolor": background,
        "hovermode": "x unified",
        "xaxis": {
            "type": "date",
            "hoverformat": "Week to %a %Y-%m-%d",
            "title": {"text": "Week ending Wednesday · green: added liquidity, red: drained"},
        },
        "yaxis": {"title": {"text": AXIS_TITLE}, "zeroline": True, "tickformat": ",.0f"},
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "xanchor": "left"},
    }
    return go.Figure(data=data, layout=layout)
