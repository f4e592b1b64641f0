"""The two layouts of the Overview chart: overlays on right axes (or every line on one
rebased axis), and stacked panels sharing one date axis."""

from __future__ import annotations

from dashboard.analytics.overview import OverviewView, PlotLine
from dashboard.figures.overview.parts import (
    MAIN_COLORS,
    MAIN_PANEL_HEIGHT,
    MUTED,
    PANEL_HEIGHT,
    RIGHT_AXIS_PX,
    axis_title,
    axis_type,
    line_color,
    log_ticks,
    main_axis_title,
    short_units,
    trace,
    x_axis,
)


def axes_layout(
    view: OverviewView,
    mains: list[PlotLine],
    overlays: list[PlotLine],
    theme: str,
    plot_width_px: float,
    rangeslider: bool,
) -> tuple[list[dict], dict]:
    log = view.state.log
    main_color = MAIN_COLORS.get(theme, MAIN_COLORS["light"])
    # colours by position among the overlays, wherever a line ends up
    colors = {id(line): line_color(line, i, theme) for i, line in enumerate(overlays)}
    colors.update({id(line): main_color for line in mains})
    data: list[dict] = []
    layout: dict = {}
    everything = mains + overlays
    # Rebasing puts the level lines on one index axis; a line in another unit (a change)
    # keeps an axis of its own.
    rebased = [line for line in everything if line.is_level] if view.rebase_date else []
    if rebased:
        left = rebased
        right = [line for line in everything if not line.is_level]
        units = short_units(left[0].units)
        who = "All series rebased" if not right else "Levels rebased"
        layout["yaxis"] = {
            "title": axis_title(f"{who}, {units}", main_color),
            "type": axis_type(log, left),
            **log_ticks(log, left),
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
    else:
        left, right = mains, overlays
        layout["yaxis"] = {
            "title": axis_title(main_axis_title(view, mains), main_color),
            "type": axis_type(log, mains),
            "zeroline": False,
            **log_ticks(log, mains),
        }
    for line in left:
        data.append(trace(line, colors[id(line)], "y"))
    extra = max(len(right) - 1, 0)
    right_edge = max(1.0 - extra * RIGHT_AXIS_PX / plot_width_px, 0.5)
    for i, line in enumerate(right):
        color = colors[id(line)]
        number = i + 2
        data.append(trace(line, color, f"y{number}"))
        axis = {
            "title": axis_title(f"{line.label}, {short_units(line.units)}", color),
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "zeroline": False,
            # own round ticks, not ticks synced to the left axis' grid
            "tickmode": "auto",
            "nticks": 8,
            "tickfont": {"color": color},
            "type": axis_type(log, [line]),
            **log_ticks(log, [line]),
        }
        if i == 0:
            axis["anchor"] = "x"
        else:
            axis["anchor"] = "free"
            axis["position"] = min(right_edge + (i * RIGHT_AXIS_PX - 8) / plot_width_px, 1.0)
        layout[f"yaxis{number}"] = axis
    layout["xaxis"] = x_axis(view, rangeslider, domain=[0, right_edge])
    return data, layout


def stacked_layout(
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
    data = [trace(line, main_color, "y", "x") for line in mains]
    layout: dict = {
        "height": sum(heights) + 60 + gap * (rows - 1),
        "hoversubplots": "axis",
        "yaxis": {
            "domain": domains[0],
            "anchor": "x",
            "type": axis_type(log, mains),
            "title": axis_title(main_axis_title(view, mains).replace(", ", "<br>", 1), main_color),
            **log_ticks(log, mains),
        },
    }
    for i, line in enumerate(overlays):
        number = i + 2
        color = line_color(line, i, theme)
        data.append(trace(line, color, f"y{number}", "x"))
        layout[f"yaxis{number}"] = {
            "domain": domains[i + 1],
            "anchor": "x",
            "type": axis_type(log, [line]),
            "title": axis_title(f"{line.label}<br>{short_units(line.units)}", color),
            "tickfont": {"color": color},
            **log_ticks(log, [line]),
        }
    bottom = "y" if rows == 1 else f"y{rows}"
    layout["xaxis"] = x_axis(view, rangeslider, anchor=bottom)
    return data, layout
