"""Optional date markers on the Overview chart: FOMC meetings and the next expected H.4.1.

Thin vertical lines through every panel (shapes on paper y, so stacked panels all get
them) plus a small tick at the top of the plot that carries the hover text; unscheduled
meetings are drawn solid in a second colour with a diamond tick. The ticks sit on the band
hover axis (0..1, hidden), so they never stretch an axis that carries data. Pure dicts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from dashboard.analytics.releases import SCHEDULE_URL, ExpectedRelease
from dashboard.figures.bands import HOVER_AXIS, hover_axis
from dashboard.fomc import FomcMeeting

FOMC_COLORS = {"light": "#5B6B7F", "dark": "#9AA8B8"}
UNSCHEDULED_COLORS = {"light": "#C2410C", "dark": "#FB923C"}
H41_COLORS = {"light": "#0072B2", "dark": "#56B4E9"}
FOMC_META = "fomc-marker"
H41_META = "h41-marker"
TICK_Y = 0.985  # the ticks' height on the hidden 0..1 hover axis: the top of the plot
# Beyond this many scheduled meetings in the window (about five years) their lines would
# hatch the whole plot: only the ticks stay (and the few unscheduled meetings' lines).
MAX_LINED_MEETINGS = 40


def _line(day: str, color: str, dash: str, name: str, width: float = 1.0) -> dict:
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": day,
        "x1": day,
        "y0": 0,
        "y1": 1,
        "line": {"color": color, "width": width, "dash": dash},
        "opacity": 0.55,
        "layer": "below",
        "name": name,
    }


def fomc_marker_parts(
    meetings: Iterable[FomcMeeting], theme: str = "light"
) -> tuple[list[dict], list[dict]]:
    """(shapes, hover traces) for `meetings`: one dotted line per scheduled meeting (unless
    there are more than MAX_LINED_MEETINGS) and a solid one per unscheduled meeting, at the
    statement date, and one tick trace per kind."""
    meetings = list(meetings)
    scheduled_lines = sum(not m.unscheduled for m in meetings) <= MAX_LINED_MEETINGS
    shapes: list[dict] = []
    traces: list[dict] = []
    for unscheduled in (False, True):
        group = [m for m in meetings if m.unscheduled == unscheduled]
        if not group:
            continue
        colors = UNSCHEDULED_COLORS if unscheduled else FOMC_COLORS
        color = colors.get(theme, colors["light"])
        days = [f"{m.statement_date:%Y-%m-%d}" for m in group]
        if unscheduled or scheduled_lines:
            dash = "solid" if unscheduled else "dot"
            shapes += [_line(day, color, dash, f"fomc-{day}", 1.2) for day in days]
        texts = [m.label() + (f"<br>{m.note}" if m.note else "") for m in group]
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": days,
                "y": [TICK_Y] * len(days),
                "yaxis": HOVER_AXIS,
                "marker": {
                    "symbol": "diamond" if unscheduled else "triangle-down",
                    "size": 8 if unscheduled else 6,
                    "color": color,
                },
                "text": texts,
                "hovertemplate": "%{text}<extra></extra>",
                "name": "FOMC (unscheduled)" if unscheduled else "FOMC meeting",
                "showlegend": False,
                "meta": FOMC_META,
            }
        )
    return shapes, traces


def release_marker_parts(
    release: ExpectedRelease, theme: str = "light"
) -> tuple[list[dict], list[dict], list[dict]]:
    """(shapes, annotations, hover traces) for the next expected H.4.1 release."""
    color = H41_COLORS.get(theme, H41_COLORS["light"])
    day = f"{release.day:%Y-%m-%d}"
    text = f"Next H.4.1 (expected): {release.text()}"
    shape = _line(day, color, "dash", "h41-next", 1.4)
    label = {
        "text": f"<a href='{SCHEDULE_URL}' target='_blank' style='color:{color}'>H.4.1?</a>",
        "x": day,
        "xref": "x",
        "y": 0,
        "yref": "paper",
        "yanchor": "bottom",
        "xanchor": "right",
        "showarrow": False,
        "font": {"size": 10, "color": color},
        "hovertext": text,
        "name": "h41-label",
    }
    tick = {
        "type": "scatter",
        "mode": "markers",
        "x": [day],
        "y": [TICK_Y],
        "yaxis": HOVER_AXIS,
        "marker": {"symbol": "star", "size": 9, "color": color},
        "hovertemplate": text + "<extra></extra>",
        "name": "Next H.4.1 (expected)",
        "showlegend": False,
        "meta": H41_META,
    }
    return [shape], [label], [tick]


def marker_key_html(view, theme: str = "light") -> str:
    """The key's words for the markers drawn, e.g. "▼ FOMC ◆ unscheduled ★ next H.4.1
    (expected)"; empty when none is."""
    parts = []
    if view.fomc:
        parts.append(f"<span style='color:{FOMC_COLORS.get(theme)}'>▼</span> FOMC")
        if any(m.unscheduled for m in view.fomc):
            color = UNSCHEDULED_COLORS.get(theme)
            parts.append(f"<span style='color:{color}'>◆</span> unscheduled")
    if view.h41 is not None:
        color = H41_COLORS.get(theme)
        parts.append(f"<span style='color:{color}'>★</span> next H.4.1 (expected)")
    return " ".join(parts)


def overview_marker_parts(view, theme: str = "light"):
    """Everything the Overview chart adds for `view.fomc` and `view.h41`: (shapes,
    annotations, traces, layout update, the last date the x axis must show or None)."""
    shapes, annotations, traces = [], [], []
    if view.fomc:
        fomc_shapes, fomc_traces = fomc_marker_parts(view.fomc, theme)
        shapes += fomc_shapes
        traces += fomc_traces
    x_end = None
    if view.h41 is not None:
        h41_shapes, h41_labels, h41_traces = release_marker_parts(view.h41, theme)
        shapes += h41_shapes
        annotations += h41_labels
        traces += h41_traces
        if view.h41.day > view.end:
            x_end = f"{view.h41.day + timedelta(days=1):%Y-%m-%d}"
    return shapes, annotations, traces, (hover_axis() if traces else {}), x_end
