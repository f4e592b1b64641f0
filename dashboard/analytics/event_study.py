"""Event study of QE/QT episodes: what each asset did from an episode's start to its end and
3, 6 and 12 months after the start, the paths around the start, and every asset over every
episode summarised per kind (deep dives and playbooks). The commercial claims and their check
against these numbers live in `claims.py`, re-exported here.

The observation used at a date (`observation_at`) is the latest one dated on or before that
date, provided it is at most `MAX_AGE_DAYS` older and the date is not after the series' last
observation (a horizon the data has not reached yet is "n/a", never the latest value carried
forward). Prices and balances change in percent, (end / start − 1) × 100; yields and spreads
(in percent) change in basis points, (end − start) × 100.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd

from dashboard.analytics.claims import (  # noqa: F401  (re-exported: one import for callers)
    CLAIMS_FILE,
    CLASSES_FILE,
    FAILS,
    HOLDS,
    NO_DATA,
    OTHER_CLASS,
    PARTLY,
    STUDY_KINDS,
    AssetClass,
    Claim,
    ClaimCheck,
    check_claim,
    class_claim,
    class_of,
    episodes_page_claims,
    load_asset_classes,
    load_claims,
    parse_asset_classes,
    parse_claims,
)
from dashboard.analytics.compare import (
    LOG,
    Observation,
    change_unit,
    measure_change,
    observation_asof,
)
from dashboard.data.align import asof_join
from dashboard.episodes import Episode

MAX_AGE_DAYS = 7  # covers weekends and holidays; a longer gap means no data around the date
HORIZON_MONTHS = (3, 6, 12)
WINDOWS = ("end", "3m", "6m", "12m")
WINDOW_LABELS = {
    "end": "Start → end",
    "3m": "+3 months",
    "6m": "+6 months",
    "12m": "+12 months",
}
PATH_BEFORE_DAYS = 91  # about 3 months before the start
PATH_AFTER_DAYS = 365  # 12 months after
DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class Asset:
    """A series in the event study, with how its changes are measured."""

    id: str
    label: str
    change_kind: str  # "log" or "diff" (catalog.change_kind)
    units: str  # catalog units, e.g. "Percent"


def observation_at(series: pd.Series, day: date) -> Observation | None:
    """The observation used for `day`: the latest dated on or before it, at most
    `MAX_AGE_DAYS` older; None before the series starts, in a longer gap, or when `day` is
    after the series' last observation (the data does not reach that date yet)."""
    obs = series.dropna()
    if obs.empty or pd.Timestamp(day) > obs.index[-1]:
        return None
    return observation_asof(obs, day, MAX_AGE_DAYS)


def window_dates(episode: Episode, window: str, last_data: date) -> tuple[date, date | None]:
    """Start and end date of `window` for `episode`: "end" runs to the episode's end (an
    ongoing episode to `last_data`, the asset's last observation); "3m"/"6m"/"12m" to that many
    calendar months after the start."""
    if window == "end":
        return episode.start, episode.end or last_data
    months = int(window.removesuffix("m"))
    return episode.start, (pd.Timestamp(episode.start) + pd.DateOffset(months=months)).date()


@dataclass(frozen=True)
class EventChange:
    """One cell of the event study: an asset over one window of one episode."""

    episode_id: str
    asset_id: str
    window: str  # a key of WINDOW_LABELS
    start_date: date  # the dates asked for
    end_date: date | None
    start: Observation | None  # the observations used
    end: Observation | None
    change: float | None  # in `unit`; None = n/a
    unit: str  # "%" or "bp" (or the series' units)
    reason: str = ""  # why n/a, in plain words
    to_date: bool = False  # an ongoing episode measured to the latest observation

    @property
    def available(self) -> bool:
        return self.change is not None


