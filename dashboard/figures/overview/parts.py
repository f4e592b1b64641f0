"""Pieces of the Overview chart: colours per series and theme, compact units, one line's
trace, axis titles and types, readable log ticks, the shared date axis."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.io as pio

from dashboard.analytics.overview import OverviewView, PlotLine
from dashboard.analytics.units import PERCENTAGE_POINTS, UNITS
from dashboard.theme import plotly_template

# Okabe-Ito colours (readable by colour-blind users), fixed per default series so a series
# keeps its colour when others are toggled.
SERIES_COLORS = {
    "TLT": "#0072B2",
    "BAMLH0A0HYM2": "#CC79A7",
    "BTC-USD": "#E69F00",
    "LBMA_GOLD_PM_USD": "#7F6A00",
    "GLD": "#7F6A00",
}
# Dark olive gold vanishes on the dark background: a lighter gold there.
DARK_SERIES_COLORS = {"LBMA_GOLD_PM_USD": "#D4BE3C", "GLD": "#D4BE3C"}
PALETTE = ("#009E73", "#D55E00", "#56B4E9", "#8C564B", "#7F7F7F", "#BCBD22", "#17BECF", "#9467BD")
MAIN_COLORS = {"light": "#1B2A41", "dark": "#F1F3F5"}
BACKGROUNDS = {"light": "#FFFFFF", "dark": "#212529"}
MUTED = {"light": "#6C757D", "dark": "#ADB5BD"}
# Grey like FRED's recession bars, light enough for the QE/QT colours to show through.
RECESSION_COLORS = {"light": "rgba(90, 90, 90, 0.16)", "dark": "rgba(220, 220, 220, 0.14)"}
RECESSION_KEY_COLORS = {"light": "#9A9A9A", "dark": "#8A8A8A"}

CHART_HEIGHT = 620
NARROW_PX = 768  # below this viewport width the chart takes its phone layout
PANEL_HEIGHT = 150  # each stacked overlay panel
MAIN_PANEL_HEIGHT = 300
RIGHT_AXIS_PX = 72  # room taken by each extra right axis (ticks and title)
LEGEND_PX = 26
LABEL_ROW_PX = 14
GRAPH_META = "overview-line"  # `meta` of data traces, so tests and exports can find them

SHORT_UNITS = {
    "Trillions of U.S. Dollars": "$ trillions",
    "Billions of U.S. Dollars": "$ billions",
    "Millions of U.S. Dollars": "$ millions",
    "U.S. Dollars per share": "$ per share",
    "U.S. Dollars per troy ounce": "$ per troy oz",
    "U.S. Dollars per Barrel": "$ per barrel",
    "U.S. Dollars": "$",
    "Percent": "%",
    "Basis points": "bp",
    "Index": "index",
    "Index Jan 2006=100": "index, Jan 2006 = 100",
    "Index (0 = average; positive = tighter)": "index, 0 = average",
    PERCENTAGE_POINTS: "percentage points",
}


UNIT_TITLES = {u.title for u in UNITS if u.title}


def short_units(units: str) -> str:
    """Units compact enough for an axis title ("U.S. Dollars per share" → "$ per share")."""
    if units.startswith("Index, 100 = first value on/after "):
        return "index, 100 = " + units.rsplit(" ", 1)[-1]
    if units in SHORT_UNITS:
        return SHORT_UNITS[units]
    # a change: "Change from a year ago, Billions of U.S. Dollars" → "change from a year
    # ago, $ billions"
    head, _, base = units.partition(", ")
    if base and head in UNIT_TITLES:
        return f"{head.lower()}, {SHORT_UNITS.get(base, base)}"
    return units


def line_color(line: PlotLine, index: int, theme: str) -> str:
    """The colour of a line: WALCL follows the theme's text colour, defaults keep theirs."""
    if line.role in ("main", "netliq"):
        return MAIN_COLORS.get(theme, MAIN_COLORS["light"])
    if theme == "dark" and line.series_id in DARK_SERIES_COLORS:
        return DARK_SERIES_COLORS[line.series_id]
    return SERIES_COLORS.get(line.series_id, PALETTE[index % len(PALETTE)])


def value_format(values: pd.Series) -> str:
    """A d3 number format that shows enough digits for the series' magnitude."""
    finite = values.to_numpy(dtype="float64")
    finite = finite[np.isfinite(finite)]
    typical = float(np.median(np.abs(finite))) if finite.size else 0.0
    if typical >= 1000:
        return ",.0f"
    if typical >= 10:
        return ",.2f"
    return ".3f"


@lru_cache(maxsize=4)
def template_dict(theme: str) -> dict:
    """The theme's Plotly template as a dict: without validation a template *name* would
    reach the browser unresolved (plotly.js knows no named templates)."""
    return pio.templates[plotly_template(theme)].to_plotly_json()


def axis_groups(view: OverviewView) -> tuple[list[PlotLine], list[PlotLine]]:
    """(lines on WALCL's axis or panel, lines with their own): net liquidity shares WALCL's
    axis only while both are in the same unit (a year-ago % change beside a level in $ tn
    would be flat at zero)."""
    mains = [line for line in view.lines if line.role in ("main", "netliq")]
    shared = [line for line in mains if line.unit == mains[0].unit] if mains else []
    own = [line for line in mains if not any(line is s for s in shared)]
    return shared, own + list(view.overlays)


