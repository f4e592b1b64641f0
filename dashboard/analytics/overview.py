"""The Overview page's numbers: view state from the URL, date windows, plotted lines
(unit scaling, thinning, rebasing), headline cards and the current balance-sheet regime.

Everything here is pure: series and catalog entries come in, dataclasses of numbers come out.
No Dash, no store, no network. The page, the exporter and the CLI share these functions so
that the chart, its CSV and its image always show the same numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import pandas as pd

from dashboard.catalog import SERIES, SeriesInfo, get_info, is_known
from dashboard.data.align import asof_join
from dashboard.episodes import Episode

MAIN_ID = "WALCL"
NETLIQ_ID = "NETLIQ"
# LBMA gold, not GLD: the benchmark price of the metal itself in $/oz, from 1968, with no
# fund fee drag; GLD stays one click away in the series picker.
DEFAULT_OVERLAYS: tuple[str, ...] = ("TLT", "BAMLH0A0HYM2", "BTC-USD", "LBMA_GOLD_PM_USD")
MAX_OVERLAYS = 8  # more right axes than this do not fit beside a chart

RANGE_PRESETS: tuple[str, ...] = ("1Y", "3Y", "5Y", "10Y", "MAX", "EPISODE")
RANGE_LABELS = {
    "1Y": "1Y",
    "3Y": "3Y",
    "5Y": "5Y",
    "10Y": "10Y",
    "MAX": "Max",
    "EPISODE": "Episode",
}
RANGE_YEARS = {"1Y": 1, "3Y": 3, "5Y": 5, "10Y": 10}
MODES: tuple[str, ...] = ("axes", "stacked")
REBASES: tuple[str, ...] = ("off", "start", "episode")

# Daily series over windows longer than this are sampled weekly (see `thin_weekly`).
THIN_AFTER_DAYS = int(5 * 365.25)
ROUND_REBASED = 4  # decimals kept on rebased values (index points)

TRILLIONS = "Trillions of U.S. Dollars"
MILLIONS = "Millions of U.S. Dollars"


# ---- view state ------------------------------------------------------------------------------
@dataclass(frozen=True)
class OverviewState:
    """Everything that defines the chart; it round-trips through the URL query string.

    overlays: catalog ids drawn against WALCL. range: a RANGE_PRESETS value. rebase: "off",
    "start" (100 at the window start) or "episode" (100 at `episode`'s start). mode: "axes"
    (one right axis per overlay) or "stacked" (one panel per overlay). episode: the episode
    used by range "EPISODE" and rebase "episode". date_from / date_to: a window typed in or
    zoomed to (URL `from` / `to`); when set they replace the preset's start / end, so what is
    on screen, and rebasing at its start, survive a copied link.
    """

    overlays: tuple[str, ...] = DEFAULT_OVERLAYS
    range: str = "MAX"
    rebase: str = "off"
    log: bool = False
    mode: str = "axes"
    episodes: bool = True
    netliq: bool = False
    episode: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    recessions: bool = False


DEFAULT_STATE = OverviewState()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _flag(raw: object, default: bool, name: str, notices: list[str]) -> bool:
    if raw is None:
        return default
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    notices.append(f"Ignored {name}={_shown(raw)} (use 1 or 0).")
    return default


def _shown(raw: object) -> str:
    """A URL value, shortened and made harmless for display."""
    text = str(raw)
    return repr(text[:30] + ("…" if len(text) > 30 else ""))


EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2100, 12, 31)
_DAY_PATTERN = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def parse_day(raw: object) -> date | None:
    """A date from "2020-03-15", "2020-03" (its first day) or "2020" (1 January), or a
    Plotly axis value ("2020-03-15 12:34:56.789", time dropped). None when it is not one of
    those or falls outside 1900-2100."""
    if isinstance(raw, date):
        day = raw
    else:
        text = str(raw).strip()[:10] if isinstance(raw, str) else ""
        match = _DAY_PATTERN.match(text)
        if not match:
            return None
        year, month, dom = match.group(1), match.group(2) or "1", match.group(3) or "1"
        try:
            day = date(int(year), int(month), int(dom))
        except ValueError:
            return None
    return day if EARLIEST_DAY <= day <= LATEST_DAY else None


def parse_window(
    raw_from: object, raw_to: object, notices: list[str]
) -> tuple[date | None, date | None]:
    """(date_from, date_to) from URL or typed values; blanks are None. A value that is not a
    date, or a `from` not before `to`, is dropped with a notice."""

    def one(raw: object, name: str) -> date | None:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        day = parse_day(raw)
        if day is None:
            notices.append(f"Ignored {name}={_shown(raw)} (use a date like 2020-01-31).")
        return day

    start, end = one(raw_from, "from"), one(raw_to, "to")
    if start is not None and end is not None and start >= end:
        notices.append(f"Ignored from={start} to={end}: the start must come before the end.")
        return None, None
    return start, end


def resolve_series_id(token: str) -> str | None:
    """A catalog id for a user-typed token: the exact id, any case, the id without its
    "-USD" suffix ("BTC"), the short label ("Gold", "HY OAS") or an alias ("10y"). None when
    nothing matches."""
    text = token.strip()
    if is_known(text):
        return text
    folded = text.casefold()
    for info in SERIES:
        names = {info.id.casefold(), info.id.split("-")[0].casefold(), info.label.casefold()}
        if folded in names:
            return info.id
    # then the catalog's aliases ("10y", "gold"), first listed wins a shared one
    return next((i.id for i in SERIES if folded in getattr(i, "aliases", ())), None)


def parse_overlays(raw: object, notices: list[str]) -> tuple[tuple[str, ...], bool]:
    """Overlay ids from a comma-separated URL value. Returns (overlays, netliq_requested):
    WALCL is dropped (it is always drawn) and NETLIQ turns on the net-liquidity line."""
    if raw is None:
        return DEFAULT_OVERLAYS, False
    tokens = raw if isinstance(raw, list | tuple) else str(raw).split(",")
    overlays: list[str] = []
    unknown: list[str] = []
    netliq = False
    for token in tokens:
        if not isinstance(token, str) or not token.strip():
            continue
        series_id = resolve_series_id(token)
        if series_id is None:
            unknown.append(token.strip())
        elif series_id == NETLIQ_ID:
            netliq = True
        elif series_id != MAIN_ID and series_id not in overlays:
            overlays.append(series_id)
    if unknown:
        shown = ", ".join(_shown(t) for t in unknown[:5])
        notices.append(f"Unknown series {shown} left out (see the Data page for the list).")
    if len(overlays) > MAX_OVERLAYS:
        notices.append(f"At most {MAX_OVERLAYS} overlays; kept the first {MAX_OVERLAYS}.")
        overlays = overlays[:MAX_OVERLAYS]
    if unknown and not overlays and not netliq:
        return DEFAULT_OVERLAYS, False
    return tuple(overlays), netliq


def parse_state(
    query: Mapping[str, object], episodes: Iterable[Episode]
) -> tuple[OverviewState, list[str]]:
    """The view state for URL query values (as Dash pages passes them: name → string).

    Anything missing takes its default; anything malformed takes its default and adds a
    short notice for the user. Never raises.
    """
    notices: list[str] = []
    episode_ids = {e.id for e in episodes}
    overlays, netliq_from_overlays = parse_overlays(query.get("overlays"), notices)

    range_raw = query.get("range")
    range_ = DEFAULT_STATE.range
    if range_raw is not None:
        candidate = str(range_raw).strip().upper()
        if candidate in RANGE_PRESETS:
            range_ = candidate
        else:
            notices.append(f"Unknown range {_shown(range_raw)}; showing Max.")

    mode_raw = query.get("mode")
    mode = DEFAULT_STATE.mode
    rebase_from_mode = False
    if mode_raw is not None:
        candidate = str(mode_raw).strip().lower()
        if candidate in MODES:
            mode = candidate
        elif candidate == "rebase":  # "rebased on one axis" is axes mode with rebasing
            rebase_from_mode = True
        else:
            notices.append(f"Unknown layout mode {_shown(mode_raw)}; using right axes.")

    rebase_raw = query.get("rebase")
    rebase = "start" if rebase_from_mode else DEFAULT_STATE.rebase
    if rebase_raw is not None:
        candidate = str(rebase_raw).strip().lower()
        if candidate in _TRUE or candidate == "start":
            rebase = "start"
        elif candidate in _FALSE:
            rebase = "off"
        elif candidate == "episode":
            rebase = "episode"
        else:
            notices.append(f"Ignored rebase={_shown(rebase_raw)} (use 1, 0 or episode).")

    episode_raw = query.get("episode")
    episode = None
    if episode_raw is not None and str(episode_raw).strip():
        candidate = str(episode_raw).strip()
        match = next((i for i in episode_ids if i.casefold() == candidate.casefold()), None)
        if match is None:
            notices.append(f"Unknown episode {_shown(episode_raw)}.")
        else:
            episode = match
    needs_episode = range_ == "EPISODE" or rebase == "episode"
    if needs_episode and episode is None:
        if range_ == "EPISODE":
            range_ = DEFAULT_STATE.range
        if rebase == "episode":
            rebase = "start"
        notices.append("No valid episode chosen: showing Max and rebasing at the range start.")
    if not (range_ == "EPISODE" or rebase == "episode"):
        episode = None  # unused, so it does not make two identical views differ

    date_from, date_to = parse_window(query.get("from"), query.get("to"), notices)
    state = OverviewState(
        overlays=overlays,
        range=range_,
        rebase=rebase,
        log=_flag(query.get("log"), DEFAULT_STATE.log, "log", notices),
        mode=mode,
        episodes=_flag(query.get("episodes"), DEFAULT_STATE.episodes, "episodes", notices),
        netliq=_flag(query.get("netliq"), DEFAULT_STATE.netliq, "netliq", notices)
        or netliq_from_overlays,
        episode=episode,
        date_from=date_from,
        date_to=date_to,
        recessions=_flag(query.get("recessions"), False, "recessions", notices),
    )
    return state, notices


def state_to_query(state: OverviewState) -> str:
    """The query string ("?overlays=...&range=...") that reproduces `state`. Every field is
    written, so a copied link keeps its view even if the defaults change later."""
    parts = [
        ("overlays", ",".join(state.overlays)),
        ("range", state.range),
        ("rebase", {"off": "0", "start": "1", "episode": "episode"}[state.rebase]),
        ("log", "1" if state.log else "0"),
        ("mode", state.mode),
        ("episodes", "1" if state.episodes else "0"),
        ("netliq", "1" if state.netliq else "0"),
    ]
    if state.episode and (state.range == "EPISODE" or state.rebase == "episode"):
        parts.append(("episode", state.episode))
    if state.date_from:
        parts.append(("from", f"{state.date_from:%Y-%m-%d}"))
    if state.date_to:
        parts.append(("to", f"{state.date_to:%Y-%m-%d}"))
    if state.recessions:  # written only when on, so older links read the same
        parts.append(("recessions", "1"))
    # ids are [A-Z0-9_-]; commas stay readable (browsers accept them unescaped)
    return "?" + "&".join(f"{k}={v}" for k, v in parts)


def state_from_controls(
    overlays: object,
    range_: object,
    rebase: object,
    log: object,
    mode: object,
    episodes: object,
    netliq: object,
    episode: object,
    known_episodes: Iterable[Episode],
    date_from: object = None,
    date_to: object = None,
    recessions: object = None,
) -> tuple[OverviewState, list[str]]:
    """The state for raw control values (lists, strings, booleans or garbage), by way of the
    same validation as the URL, so both paths agree on what is allowed."""
    query: dict[str, object] = {
        "overlays": ",".join(o for o in overlays if isinstance(o, str))
        if isinstance(overlays, list | tuple)
        else "",
        "range": range_ if isinstance(range_, str) else None,
        "rebase": rebase if isinstance(rebase, str) else None,
        "log": "1" if log is True or log == ["on"] else "0",
        "mode": mode if isinstance(mode, str) else None,
        "episodes": "1" if episodes is True or episodes == ["on"] else "0",
        "netliq": "1" if netliq is True or netliq == ["on"] else "0",
        "episode": episode if isinstance(episode, str) else None,
        "from": date_from if isinstance(date_from, str) else None,
        "to": date_to if isinstance(date_to, str) else None,
        "recessions": "1" if recessions is True or recessions == ["on"] else "0",
    }
    return parse_state(query, known_episodes)


RESET_WINDOW = "reset"


def window_from_relayout(relayout: object) -> tuple[date, date] | str | None:
    """What a Plotly zoom, pan or range-slider drag (Dash's `relayoutData`) did to the date
    axis: the new (start, end) dates, RESET_WINDOW for a double-click (autorange), or None
    when the event did not touch the date axis (a resize, a y-only zoom, garbage).

    Stacked panels share one date axis, so any x axis ("xaxis", "xaxis3", ...) counts."""
    if not isinstance(relayout, dict):
        return None
    for key, value in relayout.items():
        if not isinstance(key, str) or not key.startswith("xaxis"):
            continue
        axis, _, prop = key.partition(".")
        if prop == "autorange" and value is True:
            return RESET_WINDOW
        if prop in ("range", "rangeslider.range") and isinstance(value, list | tuple):
            ends = [parse_day(v) for v in value[:2]]
        elif prop == "range[0]":
            ends = [parse_day(value), parse_day(relayout.get(f"{axis}.range[1]"))]
        else:
            continue
        if len(ends) == 2 and ends[0] and ends[1] and ends[0] < ends[1]:
            return ends[0], ends[1]
    return None


# ---- date windows ----------------------------------------------------------------------------
def window_for(
    range_: str,
    first: date,
    last: date,
    episode: Episode | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> tuple[date, date]:
    """The (start, end) dates for a range preset, anchored at `last`, the latest observation
    (not today: the data may end before today). `first` bounds Max and long presets.
    "EPISODE" spans one year before the episode's start to one year after its end (or
    `last` if it is ongoing), cut at `last`. `date_from` / `date_to` (a typed or zoomed
    window) replace the preset's ends, kept within [first, last]; a window that ends up
    empty falls back to the preset."""
    start, end = _preset_window(range_, first, last, episode)
    custom_start = min(max(date_from, first), last) if date_from else start
    custom_end = max(min(date_to, last), first) if date_to else end
    if custom_start < custom_end:
        return custom_start, custom_end
    return start, end


def _preset_window(
    range_: str, first: date, last: date, episode: Episode | None
) -> tuple[date, date]:
    if range_ in RANGE_YEARS:
        start = (pd.Timestamp(last) - pd.DateOffset(years=RANGE_YEARS[range_])).date()
        return max(start, first), last
    if range_ == "EPISODE" and episode is not None:
        start = (pd.Timestamp(episode.start) - pd.DateOffset(years=1)).date()
        end = (pd.Timestamp(episode.end_or(last)) + pd.DateOffset(years=1)).date()
        return max(start, first), min(end, last)
    return first, last


# ---- plotted lines ---------------------------------------------------------------------------
@dataclass(frozen=True)
class PlotLine:
    """One line exactly as drawn (and exported): values after unit scaling, thinning and
    rebasing, indexed by date.

    role: "main" (WALCL), "netliq" (drawn on WALCL's axis) or "overlay". units: what the
    values are in after scaling ("Trillions of U.S. Dollars", or "Index, 100 = <date>").
    source_units: the catalog's units before rebasing. sampling: how points were chosen.
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

    @property
    def main(self) -> PlotLine | None:
        return next((line for line in self.lines if line.role == "main"), None)

    @property
    def overlays(self) -> tuple[PlotLine, ...]:
        return tuple(line for line in self.lines if line.role == "overlay")


def display_scale(info: SeriesInfo) -> tuple[float, str]:
    """(divisor, units) for drawing: balance-sheet items in millions are shown in trillions
    so the left axis reads like the headlines ($6.7 tn, not 6,745,699)."""
    if info.units == MILLIONS:
        return 1e6, TRILLIONS
    return 1.0, info.units


def is_daily(info: SeriesInfo) -> bool:
    return info.is_daily


def wednesdays(start: date, end: date) -> pd.DatetimeIndex:
    """Every Wednesday in [start, end] (numpy arithmetic: pd.date_range with a weekly
    offset is ~50x slower, and this runs on every chart update)."""
    first = np.datetime64(start, "D")
    first = first + (2 - (first.astype("int64") + 3) % 7) % 7  # 1970-01-01 was a Thursday
    days = np.arange(first, np.datetime64(end, "D") + 1, 7, dtype="datetime64[D]")
    return pd.DatetimeIndex(days.astype("datetime64[ns]"), name="date")


def thin_weekly(values: pd.Series, start: date, end: date) -> pd.Series:
    """The last observation of each week ending Wednesday, dated that Wednesday.

    Used for daily series over long windows to keep the chart light. Each plotted value is a
    real observation at most 6 days older than its Wednesday; every observation is used at
    most once; weeks with no observation stay empty (nothing is carried or interpolated).
    """
    grid = wednesdays(start, end)
    sampled = asof_join(values, grid, max_age_days=6)["value"].dropna()
    sampled.index.name = "date"
    return sampled


REBASE_MAX_GAP_DAYS = 7


def rebase_to_100(
    values: pd.Series, anchor: date, max_gap_days: int = REBASE_MAX_GAP_DAYS
) -> tuple[pd.Series, date] | None:
    """`values` × 100 / the first observation on or after `anchor`, rounded to 4 decimals.

    Returns (rebased, base_date), or None when there is no observation within `max_gap_days`
    after `anchor` (a series that starts later, e.g. Bitcoin in 2014, cannot be "100 at
    2012-09-13") or the base is not positive (a spread at or below zero has no index)."""
    after = values[values.index >= pd.Timestamp(anchor)].dropna()
    if after.empty or (after.index[0] - pd.Timestamp(anchor)).days > max_gap_days:
        return None
    base = float(after.iloc[0])
    if not np.isfinite(base) or base <= 0:
        return None
    rebased = (values * (100.0 / base)).round(ROUND_REBASED)
    return rebased, after.index[0].date()


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
) -> OverviewView:
    """Turn raw series into the lines to draw for `state`.

    `inputs` must hold WALCL, the overlays and (if `state.netliq`) NETLIQ; missing or empty
    ones are left out with a notice. Steps, in order: the window (anchored at the latest
    observation among the drawn series), unit scaling (millions → trillions), weekly
    thinning of daily series over windows longer than five years, rebasing (the base is the
    first remaining point on/after the anchor, taken before clipping so that an episode start
    before the window still works), clipping to the window.
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
    for series_id, role, item in present:
        info = item.info
        divisor, units = display_scale(info)
        values = item.values.dropna().astype("float64")
        if divisor != 1.0:
            values = values / divisor
        # Sample first, then rebase: the base is then a plotted point, so a line rebased at
        # the window start begins at exactly 100.
        lo = min(start, anchor) if anchor is not None else start
        values = values[(values.index >= pd.Timestamp(lo)) & (values.index <= pd.Timestamp(end))]
        sampling = "as published"
        if thin and is_daily(info):
            values = thin_weekly(values, lo, end)
            sampling = "weekly: last observation of each week ending Wednesday"
        if anchor is not None:
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
            notices.append(f"{info.label}: no observations between {start} and {end}.")
            continue
        if state.log and (window <= 0).any():
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
            )
        )
    shown = tuple(
        e
        for e in episodes
        if state.episodes and not e.is_phase and e.start <= end and e.end_or(last) >= start
    )
    shaded = tuple(r for r in recessions if state.recessions and r.start <= end and r.end >= start)
    return OverviewView(state, start, end, tuple(lines), anchor, shown, tuple(notices), shaded)


# ---- headline cards --------------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    """A change over `days`: absolute (in the card's display units) and percent."""

    days: int
    absolute: float
    percent: float | None


@dataclass(frozen=True)
class Headline:
    """One headline card: latest value in display units, its changes and as-of date."""

    series_id: str
    title: str
    value: float | None
    units: str  # short display units, e.g. "$ tn" / "$ bn"
    as_of: date | None
    changes: tuple[Change, ...]
    change_units: str


def value_asof(values: pd.Series, day: pd.Timestamp, max_age_days: int) -> float | None:
    """The latest observation on or before `day`, if no older than `max_age_days`."""
    obs = values.dropna()
    obs = obs[obs.index <= day]
    if obs.empty or (day - obs.index[-1]).days > max_age_days:
        return None
    return float(obs.iloc[-1])


def change_over(values: pd.Series, days: int, max_age_days: int = 6) -> Change | None:
    """Latest value minus the value as of `days` before the latest observation."""
    obs = values.dropna()
    if obs.empty:
        return None
    last_day = obs.index[-1]
    then = value_asof(obs, last_day - pd.Timedelta(days=days), max_age_days)
    if then is None:
        return None
    now = float(obs.iloc[-1])
    percent = (now / then - 1.0) * 100.0 if then > 0 else None
    return Change(days, now - then, percent)


def headline(
    series_id: str,
    title: str,
    values: pd.Series,
    divisor: float,
    units: str,
    change_divisor: float,
    change_units: str,
    spans: tuple[int, ...] = (7, 91),
) -> Headline:
    """A card for `values` (in source units): latest value / `divisor`, changes over `spans`
    days / `change_divisor`."""
    obs = values.dropna()
    if obs.empty:
        return Headline(series_id, title, None, units, None, (), change_units)
    changes = []
    for span in spans:
        change = change_over(obs, span)
        if change is not None:
            changes.append(replace(change, absolute=change.absolute / change_divisor))
    return Headline(
        series_id,
        title,
        float(obs.iloc[-1]) / divisor,
        units,
        obs.index[-1].date(),
        tuple(changes),
        change_units,
    )


def headline_cards(series: Mapping[str, pd.Series]) -> list[Headline]:
    """Cards for WALCL, reserves, reverse repo, TGA and net liquidity (FRED units in; WALCL,
    WRESBAL, WTREGEN, NETLIQ in millions, RRPONTSYD in billions). Levels in trillions (tn) or
    billions (bn) of dollars; changes in billions over 1 and 13 weeks."""
    empty = pd.Series(dtype="float64")
    return [
        headline(
            "WALCL", "Fed balance sheet", series.get("WALCL", empty), 1e6, "$ tn", 1e3, "$ bn"
        ),
        headline(
            "WRESBAL", "Bank reserves", series.get("WRESBAL", empty), 1e6, "$ tn", 1e3, "$ bn"
        ),
        headline(
            "RRPONTSYD",
            "Reverse repo (ON RRP)",
            series.get("RRPONTSYD", empty),
            1.0,
            "$ bn",
            1.0,
            "$ bn",
        ),
        headline(
            "WTREGEN",
            "Treasury account (TGA)",
            series.get("WTREGEN", empty),
            1e3,
            "$ bn",
            1e3,
            "$ bn",
        ),
        headline("NETLIQ", "Net liquidity", series.get("NETLIQ", empty), 1e6, "$ tn", 1e3, "$ bn"),
    ]


# ---- regime ----------------------------------------------------------------------------------
REGIME_QE, REGIME_QT, REGIME_RMP, REGIME_NEUTRAL = "QE", "QT", "Reserve management", "Neutral"
# Without holdings data we cannot tell; saying "Neutral" there would be a claim.
REGIME_UNKNOWN = "Unknown"
GROWING_PCT = 0.5  # securities held outright change over 13 weeks, percent
QE_PCT = 6.0  # growth at this pace is QE even when it is all Treasuries (QE2 ran ~12%)
EPISODE_DIRECTION = {"QE": "growing", "RMP": "growing", "QT": "shrinking", "TWIST": "flat"}
REGIME_FOR_KIND = {"QE": REGIME_QE, "RMP": REGIME_RMP, "QT": REGIME_QT, "TWIST": REGIME_NEUTRAL}


@dataclass(frozen=True)
class Regime:
    """The balance-sheet regime the data shows, and why.

    label: QE / QT / Reserve management / Neutral / Unknown (no holdings data). direction: growing / shrinking / flat.
    securities_pct: 13-week % change of Treasury + MBS holdings; treasury_bn, mbs_bn: their
    13-week changes in $ billions. episode: the episode file's entry, named only if it agrees.
    """

    label: str
    direction: str
    as_of: date | None
    securities_pct: float | None
    treasury_bn: float | None
    mbs_bn: float | None
    explanation: str
    episode: Episode | None = None


def derive_regime(
    treasuries: pd.Series, mbs: pd.Series, episodes: Iterable[Episode], weeks: int = 13
) -> Regime:
    """What the Fed is doing now, from its securities held outright (TREAST + WSHOMCB, in
    millions, weekly): their change over the last `weeks` weeks.

    Securities, not WALCL, because loans (e.g. BTFP in 2023) move total assets without any
    QE or QT. Rules: shrinking by more than 0.5% → QT; within ±0.5% → neutral; growing with
    MBS also growing, or by 6% or more → QE; growing through Treasuries alone at a slower
    pace → reserve management (bill purchases). The episodes file names the regime only when
    its episode in force on the as-of date points the same way; otherwise the data wins and
    the disagreement is said.
    """
    both = pd.concat({"t": treasuries.dropna(), "m": mbs.dropna()}, axis=1).dropna()
    if len(both) < 2:
        return Regime(
            REGIME_UNKNOWN,
            "unknown",
            None,
            None,
            None,
            None,
            "Not enough Treasury and MBS holdings data to tell.",
        )
    last_day = both.index[-1]
    then_day = last_day - pd.Timedelta(weeks=weeks)
    earlier = both[both.index <= then_day]
    if earlier.empty or (then_day - earlier.index[-1]).days > 6:
        return Regime(
            REGIME_UNKNOWN,
            "unknown",
            last_day.date(),
            None,
            None,
            None,
            f"Less than {weeks} weeks of holdings data.",
        )
    now, then = both.iloc[-1], earlier.iloc[-1]
    securities_then = float(then["t"] + then["m"])
    securities_now = float(now["t"] + now["m"])
    pct = (securities_now / securities_then - 1.0) * 100.0 if securities_then > 0 else 0.0
    treasury_bn = float(now["t"] - then["t"]) / 1e3
    mbs_bn = float(now["m"] - then["m"]) / 1e3

    if pct <= -GROWING_PCT:
        direction, label = "shrinking", REGIME_QT
    elif pct < GROWING_PCT:
        direction, label = "flat", REGIME_NEUTRAL
    else:
        direction = "growing"
        label = REGIME_QE if (mbs_bn > 0 or pct >= QE_PCT) else REGIME_RMP

    as_of = last_day.date()
    active = [
        e
        for e in episodes
        if not e.is_phase
        and e.start <= as_of
        and (e.end is None or as_of <= e.end)
        and e.kind in EPISODE_DIRECTION
    ]
    episode = active[-1] if active else None
    note = ""
    if episode is not None:
        if EPISODE_DIRECTION[episode.kind] == direction:
            label = REGIME_FOR_KIND[episode.kind]
        else:
            note = f" The episodes file lists {episode.name}, which the data does not bear out."
            episode = None

    explanation = (
        f"Fed securities held outright {pct:+.1f}% over {weeks} weeks "
        f"(Treasuries {treasury_bn:+,.0f} bn, MBS {mbs_bn:+,.0f} bn).{note}"
    )
    return Regime(label, direction, as_of, pct, treasury_bn, mbs_bn, explanation, episode)


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
    "walcl-vs-tlt-btc-2016-2026" (or "walcl-2016-2026" with no overlays)."""
    overlays = [series_slug(line.series_id) for line in view.overlays]
    head = "walcl" + ("-vs-" + "-".join(overlays) if overlays else "")
    if view.state.rebase != "off":
        head += "-rebased"
    return f"{head[:80].rstrip('-')}-{view.start.year}-{view.end.year}"
