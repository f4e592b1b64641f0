"""QE/QT episode bands: shaded rectangles with labels and hover text, for any time chart."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard.episodes import KIND_LABELS, Episode

KIND_COLORS = {
    "QE": "rgba(46, 160, 67, 0.14)",
    "QT": "rgba(214, 39, 40, 0.12)",
    "RMP": "rgba(31, 119, 180, 0.14)",
    "TWIST": "rgba(148, 103, 189, 0.16)",
    "FACILITY": "rgba(255, 127, 14, 0.16)",
}
KIND_LINE_COLORS = {
    "QE": "rgb(46, 160, 67)",
    "QT": "rgb(214, 39, 40)",
    "RMP": "rgb(31, 119, 180)",
    "TWIST": "rgb(148, 103, 189)",
    "FACILITY": "rgb(255, 127, 14)",
}
KIND_SHORT = {"QE": "QE", "QT": "QT", "RMP": "RMP", "TWIST": "Twist", "FACILITY": "Facility"}
KIND_KEY = {
    "QE": "QE",
    "QT": "QT",
    "RMP": "Reserve-mgmt bills",
    "TWIST": "Twist",
    "FACILITY": "Emergency facility",
}

# The hover traces live on their own hidden y axis (range 0..1, overlaying the first one), so
# they never stretch the range of an axis that carries data.
HOVER_AXIS = "y99"
HOVER_AXIS_KEY = "yaxis99"
HOVER_META = "episode-hover"
LABEL_FONT_PX = 10
LABEL_CHAR_PX = 6.2  # average glyph width at LABEL_FONT_PX, to keep labels from colliding
LABEL_ROW_PX = 14
MAX_LABEL_ROWS = 3
HOVER_POINTS = 240  # hover points across the window: dense enough for unified hover


def hover_axis() -> dict:
    """The hidden 0..1 y axis for hover traces and marker ticks, as a layout update."""
    return {
        HOVER_AXIS_KEY: {
            "overlaying": "y",
            "range": [0, 1],
            "visible": False,
            "fixedrange": True,
            "showgrid": False,
            "zeroline": False,
        }
    }


def visible_episodes(
    episodes: Iterable[Episode], start: date, end: date, today: date
) -> list[Episode]:
    """Main episodes (no sub-phases) that overlap [start, end]."""
    return [e for e in episodes if not e.is_phase and e.start <= end and e.end_or(today) >= start]


def band_label(episode: Episode) -> str:
    """A label short enough for the band: the name, or "BTFP", or "RMP 2019"."""
    if len(episode.name) <= 16:
        return episode.name
    if episode.id.isalpha():
        return episode.id
    return f"{KIND_SHORT[episode.kind]} {episode.start.year}"


def band_span(
    episode: Episode, start: date, end: date, today: date
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The part of the episode inside [start, end] (ongoing episodes run to `today`)."""
    x0 = max(pd.Timestamp(episode.start), pd.Timestamp(start))
    x1 = min(pd.Timestamp(episode.end_or(today)), pd.Timestamp(end))
    return x0, x1


def label_rows(
    spans: Sequence[tuple[pd.Timestamp, pd.Timestamp]],
    labels: Sequence[str],
    start: date,
    end: date,
    plot_width_px: float = 1100.0,
) -> list[int]:
    """A row (0 = lowest) for each band label so that labels centred on their bands do not
    overlap, assuming the window is drawn `plot_width_px` wide. Greedy, left to right; past
    MAX_LABEL_ROWS rows the least crowded row is reused."""
    total_days = max((pd.Timestamp(end) - pd.Timestamp(start)).days, 1)
    days_per_px = total_days / plot_width_px
    order = sorted(range(len(spans)), key=lambda i: spans[i][0] + (spans[i][1] - spans[i][0]) / 2)
    row_ends: list[pd.Timestamp] = []
    rows = [0] * len(spans)
    for i in order:
        x0, x1 = spans[i]
        centre = x0 + (x1 - x0) / 2
        half = pd.Timedelta(days=(len(labels[i]) * LABEL_CHAR_PX / 2 + 4) * days_per_px)
        left, right = centre - half, centre + half
        row = next((r for r, e in enumerate(row_ends) if e < left), None)
        if row is None and len(row_ends) < MAX_LABEL_ROWS:
            row_ends.append(right)
            row = len(row_ends) - 1
        elif row is None:
            row = min(range(len(row_ends)), key=lambda r: row_ends[r])
        row_ends[row] = max(row_ends[row], right)
        rows[i] = row
    return rows


def hover_text(episode: Episode, link: bool = True) -> str:
    """Hover text: name, kind, dates, what the Fed did, and a link to the statement."""
    ends = "ongoing" if episode.ongoing else f"{episode.end:%Y-%m-%d}"
    text = (
        f"<b>{episode.name}</b> ({KIND_LABELS[episode.kind]})<br>"
        f"announced {episode.announced:%Y-%m-%d}; in force {episode.start:%Y-%m-%d} → {ends}"
        f"<br>{episode.description}"
    )
    if link:
        text += f"<br><a href='{episode.source_url}' target='_blank'>FOMC statement</a>"
    return text


def short_hover_text(episode: Episode) -> str:
    """One short line for a unified hover that also lists the series: the band's name."""
    return f"<b>{episode.name}</b>"


