"""The Overview chart: WALCL (left axis, $ trillions) against overlays, as right axes, one
rebased axis, or stacked panels; QE/QT bands; a key for the band colours.

Pure: an `OverviewView` (numbers already scaled, rebased and thinned) comes in, a Plotly
figure goes out. The same figure is shown on the page and rendered for image export.
"""

from __future__ import annotations

import copy
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard.analytics.overview import OverviewView, PlotLine
from dashboard.figures.bands import episode_band_parts, kind_key_html
from dashboard.figures.common import message_figure
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
}


def short_units(units: str) -> str:
    """Units compact enough for an axis title ("U.S. Dollars per share" → "$ per share")."""
    if units.startswith("Index, 100 = first value on/after "):
        return "index, 100 = " + units.rsplit(" ", 1)[-1]
    return SHORT_UNITS.get(units, units)


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
def _template(theme: str) -> dict:
    """The theme's Plotly template as a dict: without validation a template *name* would
    reach the browser unresolved (plotly.js knows no named templates)."""
    return pio.templates[plotly_template(theme)].to_plotly_json()


def plot_dates(values: pd.Series) -> list[str]:
    """Dates as "YYYY-MM-DD" strings: half the JSON of full timestamps."""
    return np.datetime_as_string(values.index.to_numpy(dtype="datetime64[D]"), unit="D").tolist()


def _trace(line: PlotLine, color: str, yaxis: str, xaxis: str = "x") -> dict:
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


def _axis_title(text: str, color: str) -> dict:
    return {"text": text, "font": {"color": color, "size": 12}}


def _axis_type(log: bool, lines: list[PlotLine]) -> str:
    """Log only where every value is positive (a log axis would drop the others)."""
    return "log" if log and all((line.values > 0).all() for line in lines) else "linear"


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


def _log_ticks(log: bool, lines: list[PlotLine]) -> dict:
    """Explicit ticks on a log axis: Plotly's own pile up as "2 5 10k 2 5 100k"."""
    if _axis_type(log, lines) != "log":
        return {}
    values = np.concatenate([line.values.to_numpy(dtype="float64") for line in lines])
    values = values[np.isfinite(values) & (values > 0)]
    if not values.size:
        return {}
    ticks = log_tick_values(float(values.min()), float(values.max()))
    if not ticks:
        return {}
    return {"tickmode": "array", "tickvals": ticks, "ticktext": [tick_label(v) for v in ticks]}


def main_axis_title(view: OverviewView) -> str:
    main = view.main
    units = short_units(main.units) if main else "$ trillions"
    who = "Fed balance sheet (WALCL)" + (" and net liquidity" if view.state.netliq else "")
    return f"{who}, {units}"


def _paper_y(px_from_bottom: float, height: float, top: float, bottom: float) -> float:
    """Paper y for a point `px_from_bottom` pixels above the figure's bottom edge
    (annotations have no container coordinates)."""
    return (px_from_bottom - bottom) / max(height - top - bottom, 1.0)


def _x_axis(view: OverviewView, rangeslider: bool, **extra) -> dict:
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


