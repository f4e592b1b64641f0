"""The Overview chart: WALCL (left axis, $ trillions) against overlays, as right axes, one
rebased axis, or stacked panels; QE/QT bands; a key for the band colours.

Pure: an `OverviewView` (numbers already scaled, rebased and thinned) comes in, a Plotly
figure goes out. The same figure is shown on the page and rendered for image export.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.analytics.overview import OverviewView, PlotLine
from dashboard.figures.bands import add_episode_bands, kind_key_html
from dashboard.figures.common import message_figure
from dashboard.theme import plotly_template

# Okabe-Ito colours (readable by colour-blind users), fixed per default series so a series
# keeps its colour when others are toggled.
SERIES_COLORS = {
    "TLT": "#0072B2",
    "BAMLH0A0HYM2": "#D55E00",
    "BTC-USD": "#E69F00",
    "LBMA_GOLD_PM_USD": "#B8860B",
    "GLD": "#B8860B",
}
PALETTE = ("#009E73", "#CC79A7", "#56B4E9", "#8C564B", "#7F7F7F", "#BCBD22", "#17BECF",
           "#9467BD")
MAIN_COLORS = {"light": "#1B2A41", "dark": "#F1F3F5"}
BACKGROUNDS = {"light": "#FFFFFF", "dark": "#212529"}
MUTED = {"light": "#6C757D", "dark": "#ADB5BD"}

CHART_HEIGHT = 620
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


def _trace(line: PlotLine, color: str, yaxis: str, xaxis: str = "x") -> go.Scatter:
    units = short_units(line.units)
    dashed = line.role == "netliq"
    # Dates as plain "YYYY-MM-DD" strings: half the JSON of full timestamps.
    return go.Scatter(
        x=line.values.index.strftime("%Y-%m-%d").tolist(),
        y=line.values.to_numpy(dtype="float64"),
        name=line.label,
        mode="lines",
        line={"color": color, "width": 2.6 if line.role == "main" else 1.6,
              "dash": "dot" if dashed else "solid"},
        xaxis=xaxis,
        yaxis=yaxis,
        meta=GRAPH_META,
        customdata=None,
        hovertemplate=f"%{{y:{value_format(line.values)}}} {units}<extra>{line.label}</extra>",
        legendgroup=line.series_id,
    )


def _axis_title(text: str, color: str) -> dict:
    return {"text": text, "font": {"color": color, "size": 12}}


def _can_log(lines: list[PlotLine]) -> bool:
    return all((line.values > 0).all() for line in lines)


def main_axis_title(view: OverviewView) -> str:
    main = view.main
    units = short_units(main.units) if main else "$ trillions"
    who = "Fed balance sheet (WALCL)" + (" and net liquidity" if view.state.netliq else "")
    return f"{who}, {units}"


def _paper_y(px_from_bottom: float, height: float, top: float, bottom: float) -> float:
    """Paper y for a point `px_from_bottom` pixels above the figure's bottom edge
    (annotations have no container coordinates)."""
    return (px_from_bottom - bottom) / max(height - top - bottom, 1.0)


def overview_figure(view: OverviewView, theme: str = "light", title: str | None = None,
                    footer: str | None = None, plot_width_px: float = 1100.0,
                    rangeslider: bool = True, width: int | None = None,
                    height: int | None = None, today: date | None = None) -> go.Figure:
    """The chart for `view` in `theme` ("light"/"dark").

    Axes mode: WALCL (and net liquidity) on the left axis in $ trillions, one right axis per
    overlay with its own units, or, when rebased, every line on one left axis (index, 100 at
    the base date). Stacked mode: WALCL on top, one panel per overlay below, all sharing and
    zooming one date axis. Episode bands and their colour key when `view.episodes` is set.
    For exports: `title` above the legend, `footer` (HTML lines) below the plot, no range
    slider, a fixed `width` x `height` in pixels. `plot_width_px` is the expected drawing
    width, used to space right axes and band labels.
    """
    if not view.lines:
        return message_figure("No data to plot for this selection.", theme)
    mains = [line for line in view.lines if line.role in ("main", "netliq")]
    overlays = list(view.overlays)
    rebased = view.rebase_date is not None
    today = today or view.end
    stacked = view.state.mode == "stacked" and bool(overlays)
    if stacked:
        fig = _stacked(view, mains, overlays, theme)
    else:
        fig = _axes(view, mains, overlays, theme, rebased, plot_width_px)
    if not rangeslider:
        fig.update_xaxes(rangeslider={"visible": False})

    label_rows = 0
    if view.episodes:
        fig = add_episode_bands(fig, view.episodes, view.start, view.end, today,
                                plot_width_px=plot_width_px)
        labels = [a for a in fig.layout.annotations if (a.name or "").startswith("episode-")]
        label_rows = 1 + max((int(a.yshift or 0) // LABEL_ROW_PX for a in labels), default=0)

    title_px = 40 if title else 6
    footer_px = (18 + 14 * (footer.count("<br>") + 1)) if footer else 0
    plot_height = fig.layout.height or CHART_HEIGHT
    total = max(height or 0, plot_height + footer_px) if height or footer else plot_height
    top = title_px + LEGEND_PX + label_rows * LABEL_ROW_PX + 10
    bottom = 40 + footer_px
    legend_y = 1 - title_px / total
    muted = MUTED.get(theme, MUTED["light"])
    annotations = list(fig.layout.annotations or ())
    if view.episodes:
        annotations.append({
            "text": "Shaded: " + kind_key_html(e.kind for e in view.episodes),
            "xref": "paper", "yref": "paper", "x": 1, "xanchor": "right", "yanchor": "top",
            "y": _paper_y(total - title_px, total, top, bottom), "showarrow": False,
            "font": {"size": 11, "color": muted}, "name": "episode-key",
        })
    if footer:
        annotations.append({
            "text": footer, "xref": "paper", "yref": "paper", "x": 0, "xanchor": "left",
            "y": _paper_y(6, total, top, bottom), "yanchor": "bottom", "align": "left",
            "showarrow": False, "font": {"size": 10, "color": muted}, "name": "footer",
        })
    fig.update_layout(
        template=plotly_template(theme),
        paper_bgcolor=BACKGROUNDS.get(theme, BACKGROUNDS["light"]),
        plot_bgcolor=BACKGROUNDS.get(theme, BACKGROUNDS["light"]),
        font={"family": "Lato, 'Helvetica Neue', Arial, sans-serif", "size": 12},
        height=total,
        width=width,
        margin={"l": 70, "r": 20, "t": top, "b": bottom},
        hovermode="x unified",
        legend={"orientation": "h", "yref": "container", "y": legend_y, "yanchor": "top",
                "x": 0, "xanchor": "left", "bgcolor": "rgba(0,0,0,0)", "font": {"size": 12}},
        annotations=annotations,
        uirevision="overview",
    )
    if title:
        fig.update_layout(title={"text": title, "x": 0, "xanchor": "left", "xref": "paper",
                                 "y": 1 - 10 / total, "yanchor": "top", "yref": "container",
                                 "font": {"size": 17}})
    return fig


def _axes(view: OverviewView, mains: list[PlotLine], overlays: list[PlotLine], theme: str,
          rebased: bool, plot_width_px: float) -> go.Figure:
    fig = go.Figure()
    log = view.state.log
    main_color = MAIN_COLORS.get(theme, MAIN_COLORS["light"])
    if rebased:
        lines = mains + overlays
        for i, line in enumerate(lines):
            fig.add_trace(_trace(line, line_color(line, i - len(mains), theme), "y"))
        units = short_units(lines[0].units)
        fig.update_layout(
            yaxis={"title": _axis_title(f"All series rebased, {units}", main_color),
                   "type": "log" if log and _can_log(lines) else "linear"},
            shapes=[{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": 100,
                     "y1": 100, "line": {"color": MUTED.get(theme, "#888"), "width": 1,
                                         "dash": "dot"}, "name": "rebase-100"}],
        )
        right_edge = 1.0
    else:
        for line in mains:
            fig.add_trace(_trace(line, main_color, "y"))
        extra = max(len(overlays) - 1, 0)
        right_edge = max(1.0 - extra * RIGHT_AXIS_PX / plot_width_px, 0.5)
        axes: dict[str, dict] = {
            "yaxis": {"title": _axis_title(main_axis_title(view), main_color),
                      "type": "log" if log and _can_log(mains) else "linear",
                      "ticksuffix": "", "zeroline": False},
        }
        for i, line in enumerate(overlays):
            color = line_color(line, i, theme)
            number = i + 2
            fig.add_trace(_trace(line, color, f"y{number}"))
            axis = {
                "title": _axis_title(f"{line.label}, {short_units(line.units)}", color),
                "overlaying": "y", "side": "right", "showgrid": False, "zeroline": False,
                "tickfont": {"color": color},
                "type": "log" if log and _can_log([line]) else "linear",
            }
            if i == 0:
                axis["anchor"] = "x"
            else:
                axis["anchor"] = "free"
                axis["position"] = min(right_edge + (i * RIGHT_AXIS_PX - 8) / plot_width_px,
                                       1.0)
            axes[f"yaxis{number}"] = axis
        fig.update_layout(**axes)
    fig.update_layout(xaxis={
        "type": "date", "domain": [0, right_edge], "range": [view.start, view.end],
        "rangeslider": {"visible": True, "thickness": 0.06, "range": [view.start, view.end],
                        "autorange": False},
        "autorange": False, "showspikes": True,
        "spikemode": "across", "spikethickness": 1, "spikedash": "dot",
    })
    return fig


def _stacked(view: OverviewView, mains: list[PlotLine], overlays: list[PlotLine],
             theme: str) -> go.Figure:
    rows = 1 + len(overlays)
    height = MAIN_PANEL_HEIGHT + PANEL_HEIGHT * len(overlays) + 60
    fig = make_subplots(
        rows=rows, cols=1, shared_xaxes=True, vertical_spacing=min(0.03, 0.25 / rows),
        row_heights=[MAIN_PANEL_HEIGHT] + [PANEL_HEIGHT] * len(overlays),
    )
    log = view.state.log
    main_color = MAIN_COLORS.get(theme, MAIN_COLORS["light"])
    for line in mains:
        fig.add_trace(_trace(line, main_color, "y", "x"), row=1, col=1)
    fig.update_yaxes(row=1, col=1, title=_axis_title(
        main_axis_title(view).replace(", ", "<br>", 1), main_color),
        type="log" if log and _can_log(mains) else "linear")
    for i, line in enumerate(overlays):
        color = line_color(line, i, theme)
        fig.add_trace(_trace(line, color, f"y{i + 2}", f"x{i + 2}"), row=i + 2, col=1)
        fig.update_yaxes(
            row=i + 2, col=1, title=_axis_title(f"{line.label}<br>{short_units(line.units)}",
                                                color),
            type="log" if log and _can_log([line]) else "linear", tickfont={"color": color},
        )
    bottom = f"xaxis{rows}" if rows > 1 else "xaxis"
    fig.update_xaxes(type="date", range=[view.start, view.end], showspikes=True,
                     spikemode="across", spikethickness=1, spikedash="dot")
    fig.update_layout(**{bottom: {"rangeslider": {"visible": True, "thickness": 0.05,
                                                  "range": [view.start, view.end],
                                                  "autorange": False}}},
                      height=height, hoversubplots="axis")
    return fig