def plot_dates(values: pd.Series) -> list[str]:
    """Dates as "YYYY-MM-DD" strings: half the JSON of full timestamps."""
    return np.datetime_as_string(values.index.to_numpy(dtype="datetime64[D]"), unit="D").tolist()


def trace(line: PlotLine, color: str, yaxis: str, xaxis: str = "x") -> dict:
    units = short_units(line.units)
    return {
        "type": "scatter",
        "mode": "lines",
        "name": line.label,
        "x": plot_dates(line.values),
        "y": line.values.to_numpy(dtype="float64"),
        "line": {
            "color": color,
            "width": 2.6 if line.role == "main" else 1.6,
            "dash": "dot" if line.role == "netliq" else "solid",
        },
        "xaxis": xaxis,
        "yaxis": yaxis,
        "meta": GRAPH_META,
        "legendgroup": line.series_id,
        "hovertemplate": f"%{{y:{value_format(line.values)}}} {units}<extra>{line.label}</extra>",
    }


def axis_title(text: str, color: str) -> dict:
    return {"text": text, "font": {"color": color, "size": 12}}


def axis_type(log: bool, lines: list[PlotLine]) -> str:
    """Log only for levels where every value is positive (a log axis would drop the others;
    a change can be negative)."""
    if log and all(line.is_level and (line.values > 0).all() for line in lines):
        return "log"
    return "linear"


LOG_MANTISSAS = (1, 2, 5)
MAX_LOG_TICKS = 8


def tick_label(value: float) -> str:
    """A full, short tick label: 200, 5k, 20k, 1M, 0.5 — never a bare "2" or "5"."""
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= scale:
            return f"{value / scale:g}{suffix}"
    return f"{value:g}"


def log_tick_values(low: float, high: float) -> list[float]:
    """Ticks for a log axis from `low` to `high` (> 0): 1-2-5 steps while that gives at most
    MAX_LOG_TICKS ticks, else powers of ten (every other one, ... if still too many)."""
    if not (np.isfinite(low) and np.isfinite(high)) or low <= 0 or high <= low:
        return []
    first, last = int(np.floor(np.log10(low))), int(np.ceil(np.log10(high)))
    steps = [m * 10.0**e for e in range(first, last + 1) for m in LOG_MANTISSAS]
    ticks = [v for v in steps if low <= v <= high]
    if len(ticks) > MAX_LOG_TICKS or len(ticks) < 2:
        ticks = [10.0**e for e in range(first, last + 1) if low <= 10.0**e <= high]
        stride = max(1, -(-len(ticks) // MAX_LOG_TICKS))
        ticks = ticks[::stride]
    if len(ticks) < 2:  # less than a decade with no 1-2-5 inside: leave it to Plotly
        return []
    return ticks


def log_ticks(log: bool, lines: list[PlotLine]) -> dict:
    """Explicit ticks on a log axis: Plotly's own pile up as "2 5 10k 2 5 100k"."""
    if axis_type(log, lines) != "log":
        return {}
    values = np.concatenate([line.values.to_numpy(dtype="float64") for line in lines])
    values = values[np.isfinite(values) & (values > 0)]
    if not values.size:
        return {}
    ticks = log_tick_values(float(values.min()), float(values.max()))
    if not ticks:
        return {}
    return {"tickmode": "array", "tickvals": ticks, "ticktext": [tick_label(v) for v in ticks]}


def main_axis_title(view: OverviewView, mains: list[PlotLine] | None = None) -> str:
    """The left axis' title; `mains` are the lines on it (default: WALCL and net liquidity)."""
    main = view.main
    units = short_units(main.units) if main else "$ trillions"
    netliq = view.state.netliq if mains is None else any(m.role == "netliq" for m in mains)
    who = "Fed balance sheet (WALCL)" + (" and net liquidity" if netliq else "")
    return f"{who}, {units}"


def paper_y(px_from_bottom: float, height: float, top: float, bottom: float) -> float:
    """Paper y for a point `px_from_bottom` pixels above the figure's bottom edge
    (annotations have no container coordinates)."""
    return (px_from_bottom - bottom) / max(height - top - bottom, 1.0)


def x_axis(view: OverviewView, rangeslider: bool, **extra) -> dict:
    axis = {
        "type": "date",
        "range": [f"{view.start:%Y-%m-%d}", f"{view.end:%Y-%m-%d}"],
        "autorange": False,
        "hoverformat": "%a %Y-%m-%d",
        "showspikes": True,
        "spikemode": "across",
        "spikethickness": 1,
        "spikedash": "dot",
    }
    if rangeslider:
        # Explicit range: the slider must not pad for the invisible band-hover markers.
        axis["rangeslider"] = {
            "visible": True,
            "thickness": 0.06,
            "autorange": False,
            "range": axis["range"],
        }
    axis.update(extra)
    return axis
