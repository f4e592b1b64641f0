"""The Overview chart: WALCL (left axis, $ trillions) against overlays, as right axes, one
rebased axis, or stacked panels; QE/QT bands; a key for the band colours.

Pure: an `OverviewView` (numbers already scaled, rebased and thinned) comes in, a Plotly
figure goes out. The same figure is shown on the page and rendered for image export.
"""

from __future__ import annotations

import copy
from datetime import date

import plotly.graph_objects as go

from dashboard.analytics.overview import OverviewView
from dashboard.figures.bands import episode_band_parts, kind_key_html
from dashboard.figures.common import message_figure
from dashboard.figures.markers import marker_key_html, overview_marker_parts
from dashboard.figures.overview.panels import axes_layout, stacked_layout
from dashboard.figures.overview.parts import (
    BACKGROUNDS,
    CHART_HEIGHT,
    LABEL_ROW_PX,
    LEGEND_PX,
    MUTED,
    RECESSION_COLORS,
    RECESSION_KEY_COLORS,
    axis_groups,
    paper_y,
    template_dict,
)


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
    mains, overlays = axis_groups(view)
    today = today or view.end
    if (view.state.mode == "stacked" or narrow) and overlays:
        data, layout = stacked_layout(view, mains, overlays, theme, rangeslider)
    else:
        data, layout = axes_layout(view, mains, overlays, theme, plot_width_px, rangeslider)
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
    mark_shapes, mark_labels, mark_traces, mark_axis, x_end = overview_marker_parts(view, theme)
    shapes += mark_shapes
    annotations += mark_labels
    data += mark_traces
    layout.update(mark_axis)
    if x_end:  # the next release lies just past the data: show the days up to it
        layout["xaxis"]["range"] = [layout["xaxis"]["range"][0], x_end]
        if "rangeslider" in layout["xaxis"]:
            layout["xaxis"]["rangeslider"]["range"] = layout["xaxis"]["range"]

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
    marks = marker_key_html(view, theme)
    if key or marks:
        annotations.append(
            {
                "text": "   ".join(t for t in ("Shaded: " + key if key else "", marks) if t),
                "xref": "paper",
                "yref": "paper",
                "x": 1,
                "xanchor": "right",
                "yanchor": "top",
                "y": paper_y(total - title_px, total, top, bottom),
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
                "y": paper_y(6, total, top, bottom),
                "yanchor": "bottom",
                "align": "left",
                "showarrow": False,
                "font": {"size": 10, "color": muted},
                "name": "footer",
            }
        )
    background = BACKGROUNDS.get(theme, BACKGROUNDS["light"])
    layout.update(
        template=copy.deepcopy(template_dict(theme)),  # figures must not share one dict
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
