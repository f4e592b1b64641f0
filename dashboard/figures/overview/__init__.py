"""The Overview chart: WALCL (left axis, $ trillions) against overlays, as right axes, one
rebased axis, or stacked panels; QE/QT bands; a key for the band colours.

Pure: an `OverviewView` (numbers already scaled, rebased and thinned) comes in, a Plotly
figure goes out. The same figure is shown on the page and rendered for image export.

Modules: `figure` (`overview_figure`: bands, key, legend, margins), `panels` (right axes
or stacked panels) and `parts` (colours, units, traces, axes, log ticks).
"""

from dashboard.figures.overview.figure import overview_figure
from dashboard.figures.overview.parts import (
    CHART_HEIGHT,
    GRAPH_META,
    NARROW_PX,
    SERIES_COLORS,
    SHORT_UNITS,
    line_color,
    log_tick_values,
    main_axis_title,
    plot_dates,
    short_units,
    tick_label,
    value_format,
)

__all__ = [
    "CHART_HEIGHT",
    "GRAPH_META",
    "NARROW_PX",
    "SERIES_COLORS",
    "SHORT_UNITS",
    "line_color",
    "log_tick_values",
    "main_axis_title",
    "overview_figure",
    "plot_dates",
    "short_units",
    "tick_label",
    "value_format",
]