def overview_figure(
    view: OverviewView,
    theme: str = "light",
    title: str | None = None,
    footer: str | None = None,
    plot_width_px: float = 1100.0,
    rangeslider: bool = True,
    width: int | None = None,
    height: int | None = None,
    today: date | None = None,
    validate: bool = False,
    narrow: bool = False,
) -> go.Figure:
    """The chart for `view` in `theme` ("light"/"dark").

    Axes mode: WALCL (and net liquidity) on the left axis in $ trillions, one right axis per
    overlay with its own units, or, when rebased, every line on one left axis (index, 100 at
    the base date). Stacked mode: WALCL on top, one panel per overlay below, all sharing and
    zooming one date axis. Episode bands and their colour key when `view.episodes` is set.
    For exports: `title` above the legend, `footer` (HTML lines) below the plot, no range
    slider, a fixed `width` x `height` in pixels. `plot_width_px` is the expected drawing
    width, used to space right axes and band labels.

    Built as plain dicts, wrapped once at the end. Plotly's property validation is skipped
    by default: it was two thirds of the page callback's time (17 of 26 ms unloaded, 47 ms
    on a busy machine); the unit tests build every layout variant with `validate=True`, so a
    misspelt property still fails there.

    `narrow` (a phone, under NARROW_PX wide): stacked panels whatever the mode (four right
    axes cannot share 390 px), the legend below the plot, and band labels off (the colour
    key stays), since they merge into "QE1QE2QE3…".
    """
    if not view.lines:
        return message_figure("No data to plot for this selection.", theme)
    mains = [line for line in view.lines if line.role in ("main", "netliq")]
    overlays = list(view.overlays)
    today = today or view.end
    if (view.state.mode == "stacked" or narrow) and overlays:
        data, layout = _stacked(view, mains, overlays, theme, rangeslider)
    else:
        data, layout = _axes(view, mains, overlays, theme, plot_width_px, rangeslider)
    shapes = layout.pop("shapes", [])
    annotations: list[dict] = []
    recession_color = RECESSION_COLORS.get(theme, RECESSION_COLORS["light"])
    for recession in view.recessions:
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": f"{max(recession.start, view.start):%Y-%m-%d}",
                "x1": f"{min(recession.end, view.end):%Y-%m-%d}",
                "y0": 0,
                "y1": 1,
                "fillcolor": recession_color,
                "line": {"width": 0},
                "layer": "below",
                "name": f"recession-{recession.peak:%Y-%m}",
            }
        )

    label_rows = 0
    if view.episodes:
        band_shapes, labels, hover, axis = episode_band_parts(
            view.episodes,
            view.start,
            view.end,
            today,
            label_row=not narrow,
            plot_width_px=plot_width_px,
            hover_dates=mains[0].values.index if mains else None,
            compact=True,
        )
        shapes = band_shapes + shapes
        annotations += labels
        data += hover
        layout.update(axis)
        if labels:
            label_rows = 1 + max(a["yshift"] // LABEL_ROW_PX for a in labels)

    # On the page the modebar sits in the top-right corner: keep the legend and band key
    # below it. Exports have no modebar but a title there.
    title_px = 40 if title else 30
    footer_px = (18 + 14 * (footer.count("<br>") + 1)) if footer else 0
    plot_height = layout.pop("height", CHART_HEIGHT)
    total = max(height or 0, plot_height + footer_px) if (height or footer) else plot_height
    legend_rows = (1 + len(view.lines) // 3) if narrow else 0  # ~3 entries a row on a phone
    top = title_px + (0 if narrow else LEGEND_PX) + label_rows * LABEL_ROW_PX + 10
    bottom = 40 + footer_px + legend_rows * LEGEND_PX
    if narrow:
        total += legend_rows * LEGEND_PX
    muted = MUTED.get(theme, MUTED["light"])
    key = kind_key_html(e.kind for e in view.episodes) if view.episodes else ""
    if view.recessions:
        swatch = f"<span style='color:{RECESSION_KEY_COLORS.get(theme, '#888')}'>■</span>"
        key = (key + "   " if key else "") + f"{swatch} Recession (NBER)"
    if key:
        annotations.append(
            {
                "text": "Shaded: " + key,
                "xref": "paper",
                "yref": "paper",
                "x": 1,
                "xanchor": "right",
                "yanchor": "top",
                "y": _paper_y(total - title_px, total, top, bottom),
                "showarrow": False,
                "font": {"size": 11, "color": muted},
                "name": "episode-key",
            }
        )
    if footer:
        annotations.append(
            {
                "text": footer,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "xanchor": "left",
                "y": _paper_y(6, total, top, bottom),
                "yanchor": "bottom",
                "align": "left",
                "showarrow": False,
                "font": {"size": 10, "color": muted},
                "name": "footer",
            }
        )
    background = BACKGROUNDS.get(theme, BACKGROUNDS["light"])
    layout.update(
        template=copy.deepcopy(_template(theme)),  # figures must not share one dict
        paper_bgcolor=background,
        plot_bgcolor=background,
        font={"family": "Lato, 'Helvetica Neue', Arial, sans-serif", "size": 12},
        height=total,
        margin={"l": 70, "r": 20, "t": top, "b": bottom},
        hovermode="x unified",
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 0 if narrow else 1 - title_px / total,
            "yanchor": "bottom" if narrow else "top",
            "x": 0,
            "xanchor": "left",
            "bgcolor": "rgba(0,0,0,0)",
            "font": {"size": 12},
            # The overlay switches (and the URL) say what is drawn; a legend click hiding a
            # line behind their back would make them disagree, so legend clicks do nothing.
            "itemclick": False,
            "itemdoubleclick": False,
        },
        shapes=shapes,
        annotations=annotations,
        # A new window (preset, typed dates, zoom) is a new view: Plotly must apply its
        # ranges instead of keeping an earlier zoom; other changes keep the user's UI state.
        uirevision=f"overview:{view.start}:{view.end}",
    )
    if width:
        layout["width"] = width
    if title:
        layout["title"] = {
            "text": title,
            "x": 0,
            "xanchor": "left",
            "xref": "paper",
            "y": 1 - 10 / total,
            "yanchor": "top",
            "yref": "container",
            "font": {"size": 17},
        }
    return go.Figure(data=data, layout=layout, _validate=validate)


def _axes(
    view: OverviewView,
    mains: list[PlotLine],
    overlays: list[PlotLine],
    theme: str,
    plot_width_px: float,
    rangeslider: bool,
) -> tuple[list[dict], dict]:
    log = view.state.log
    main_color = MAIN_COLORS.get(theme, MAIN_COLORS["light"])
    data: list[dict] = []
    layout: dict = {}
    if view.rebase_date is not None:
        lines = mains + overlays
        for i, line in enumerate(lines):
            data.append(_trace(line, line_color(line, i - len(mains), theme), "y"))
        units = short_units(lines[0].units)
        layout["yaxis"] = {
            "title": _axis_title(f"All series rebased, {units}", main_color),
            "type": _axis_type(log, lines),
            **_log_ticks(log, lines),
        }
        layout["shapes"] = [
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": 100,
                "y1": 100,
                "name": "rebase-100",
                "line": {"color": MUTED.get(theme, "#888"), "width": 1, "dash": "dot"},
            }
        ]
        right_edge = 1.0
    else:
        for line in mains:
            data.append(_trace(line, main_color, "y"))
        extra = max(len(overlays) - 1, 0)
        right_edge = max(1.0 - extra * RIGHT_AXIS_PX / plot_width_px, 0.5)
        layout["yaxis"] = {
            "title": _axis_title(main_axis_title(view), main_color),
            "type": _axis_type(log, mains),
            "zeroline": False,
            **_log_ticks(log, mains),
        }
        for i, line in enumerate(overlays):
            color = line_color(line, i, theme)
            number = i + 2
            data.append(_trace(line, color, f"y{number}"))
            axis = {
                "title": _axis_title(f"{line.label}, {short_units(line.units)}", color),
                "overlaying": "y",
                "side": "right",
                "showgrid": False,
                "zeroline": False,
                # own round ticks, not ticks synced to the left axis' grid
                "tickmode": "auto",
                "nticks": 8,
                "tickfont": {"color": color},
                "type": _axis_type(log, [line]),
                **_log_ticks(log, [line]),
            }
            if i == 0:
                axis["anchor"] = "x"
            else:
                axis["anchor"] = "free"
                axis["position"] = min(right_edge + (i * RIGHT_AXIS_PX - 8) / plot_width_px, 1.0)
            layout[f"yaxis{number}"] = axis
    layout["xaxis"] = _x_axis(view, rangeslider, domain=[0, right_edge])
    return data, layout