def kind_key_html(kinds: Iterable[str]) -> str:
    """A one-line key of band colours for the kinds given, e.g. for a figure annotation."""
    wanted = set(kinds)
    seen = [k for k in KIND_LABELS if k in wanted]
    return "   ".join(
        f"<span style='color:{KIND_LINE_COLORS[k]}'>■</span> {KIND_KEY[k]}" for k in seen
    )


def hover_positions(
    x0: pd.Timestamp, x1: pd.Timestamp, step: pd.Timedelta, dates: pd.DatetimeIndex | None
) -> list[pd.Timestamp]:
    """Where a band's hover points go: on `dates` (the chart's own data dates, so that the
    unified hover header never shows a date no series has), at most one per `step`; or,
    without dates, every `step` from x0 to x1."""
    if dates is not None:
        inside = dates[(dates >= x0) & (dates <= x1)]
        if len(inside):
            keep, last = [], None
            for day in inside:
                if last is None or day - last >= step or day == inside[-1]:
                    keep.append(day)
                    last = day
            return keep
    count = int((x1 - x0) / step) + 1
    xs = [x0 + step * i for i in range(count)]
    if xs[-1] != x1:
        xs.append(x1)
    return xs


def episode_band_parts(
    episodes: Iterable[Episode],
    start: date,
    end: date,
    today: date,
    label_row: bool = True,
    plot_width_px: float = 1100.0,
    hover_dates: pd.DatetimeIndex | None = None,
    compact: bool = False,
) -> tuple[list[dict], list[dict], list[dict], dict]:
    """The pieces of episode bands as plain Plotly dicts: (shapes, label annotations, hover
    traces, {HOVER_AXIS_KEY: hidden axis}) for the main episodes overlapping [start, end].
    Empty lists (and no axis) when none overlaps. `hover_dates`: the chart's data dates, to
    put hover points on (see `hover_positions`). See `add_episode_bands`."""
    shown = visible_episodes(episodes, start, end, today)
    if not shown:
        return [], [], [], {}
    spans = [band_span(e, start, end, today) for e in shown]
    labels = [band_label(e) for e in shown]
    rows = label_rows(spans, labels, start, end, plot_width_px)
    shapes, annotations, traces = [], [], []
    step = max((pd.Timestamp(end) - pd.Timestamp(start)) / HOVER_POINTS, pd.Timedelta(days=1))
    for episode, (x0, x1), text, row in zip(shown, spans, labels, rows):
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": f"{x0:%Y-%m-%d}",
                "x1": f"{x1:%Y-%m-%d}",
                "y0": 0,
                "y1": 1,
                "fillcolor": KIND_COLORS[episode.kind],
                "line": {"width": 0},
                "layer": "below",
                "name": f"episode-{episode.id}",
            }
        )
        if label_row:
            annotations.append(
                {
                    "x": f"{x0 + (x1 - x0) / 2:%Y-%m-%d}",
                    "y": 1.0,
                    "xref": "x",
                    "yref": "paper",
                    "yanchor": "bottom",
                    "yshift": row * LABEL_ROW_PX,
                    "showarrow": False,
                    "text": f"<a href='{episode.source_url}' target='_blank' "
                    f"style='color:{KIND_LINE_COLORS[episode.kind]}'>{text}</a>",
                    "font": {"size": LABEL_FONT_PX, "color": KIND_LINE_COLORS[episode.kind]},
                    "name": f"episode-label-{episode.id}",
                    # the details live on the label, so the chart's hover can stay short
                    "hovertext": hover_text(episode, link=False),
                }
            )
        xs = hover_positions(x0, x1, step, hover_dates)
        traces.append(
            {
                "type": "scatter",
                "x": [f"{x:%Y-%m-%d}" for x in xs],
                "y": [0.5] * len(xs),
                "yaxis": HOVER_AXIS,
                "mode": "markers",
                "marker": {"size": 8, "opacity": 0},
                "hovertemplate": (short_hover_text(episode) if compact else hover_text(episode))
                + "<extra></extra>",
                "name": episode.name,
                "showlegend": False,
                "meta": HOVER_META,
            }
        )
    return shapes, annotations, traces, hover_axis()


def add_episode_bands(
    fig: go.Figure,
    episodes: Iterable[Episode],
    start: date,
    end: date,
    today: date,
    label_row: bool = True,
    plot_width_px: float = 1100.0,
) -> go.Figure:
    """Shade each episode overlapping [start, end] across every panel of `fig`, label it at
    the top (labels stagger into up to three rows when they would collide), and add hover
    text (name, dates, what the Fed did, source link).

    Bands are layout shapes spanning the full paper height (yref="paper"), so they sit under
    all stacked panels at once. Hover comes from one invisible trace per episode on a hidden
    y axis of its own (HOVER_AXIS, 0..1), so no data axis changes its range. Returns `fig`
    (modified in place).
    """
    shapes, annotations, traces, axis = episode_band_parts(
        episodes, start, end, today, label_row, plot_width_px
    )
    if not shapes:
        return fig
    fig.update_layout(
        shapes=list(fig.layout.shapes or ()) + shapes,
        annotations=list(fig.layout.annotations or ()) + annotations,
        **axis,
    )
    fig.add_traces(traces)
    return fig