def event_change(series: pd.Series, asset: Asset, episode: Episode, window: str) -> EventChange:
    """The change of `asset` over `window` of `episode` (see the module docstring for the
    rule at each date and the units)."""
    obs = series.dropna()
    unit = change_unit(asset.change_kind, asset.units)[1]
    last_data = obs.index[-1].date() if not obs.empty else episode.start
    start_day, end_day = window_dates(episode, window, last_data)
    to_date = window == "end" and episode.ongoing
    base = observation_at(obs, start_day)
    end = observation_at(obs, end_day) if end_day is not None else None
    reason = ""
    if obs.empty:
        reason = f"no {asset.label} data"
    elif base is None and pd.Timestamp(start_day) < obs.index[0]:
        reason = f"{asset.label} data starts {obs.index[0]:%Y-%m-%d}"
    elif base is None:
        reason = f"no {asset.label} observation within {MAX_AGE_DAYS} days of {start_day}"
    elif end is None and pd.Timestamp(end_day) > obs.index[-1]:
        reason = f"{end_day} is after the last {asset.label} observation ({obs.index[-1]:%Y-%m-%d})"
    elif end is None:
        reason = f"no {asset.label} observation within {MAX_AGE_DAYS} days of {end_day}"
    change = None
    if base is not None and end is not None:
        change = measure_change(base.value, end.value, asset.change_kind, asset.units)
        if change is None:
            reason = "the start level is not positive"
    return EventChange(
        episode.id, asset.id, window, start_day, end_day, base, end, change, unit, reason, to_date
    )


def event_study(
    series: Mapping[str, pd.Series], assets: Sequence[Asset], episodes: Iterable[Episode]
) -> list[EventChange]:
    """Every episode × asset × window (in that order). `series` maps asset id to levels;
    a missing id counts as an empty series."""
    empty = pd.Series(dtype="float64", index=pd.DatetimeIndex([], name="date"))
    return [
        event_change(series.get(asset.id, empty), asset, episode, window)
        for episode in episodes
        for asset in assets
        for window in WINDOWS
    ]


def event_frame(changes: Iterable[EventChange]) -> pd.DataFrame:
    """The event study as a table: one row per cell, with the observations used."""
    return pd.DataFrame(
        [
            {
                "episode": c.episode_id,
                "asset": c.asset_id,
                "window": c.window,
                "start_date": c.start.date if c.start else None,
                "start_value": c.start.value if c.start else np.nan,
                "end_date": c.end.date if c.end else None,
                "end_value": c.end.value if c.end else np.nan,
                "change": np.nan if c.change is None else c.change,
                "unit": c.unit,
                "note": c.reason,
            }
            for c in changes
        ]
    )


# ---- paths around the start -------------------------------------------------------------
def episode_path(
    series: pd.Series,
    asset: Asset,
    start: date,
    before_days: int = PATH_BEFORE_DAYS,
    after_days: int = PATH_AFTER_DAYS,
) -> pd.Series:
    """The asset around `start`, one point per calendar day from −before_days to
    +after_days (index: days from start). Each day uses `observation_at`. "log" assets are
    rebased to 100 at the start (value / start value × 100); "diff" assets are the change
    from the start in `change_unit` (basis points for yields and spreads). All NaN when there
    is no observation for the start."""
    offsets = np.arange(-before_days, after_days + 1)
    days = pd.DatetimeIndex(pd.Timestamp(start) + pd.to_timedelta(offsets, unit="D"))
    obs = series.dropna()
    out = pd.Series(np.nan, index=pd.Index(offsets, name="days"), dtype="float64")
    base = observation_at(obs, start)
    if base is None or (asset.change_kind == LOG and base.value <= 0):
        return out
    values = asof_join(obs, days, MAX_AGE_DAYS)["value"].to_numpy()
    values = np.where(days <= obs.index[-1], values, np.nan)  # no horizon past the data
    if asset.change_kind == LOG:
        path = values / base.value * 100.0
    else:
        path = (values - base.value) * change_unit(asset.change_kind, asset.units)[0]
    out[:] = path
    return out