def _stacked(
    view: OverviewView,
    mains: list[PlotLine],
    overlays: list[PlotLine],
    theme: str,
    rangeslider: bool,
) -> tuple[list[dict], dict]:
    """One panel per line group, top to bottom, every x axis matching the first so that
    zooming or panning any panel moves them all."""
    log = view.state.log
    main_color = MAIN_COLORS.get(theme, MAIN_COLORS["light"])
    heights = [MAIN_PANEL_HEIGHT] + [PANEL_HEIGHT] * len(overlays)
    gap = 18.0
    total_px = sum(heights) + gap * (len(heights) - 1)
    domains, top = [], 1.0
    for h in heights:
        bottom = top - h / total_px
        domains.append([max(bottom, 0.0), top])
        top = bottom - gap / total_px
    rows = len(heights)
    # Every panel on one date axis ("x"): one zoom, one crosshair, and with hoversubplots
    # one hover box listing every panel's value at that date.
    data = [_trace(line, main_color, "y", "x") for line in mains]
    layout: dict = {
        "height": sum(heights) + 60 + gap * (rows - 1),
        "hoversubplots": "axis",
        "yaxis": {
            "domain": domains[0],
            "anchor": "x",
            "type": _axis_type(log, mains),
            "title": _axis_title(main_axis_title(view).replace(", ", "<br>", 1), main_color),
            **_log_ticks(log, mains),
        },
    }
    for i, line in enumerate(overlays):
        number = i + 2
        color = line_color(line, i, theme)
        data.append(_trace(line, color, f"y{number}", "x"))
        layout[f"yaxis{number}"] = {
            "domain": domains[i + 1],
            "anchor": "x",
            "type": _axis_type(log, [line]),
            "title": _axis_title(f"{line.label}<br>{short_units(line.units)}", color),
            "tickfont": {"color": color},
            **_log_ticks(log, [line]),
        }
    bottom = "y" if rows == 1 else f"y{rows}"
    layout["xaxis"] = _x_axis(view, rangeslider, anchor=bottom)
    return data, layout
