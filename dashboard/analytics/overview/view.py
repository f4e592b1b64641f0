"""Preparing what the Overview chart shows: the lines for a view state (window, scaling,
thinning, rebasing, clipping), the episodes and recessions to shade, notices for what was
left out, and a file name that says what the chart shows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from dashboard.analytics.overview.lines import (
    THIN_AFTER_DAYS,
    is_daily,
    rebase_to_100,
    thin_weekly,
    units_scale,
    window_for,
)
from dashboard.analytics.overview.state import MAIN_ID, NETLIQ_ID, RANGE_LABELS, OverviewState
from dashboard.analytics.releases import ExpectedRelease
from dashboard.analytics.units import LEVEL, apply_units, unit_for, unit_text
from dashboard.catalog import SeriesInfo, get_info, is_known
from dashboard.episodes import Episode
from dashboard.fomc import FomcMeeting, meetings_between

# The next H.4.1 is drawn when the window ends at the latest observation and the release is
# at most this many days after it (a Wednesday's data comes out the Thursday or Friday after).
H41_REACH_DAYS = 10


# ---- plotted lines ---------------------------------------------------------------------------
@dataclass(frozen=True)
class PlotLine:
    """One line exactly as drawn (and exported): values after unit scaling, thinning and
    rebasing, indexed by date.

    role: "main" (WALCL), "netliq" (drawn on WALCL's axis) or "overlay". units: what the
    values are in after scaling ("Trillions of U.S. Dollars", or "Index, 100 = <date>").
    source_units: the catalog's units before rebasing. sampling: how points were chosen.
    unit: the unit code the values are in ("lin", the level; see `analytics/units.py`).
    """

    series_id: str
    label: str
    name: str
    role: str
    units: str
    source_units: str
    values: pd.Series
    owner: str
    as_of: date | None
    status: str
    sampling: str
    unit: str = LEVEL

    @property
    def is_level(self) -> bool:
        return self.unit == LEVEL


@dataclass(frozen=True)
class OverviewView:
    """What the chart shows: state, window, lines (main first) and the episodes to shade."""

    state: OverviewState
    start: date
    end: date
    lines: tuple[PlotLine, ...]
    rebase_date: date | None
    episodes: tuple[Episode, ...]
    notices: tuple[str, ...] = field(default_factory=tuple)
    recessions: tuple = ()  # NBER recessions overlapping the window, when switched on
    fomc: tuple[FomcMeeting, ...] = ()  # meetings announced within the window, when on
    h41: ExpectedRelease | None = None  # the next release, when on and within reach

    @property
    def main(self) -> PlotLine | None:
        return next((line for line in self.lines if line.role == "main"), None)

    @property
    def overlays(self) -> tuple[PlotLine, ...]:
        return tuple(line for line in self.lines if line.role == "overlay")


@dataclass(frozen=True)
class SeriesInput:
    """One series handed to `prepare_view`: catalog entry, observations, freshness words."""

    info: SeriesInfo
    values: pd.Series
    as_of: date | None
    status: str
    source: str = ""


def prepare_view(
    inputs: Mapping[str, SeriesInput],
    state: OverviewState,
    episodes: Iterable[Episode],
    extra_notices: Iterable[str] = (),
    recessions: Iterable = (),
    fomc_meetings: Iterable[FomcMeeting] = (),
    next_release: ExpectedRelease | None = None,
) -> OverviewView:
    """Turn raw series into the lines to draw for `state`.

    `inputs` must hold WALCL, the overlays and (if `state.netliq`) NETLIQ; missing or empty
    ones are left out with a notice. Steps, in order: the window (anchored at the latest
    observation among the drawn series), unit scaling (millions → trillions), weekly
    thinning of daily series over windows longer than five years, rebasing (the base is the
    first remaining point on/after the anchor, taken before clipping so that an episode start
    before the window still works), clipping to the window. FOMC meetings and the next
    H.4.1 release are kept when their switches are on (the release only when the window
    ends at the latest observation and it falls within H41_REACH_DAYS of it).
    """
    notices = list(extra_notices)
    episodes = tuple(episodes)
    by_id = {e.id: e for e in episodes}
    wanted = [(MAIN_ID, "main")]
    if state.netliq:
        wanted.append((NETLIQ_ID, "netliq"))
    wanted += [(sid, "overlay") for sid in state.overlays]

    present: list[tuple[str, str, SeriesInput]] = []
    for series_id, role in wanted:
        item = inputs.get(series_id)
        if item is None or item.values.dropna().empty:
            label = (
                item.info.label
                if item
                else (get_info(series_id).label if is_known(series_id) else series_id)
            )
            why = f" ({item.status})" if item and item.status else ""
            notices.append(f"{label}: no data to plot{why}.")
            continue
        present.append((series_id, role, item))

    if not present:
        today = date.today()
        return OverviewView(state, today, today, (), None, (), tuple(notices))

    main_item = next((i for sid, _, i in present if sid == MAIN_ID), present[0][2])
    first = main_item.values.dropna().index[0].date()
    last = max(i.values.dropna().index[-1].date() for _, _, i in present)
    episode = by_id.get(state.episode) if state.episode else None
    start, end = window_for(state.range, first, last, episode, state.date_from, state.date_to)
    if (state.date_from and state.date_from >= last) or (state.date_to and state.date_to <= first):
        notices.append(
            f"No data between {state.date_from or first} and {state.date_to or last}; showing "
            f"the {RANGE_LABELS.get(state.range, state.range)} range instead."
        )

    anchor: date | None = None
    if state.rebase == "start":
        anchor = start
    elif state.rebase == "episode" and episode is not None:
        if episode.start > end:
            notices.append(f"{episode.name} starts after the window; rebased at its start.")
            anchor = start
        else:
            anchor = episode.start

    thin = (end - start).days > THIN_AFTER_DAYS
    lines: list[PlotLine] = []
    base_dates: list[date] = []
    not_rebased: list[str] = []  # lines in another unit than their level
    linear: list[str] = []
    for series_id, role, item in present:
        info = item.info
        unit = unit_for(state.unit(series_id))
        divisor, units = units_scale(info, unit.kind)
        values = item.values.dropna().astype("float64")
        if divisor != 1.0:
            values = values / divisor
        if unit.code != LEVEL:
            # before the window: a year-ago change at the window start needs the year before
            values = apply_units(values, unit.code).dropna()
            units = unit_text(unit.code, units)
        named = info.label if unit.code == LEVEL else f"{info.label} ({unit.label.lower()})"
        # Sample first, then rebase: the base is then a plotted point, so a line rebased at
        # the window start begins at exactly 100.
        lo = min(start, anchor) if anchor is not None else start
        values = values[(values.index >= pd.Timestamp(lo)) & (values.index <= pd.Timestamp(end))]
        sampling = "as published"
        if thin and is_daily(info):
            values = thin_weekly(values, lo, end)
            sampling = "weekly: last observation of each week ending Wednesday"
        if anchor is not None and unit.code != LEVEL:
            not_rebased.append(named)
        elif anchor is not None:
            rebased = rebase_to_100(values, anchor)
            if rebased is None:
                notices.append(
                    f"{info.label} cannot be rebased at {anchor:%Y-%m-%d} (no "
                    f"positive observation within a week of it); left out while "
                    f"rebasing."
                )
                continue
            values, base_date = rebased
            base_dates.append(base_date)
            units = f"Index, 100 = first value on/after {anchor:%Y-%m-%d}"
        window = values[values.index >= pd.Timestamp(start)]
        window.index.name = "date"
        if window.empty:
            notices.append(f"{named}: no observations between {start} and {end}.")
            continue
        if state.log and unit.code != LEVEL:
            linear.append(named)
        elif state.log and (window <= 0).any():
            notices.append(f"{info.label} has values at or below zero; its axis stays linear.")
        lines.append(
            PlotLine(
                series_id=series_id,
                label=info.label,
                name=info.name,
                role=role,
                units=units,
                source_units=info.units,
                values=window,
                owner=info.owner,
                as_of=item.as_of,
                status=item.status,
                sampling=sampling,
                unit=unit.code,
            )
        )
    if not_rebased:
        notices.append(f"Not rebased (rebasing applies to levels only): {', '.join(not_rebased)}.")
    if linear:
        notices.append(f"Linear axis (log scale applies to levels only): {', '.join(linear)}.")
    shown = tuple(
        e
        for e in episodes
        if state.episodes and not e.is_phase and e.start <= end and e.end_or(last) >= start
    )
    shaded = tuple(r for r in recessions if state.recessions and r.start <= end and r.end >= start)
    if not_rebased and not base_dates:
        anchor = None  # every line is in another unit than its level: nothing is rebased
    meetings = meetings_between(tuple(fomc_meetings), start, end) if state.fomc else ()
    reach = next_release is not None and end >= last
    reach = reach and 0 <= (next_release.day - end).days <= H41_REACH_DAYS
    release = next_release if state.h41 and reach else None
    return OverviewView(
        state, start, end, tuple(lines), anchor, shown, tuple(notices), shaded, meetings, release
    )


# ---- file names ------------------------------------------------------------------------------
def series_slug(series_id: str) -> str:
    """A short lowercase name for file names: "TLT" → "tlt", "BTC-USD" → "btc",
    "BAMLH0A0HYM2" → "hy-oas" (long FRED codes use their short label)."""
    core = series_id.split("-")[0]
    text = core if len(core) <= 6 else (get_info(series_id).label if is_known(series_id) else core)
    slug = "".join(ch if ch.isalnum() else "-" for ch in text.lower())
    return "-".join(part for part in slug.split("-") if part)


def export_basename(view: OverviewView) -> str:
    """A file name without extension that says what the chart shows, e.g.
    "walcl-vs-tlt-btc-2016-2026" (or "walcl-2016-2026" with no overlays); a line in another
    unit than its level carries the unit's code ("walcl-vs-btc-pc1-2021-2026")."""

    def slug(series_id: str) -> str:
        code = view.state.unit(series_id)
        return series_slug(series_id) + ("" if code == "lin" else f"-{code}")

    overlays = [slug(line.series_id) for line in view.overlays]
    head = slug(MAIN_ID) + ("-vs-" + "-".join(overlays) if overlays else "")
    if view.state.rebase != "off":
        head += "-rebased"
    return f"{head[:80].rstrip('-')}-{view.start.year}-{view.end.year}"