def episode_paths(series: pd.Series, asset: Asset, episodes: Iterable[Episode]) -> pd.DataFrame:
    """`episode_path` for each episode: one column per episode id, index days from start."""
    return pd.DataFrame({e.id: episode_path(series, asset, e.start) for e in episodes})


def median_path(paths: pd.DataFrame, columns: Sequence[str], min_count: int = 2) -> pd.Series:
    """Median across `columns` at each day, NaN where fewer than `min_count` of them have a
    value (one path is not a median)."""
    cols = [c for c in columns if c in paths.columns]
    if not cols:
        return pd.Series(np.nan, index=paths.index, dtype="float64")
    sub = paths[cols]
    return sub.median(axis=1, skipna=True).where(sub.notna().sum(axis=1) >= min_count)


# ---- every asset over every episode (deep dives and playbooks) --------------------------
@dataclass(frozen=True)
class KindSummary:
    """One asset over the main episodes of one kind (QE or QT): the change in each window of
    each episode, the median and the hit rate per window, and the class claim checked."""

    asset: Asset
    kind: str
    episodes: tuple[Episode, ...]
    cells: Mapping[tuple[str, str], EventChange]  # (episode id, window) → change
    claim: Claim | None  # the claim about the asset's class after each `kind` start
    check: ClaimCheck | None

    def changes(self, window: str) -> list[EventChange]:
        """The window's cells with data, in episode order."""
        cells = (self.cells[(e.id, window)] for e in self.episodes)
        return [c for c in cells if c.available]

    def median(self, window: str) -> float | None:
        values = [c.change for c in self.changes(window)]
        return float(np.median(values)) if values else None

    def hits(self, window: str) -> tuple[int, int]:
        """(episodes moving in the claim's direction, episodes with data) in `window`; (0, 0)
        when there is no claim."""
        measured = self.changes(window)
        if self.claim is None:
            return 0, len(measured)
        return sum(c.change * self.claim.direction > 0 for c in measured), len(measured)

    @property
    def verdict(self) -> str:
        return self.check.verdict if self.check else NO_CLAIM


NO_CLAIM = "no claim"


@dataclass(frozen=True)
class Study:
    """The event study of every asset over every main episode, with per-kind summaries."""

    assets: tuple[Asset, ...]
    episodes: tuple[Episode, ...]
    summaries: Mapping[tuple[str, str], KindSummary]  # (asset id, kind) → summary

    def summary(self, asset_id: str, kind: str) -> KindSummary | None:
        return self.summaries.get((asset_id, kind))


def build_study(
    series: Mapping[str, pd.Series],
    assets: Sequence[Asset],
    episodes: Sequence[Episode],
    claims: Sequence[Claim] | None = None,
    classes: Mapping[str, AssetClass] | None = None,
) -> Study:
    """`event_study` of `assets` × `episodes`, summarised per asset for the QE and the QT
    episodes, each checked against its class's claim (the claim's range judged on each
    asset of the class, as on the Episodes page)."""
    claims = load_claims() if claims is None else claims
    classes = load_asset_classes() if classes is None else classes
    episodes = tuple(episodes)
    cells = event_study(series, assets, episodes)
    by_key = {(c.asset_id, c.episode_id, c.window): c for c in cells}
    summaries = {}
    for asset in assets:
        asset_class = classes.get(asset.id, OTHER_CLASS).id
        for kind in STUDY_KINDS:
            of_kind = tuple(e for e in episodes if e.kind == kind)
            own = {(e.id, w): by_key[(asset.id, e.id, w)] for e in of_kind for w in WINDOWS}
            claim = class_claim(asset_class, kind, claims)
            check = None
            if claim is not None:
                claim = replace(claim, asset_id=asset.id)
                check = check_claim(claim, own.values())
            summaries[(asset.id, kind)] = KindSummary(asset, kind, of_kind, own, claim, check)
    return Study(tuple(assets), episodes, summaries)
