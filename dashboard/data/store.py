"""The data layer: the one place that decides where each series comes from and how fresh it is.

Newest wins, per series: of the disk cache of live fetches, the data folder
(`DASHBOARD_DATA_DIR`) and the bundled snapshot, the one whose last observation is latest is
served. Ties go to the cache (a live fetch is the newest vintage), then to the data folder (the
user pointed us at it). When an offline file wins but starts later than the other offline file
(the snapshot keeps only recent daily history), the other file's older observations are kept
in front of it, so winning on recency never costs history. `get` never waits on the network;
`refresh` fetches (the CLI, or a background thread the app starts). A fetch that fails, or
answers with less than we already have, never replaces good data.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd

from dashboard.catalog import DERIVED_INPUTS, SeriesInfo, get_info
from dashboard.config import Settings
from dashboard.data.cache import CachedSeries, SeriesCache
from dashboard.data.derived import compute
from dashboard.data.freshness import assess
from dashboard.data.parsing import DATE_UNIT
from dashboard.data.plausibility import screen
from dashboard.data.redis_cache import open_cache
from dashboard.data.refresher import NO_CONNECTION, TRIP_AFTER, TRIP_KINDS, Refresher
from dashboard.data.selection import SHORTER_BY_FAR, merge_update, newest_offline
from dashboard.data.sources import FolderSource, SourceError, live_source_for
from dashboard.data.status import (
    FRESH,
    SNAPSHOT,
    STALE,
    UNAVAILABLE,
    FetchProgress,
    RefreshResult,
    SeriesData,
    SeriesStatus,
)

__all__ = [  # the names callers import from here (the data layer's front door)
    "FRESH",
    "MEMO_SECONDS",
    "NO_CONNECTION",
    "SHORTER_BY_FAR",
    "SNAPSHOT",
    "STALE",
    "TRIP_AFTER",
    "TRIP_KINDS",
    "UNAVAILABLE",
    "DataStore",
    "FetchProgress",
    "RefreshResult",
    "SeriesData",
    "SeriesStatus",
    "get_store",
    "merge_update",
    "newest_offline",
    "set_store",
]

MEMO_SECONDS = 60.0  # re-read the disk cache this often (another worker may have refreshed)


@dataclass
class _Loaded:
    values: pd.Series
    status: SeriesStatus
    loaded_at: float
    due: bool = False  # a refresh could bring a newer observation
    version: int = field(default_factory=lambda: next(_VERSIONS))
    token: tuple = field(default_factory=tuple)


_VERSIONS = itertools.count()


class DataStore(Refresher):
    def __init__(self, settings: Settings, clock: Callable[[], datetime] | None = None):
        self.settings = settings
        self.clock = clock or (lambda: datetime.now(UTC))
        self.cache: SeriesCache = open_cache(settings)  # Redis when DASHBOARD_REDIS_URL is set
        self.folder = FolderSource(settings.data_dir, "data folder") if settings.data_dir else None
        self.snapshot = FolderSource(settings.snapshot_dir, "bundled snapshot")
        self._memo: dict[str, _Loaded] = {}
        self._lock = threading.RLock()
        self._refresh_lock = threading.Lock()
        self._pending: set[str] = set()
        self._urgent: deque[str] = deque()  # what an open page shows: fetched first
        self._active: str | None = None  # the series the background worker is fetching now
        self._worker: threading.Thread | None = None
        self._ended = 0  # refreshes ended in this process (saved or failed), see `landings`
        self._ended_at: dict[str, int] = {}  # series id → the count when its last one ended

    @property
    def notice(self) -> str | None:
        """A store-wide problem in plain words (a damaged or read-only cache), or None."""
        return self.cache.problem

    def close(self) -> None:
        self.cache.close()

    # ---- reading -------------------------------------------------------------------------
    def get(self, series_id: str) -> SeriesData:
        """The best data we hold for `series_id`, with its status. Never touches the network.

        Raises `UnknownSeriesError` for ids the catalog does not know.
        """
        info = get_info(series_id)
        loaded = self._derived(info) if info.source == "derived" else self._stored(info)
        return SeriesData(info, loaded.values.copy(), loaded.status)

    def get_many(self, series_ids: Iterable[str]) -> dict[str, SeriesData]:
        return {sid: self.get(sid) for sid in series_ids}

    def version(self, series_id: str) -> int:
        """A token for the data `get` hands out now: it changes whenever that data may have
        (a reload or a refresh), so callers can skip re-hashing unchanged data. No copy."""
        info = get_info(series_id)
        loaded = self._derived(info) if info.source == "derived" else self._stored(info)
        return loaded.version

    def _stored(self, info: SeriesInfo) -> _Loaded:
        now = time.monotonic()
        with self._lock:
            memo = self._memo.get(info.id)
            if memo is not None and now - memo.loaded_at < MEMO_SECONDS:
                return memo
            loaded = self._load(info)
            self._memo[info.id] = loaded
        if loaded.due or loaded.status.state != FRESH:
            self._maybe_schedule(info)
        return loaded

    def _read_folder(self, source: FolderSource, info: SeriesInfo) -> pd.Series:
        """A folder file's observations; a file seen before (same mtime and size) is not
        parsed again but read back from the cache."""
        signature = source.signature(info)
        if signature is None:
            raise SourceError(f"{info.id} is not in the {source.label}.", "missing")
        path = source.path_for(info)
        values = self.cache.get_file(path, signature)
        if values is None:
            values = source.fetch(info)
            self.cache.put_file(path, signature, values)
        return values

    def _load(self, info: SeriesInfo) -> _Loaded:
        problems: list[str] = []
        today = self.clock().date()
        cached = self.cache.get(info.id)
        repair = False
        if cached is not None:
            # Rows an older version stored without checking: left out, and replaced by the
            # next good refresh (which is due at once).
            kept, note = screen(cached.values, info, today, "stored data")
            if note:
                problems.append(note + " The next refresh replaces it.")
                repair = True
                cached = CachedSeries(kept, cached.source, cached.fetched_at) if len(kept) else None
        held: list[tuple[pd.Series, str]] = []
        for source in (self.folder, self.snapshot):  # tie-break order: the folder first
            if source is None:
                continue
            if not source.has(info):
                odd = source.not_a_file(info)
                if odd:
                    problems.append(odd)
                continue
            try:
                values = self._read_folder(source, info)
            except SourceError as exc:
                problems.append(str(exc))
                continue
            values, note = screen(values, info, today, f"{source.label} file {info.id}.csv")
            if note:
                problems.append(note)
            if not values.empty:
                held.append((values, source.label))
        offline = newest_offline(held)
        meta = self.cache.get_meta(info.id) or {}
        failure = meta.get("error")
        notes = ([f"Last refresh failed: {failure}"] if failure else []) + problems
        use_cache = cached is not None and (
            offline is None or cached.last_date >= offline[0].index[-1]
        )
        now = self.clock()
        if use_cache:
            fresh = assess(info, cached.last_date.date(), now)
            status = SeriesStatus(
                state=STALE if fresh.stale else FRESH,
                source=cached.source,
                last_date=cached.last_date.date(),
                fetched_at=datetime.fromtimestamp(cached.fetched_at, UTC),
                age_days=fresh.age_days,
                message=" ".join(notes),
            )
            return _Loaded(cached.values, status, time.monotonic(), fresh.due or repair)
        if offline is not None:
            values, label = offline
            last = values.index[-1].date()
            status = SeriesStatus(
                SNAPSHOT, label, last, None, (now.date() - last).days, " ".join(notes)
            )
            return _Loaded(values, status, time.monotonic(), True)
        if not notes:
            notes.append(self._why_missing(info))
        empty = pd.Series(
            dtype="float64", index=pd.DatetimeIndex([], name="date").as_unit(DATE_UNIT)
        )
        status = SeriesStatus(UNAVAILABLE, "none", message=" ".join(notes))
        return _Loaded(empty, status, time.monotonic(), True)

    def _why_missing(self, info: SeriesInfo) -> str:
        if self.cache.problem and self.cache.state in ("read-only", "locked"):
            return f"{info.id} is not available: {self.cache.problem}"
        if self.settings.offline or live_source_for(info, self.settings) is None:
            return (
                f"{info.id} is not in the offline data; set DASHBOARD_DATA_DIR to a folder "
                "of FRED CSV files, or go online."
            )
        if self.settings.background_refresh:
            return f"{info.id} has not been downloaded yet; it is being fetched."
        return f"{info.id} has not been downloaded yet; run `python -m dashboard refresh`."

    def _derived(self, info: SeriesInfo) -> _Loaded:
        inputs = {sid: self._stored(get_info(sid)) for sid in DERIVED_INPUTS[info.id]}
        token = tuple(x.version for x in inputs.values())
        with self._lock:
            memo = self._memo.get(info.id)
            if memo is not None and memo.token == token:
                return memo
        vals = [x.values for x in inputs.values()]
        values = compute(info, vals)
        status = self._combined_status(info, values, [x.status for x in inputs.values()])
        loaded = _Loaded(values, status, time.monotonic(), token=token)
        with self._lock:
            self._memo[info.id] = loaded
        return loaded

    def _combined_status(
        self, info: SeriesInfo, values: pd.Series, parts: list[SeriesStatus]
    ) -> SeriesStatus:
        order = [FRESH, STALE, SNAPSHOT, UNAVAILABLE]
        worst = max(parts, key=lambda s: order.index(s.state))
        if values.empty:
            missing = [
                f"{sid}: {s.label}"
                for sid, s in zip(DERIVED_INPUTS[info.id], parts)
                if s.state == UNAVAILABLE
            ]
            message = "Needs " + ", ".join(missing or DERIVED_INPUTS[info.id]) + "."
            return SeriesStatus(UNAVAILABLE, "derived", message=message)
        last = values.index[-1].date()
        sources = sorted({s.source for s in parts})
        return SeriesStatus(
            worst.state,
            "derived from " + ", ".join(sources),
            last,
            None,
            (self.clock().date() - last).days,
            worst.message,
        )

    def _forget(self, series_id: str) -> None:
        """A refresh of `series_id` ended (saved or failed): its memo goes, and it counts as
        landed for pages drawn since before now."""
        with self._lock:
            self._memo.pop(series_id, None)
            self._ended += 1
            self._ended_at[series_id] = self._ended

    def landings(self) -> int:
        """A token to take before reading a page's data; `landed_since(ids, token)` then
        names what arrived while the page was being drawn."""
        with self._lock:
            return self._ended

    def landed_since(self, series_ids: Iterable[str], token: int) -> list[str]:
        """Which of `series_ids` (derived ones stand for their inputs) had a refresh end
        after `token` was taken: a page that read its data before then may lack it."""
        ids = self.expand(series_ids)
        with self._lock:
            return [sid for sid in ids if self._ended_at.get(sid, 0) > token]


_STORE: DataStore | None = None
_STORE_LOCK = threading.Lock()


def get_store() -> DataStore:
    """The process-wide store, built from the environment on first use."""
    global _STORE
    with _STORE_LOCK:
        if _STORE is None:
            _STORE = DataStore(Settings.from_env())
        return _STORE


def set_store(store: DataStore | None) -> None:
    """Replace the process-wide store (tests, CLI options)."""
    global _STORE
    with _STORE_LOCK:
        _STORE = store
