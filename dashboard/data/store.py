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
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pandas as pd

from dashboard.catalog import DERIVED_INPUTS, SeriesInfo, get_info, stored_ids
from dashboard.config import Settings
from dashboard.data.cache import CachedSeries, SeriesCache
from dashboard.data.derived import compute
from dashboard.data.freshness import MIN_RECHECK, RETRY_AFTER_FAILURE, assess
from dashboard.data.parsing import DATE_UNIT
from dashboard.data.plausibility import check_answer, screen
from dashboard.data.redis_cache import open_cache, refresh_lock
from dashboard.data.sources import FolderSource, SourceError, live_source_for

log = logging.getLogger(__name__)

FRESH, STALE, SNAPSHOT, UNAVAILABLE = "fresh", "stale", "offline snapshot", "unavailable"
MEMO_SECONDS = 60.0  # re-read the disk cache this often (another worker may have refreshed)
SHORTER_BY_FAR = 0.5  # an answer with under half our rows over its own span is rejected


@dataclass(frozen=True)
class SeriesStatus:
    """What the UI shows about a series: its state, where it came from, how old it is."""

    state: str  # fresh | stale | offline snapshot | unavailable
    source: str  # e.g. "FRED download", "data folder", "bundled snapshot"
    last_date: date | None = None
    fetched_at: datetime | None = None
    age_days: int | None = None
    message: str = ""  # plain words; empty when all is well

    @property
    def label(self) -> str:
        if self.state == STALE and self.age_days is not None:
            return f"stale ({self.age_days} days old)"
        return self.state


@dataclass(frozen=True)
class SeriesData:
    info: SeriesInfo
    values: pd.Series  # a copy; callers may do what they like with it
    status: SeriesStatus

    @property
    def empty(self) -> bool:
        return self.values.empty


@dataclass(frozen=True)
class RefreshResult:
    series_id: str
    outcome: str  # updated | unchanged | skipped | failed | unsaved (memory only) | offline
    rows: int = 0
    last_date: date | None = None
    message: str = ""


@dataclass
class _Loaded:
    values: pd.Series
    status: SeriesStatus
    loaded_at: float
    due: bool = False  # a refresh could bring a newer observation
    version: int = field(default_factory=lambda: next(_VERSIONS))
    token: tuple = field(default_factory=tuple)


_VERSIONS = itertools.count()
# A source failing this way fails the same way for every series: stop asking it this run.
TRIP_KINDS = {"timeout", "network", "bad_key", "rate_limited"}
TRIP_AFTER = 2  # ... and after this many server errors in a row


class DataStore:
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

    # ---- refreshing ----------------------------------------------------------------------
    def refresh(
        self,
        series_ids: Iterable[str] | None = None,
        force: bool = False,
        progress: Callable[[RefreshResult], None] | None = None,
    ) -> list[RefreshResult]:
        """Fetch from live sources now (blocking); `None` means every stored series.

        Derived series stand for their inputs. Returns one result per stored series, in order.
        A source that times out, refuses the key or rate-limits is not asked again in the same
        run (the other series it serves fail at once with the same reason), so a dead network
        costs one timeout per source, not one per series.
        """
        ids = self.expand(stored_ids() if series_ids is None else series_ids)
        results = []
        with self._refresh_lock, refresh_lock(self.cache) as ours:
            if not ours:  # another host is refreshing (or the shared cache is away)
                return [self._not_ours(get_info(sid)) for sid in ids]
            failing: dict[str, tuple[SourceError, int]] = {}
            for sid in ids:
                result = self._refresh_one(get_info(sid), force, failing)
                results.append(result)
                if progress:
                    progress(result)
        return results

    def _not_ours(self, info: SeriesInfo) -> RefreshResult:
        current = self._load(info)
        message = self.cache.problem or "another host is refreshing; its data is shared"
        return RefreshResult(
            info.id, "skipped", len(current.values), current.status.last_date, message
        )

    @staticmethod
    def expand(series_ids: Iterable[str]) -> list[str]:
        """Stored ids behind `series_ids` (a derived id stands for its inputs), in order, once
        each. Raises `UnknownSeriesError` for an unknown id."""
        out: list[str] = []
        for sid in series_ids:
            info = get_info(sid)
            for stored in DERIVED_INPUTS.get(info.id, (info.id,)):
                if stored not in out:
                    out.append(stored)
        return out

    def _refresh_one(
        self, info: SeriesInfo, force: bool, failing: dict[str, tuple[SourceError, int]]
    ) -> RefreshResult:
        source = live_source_for(info, self.settings)
        current = self._load(info)
        held, last = len(current.values), current.status.last_date
        if source is None:
            return RefreshResult(info.id, "offline", held, last, "offline mode: no network used")
        now = self.clock()
        meta = self.cache.get_meta(info.id) or {}

        if not force:
            if _checked_recently(meta, now):
                return RefreshResult(info.id, "skipped", held, last, "checked recently")
            if current.status.state == FRESH and not current.due:
                return RefreshResult(info.id, "skipped", held, last, "up to date")

        tripped = failing.get(source.label)
        if tripped is not None and (tripped[0].kind in TRIP_KINDS or tripped[1] >= TRIP_AFTER):
            cause = tripped[0]
            message = f"not tried: {source.label} is failing ({cause})"
            retry_at = now.timestamp() + cause.retry_after if cause.retry_after else None
            return self._failed(info, now, held, last, message, cause.kind, retry_at)
        try:
            fetched = source.fetch(info)
        except SourceError as exc:
            if exc.kind in TRIP_KINDS or exc.kind == "server":
                count = failing[source.label][1] + 1 if source.label in failing else 1
                failing[source.label] = (exc, count)
            retry_at = now.timestamp() + exc.retry_after if exc.retry_after else None
            return self._failed(info, now, held, last, str(exc), exc.kind, retry_at)
        except Exception as exc:  # noqa: BLE001 - a source bug must not take the app down
            log.warning("refresh of %s failed unexpectedly: %s", info.id, type(exc).__name__)
            message = f"{source.label} ({info.id}): unexpected error ({type(exc).__name__})."
            return self._failed(info, now, held, last, message, "bug")
        failing.pop(source.label, None)
        implausible = check_answer(fetched, info, now.date(), current.values)
        if implausible:
            message = f"{source.label} ({info.id}): {implausible}."
            return self._failed(info, now, held, last, message, "implausible")
        merged, rejection = merge_update(current.values, fetched)
        if rejection:
            message = f"{source.label} ({info.id}): {rejection}."
            return self._failed(info, now, held, last, message, "rejected")
        changed = not merged.equals(current.values)
        saved = self.cache.put(info.id, CachedSeries(merged, source.label, now.timestamp()))
        self.cache.put_meta(info.id, {"attempted_at": now.timestamp(), "error": None})
        self._forget(info.id)
        if not saved:
            # Shown for as long as this process runs, but gone when it stops: a refresh
            # from cron that "updated" nothing on disk must say so and fail.
            return RefreshResult(
                info.id, "unsaved", len(merged), merged.index[-1].date(),
                f"fetched {len(merged):,} rows but not saved: {self.cache.problem}",
            )
        return RefreshResult(
            info.id, "updated" if changed else "unchanged", len(merged), merged.index[-1].date()
        )

    def _failed(
        self,
        info: SeriesInfo,
        now: datetime,
        held: int,
        last: date | None,
        message: str,
        kind: str,
        retry_at: float | None = None,
    ) -> RefreshResult:
        meta = {"attempted_at": now.timestamp(), "error": message, "kind": kind}
        if retry_at:
            meta["retry_at"] = retry_at
        self.cache.put_meta(info.id, meta)
        self._forget(info.id)
        return RefreshResult(info.id, "failed", held, last, message)

    def _forget(self, series_id: str) -> None:
        with self._lock:
            self._memo.pop(series_id, None)

    def _maybe_schedule(self, info: SeriesInfo) -> None:
        if self.settings.offline or not self.settings.background_refresh:
            return
        if live_source_for(info, self.settings) is None:
            return
        # Not queued when asked lately: a page that redraws when data lands must not set off
        # another round of (skipped) fetches and so poll for ever.
        if _checked_recently(self.cache.get_meta(info.id) or {}, self.clock()):
            return
        # A page is showing this series right now: it goes before the rest of the catalog.
        self.request_refresh([info.id], urgent=True)

    def request_refresh(self, series_ids: Iterable[str], urgent: bool = False) -> None:
        """Queue a background refresh; returns at once. `urgent` series (what an open page
        shows) are fetched before everything else queued. Raises `UnknownSeriesError` for an
        unknown id. Does nothing in offline mode."""
        ids = self.expand(series_ids)
        if self.settings.offline:
            return
        with self._lock:
            for sid in ids:
                if sid in self._urgent or sid == self._active:
                    continue
                if urgent:
                    self._pending.discard(sid)
                    self._urgent.append(sid)
                else:
                    self._pending.add(sid)
            if self._worker is not None and self._worker.is_alive():
                return
            self._worker = threading.Thread(target=self._drain, name="data-refresh", daemon=True)
            self._worker.start()

    def _drain(self) -> None:
        # One series at a time, so an urgent request jumps ahead of a long catalog refresh; a
        # failing source is remembered for the whole run, as in `refresh`.
        failing: dict[str, tuple[SourceError, int]] = {}
        while True:
            with self._lock:
                if self._urgent:
                    sid = self._urgent.popleft()
                elif self._pending:
                    sid = min(self._pending)
                    self._pending.discard(sid)
                else:
                    self._worker = None
                    return
                self._active = sid
            try:
                with self._refresh_lock:
                    self._refresh_one(get_info(sid), False, failing)
            except Exception as exc:  # noqa: BLE001 - the worker must outlive any one failure
                log.warning("background refresh failed: %s", type(exc).__name__)
            finally:
                with self._lock:
                    self._active = None

    def fetch_progress(self, series_ids: Iterable[str]) -> FetchProgress:
        """Which of `series_ids` (derived ones stand for their inputs) the background worker
        still has to fetch, and which have no connection to their source: for a page that
        says what it is waiting for and redraws when it lands. Never touches the network."""
        ids = self.expand(series_ids)
        with self._lock:
            queued = set(self._urgent) | self._pending | {self._active}
        waiting = tuple(sid for sid in ids if sid in queued)
        unreachable: dict[str, str] = {}
        for sid in ids:
            if sid in queued:
                continue
            meta = self.cache.get_meta(sid) or {}
            source = live_source_for(get_info(sid), self.settings)
            if source is not None and meta.get("error") and meta.get("kind") in NO_CONNECTION:
                unreachable[sid] = source.label
        return FetchProgress(waiting, unreachable)

    def wait_for_refresh(self, timeout: float = 30.0) -> bool:
        """Wait until queued background refreshes are done; False if `timeout` ran out."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                worker = self._worker
            if worker is None:
                return True
            worker.join(max(0.0, deadline - time.monotonic()))
            if worker.is_alive():
                return False


def newest_offline(held: list[tuple[pd.Series, str]]) -> tuple[pd.Series, str] | None:
    """(values, label) of the offline copy with the latest last observation, the first listed
    on a tie, extended backwards with the others' observations from before its first date."""
    held = [(values, label) for values, label in held if not values.empty]
    if not held:
        return None
    values, label = max(held, key=lambda item: item[0].index[-1])  # max keeps the first tie
    for other, _ in held:
        earlier = other[other.index < values.index[0]]
        if not earlier.empty:
            values = pd.concat([earlier, values])
            values.index.name = "date"
    return values, label


NO_CONNECTION = {"network", "timeout"}  # failure kinds that mean the source cannot be reached


@dataclass(frozen=True)
class FetchProgress:
    waiting: tuple[str, ...]  # queued or being fetched now, in the page's order
    unreachable: dict[str, str]  # series id -> the source that could not be reached


def _checked_recently(meta: dict, now: datetime) -> bool:
    """True while the last attempt (or the server's Retry-After) says: not again yet."""
    last_try = meta.get("attempted_at", 0.0)
    wait = RETRY_AFTER_FAILURE if meta.get("error") else MIN_RECHECK
    return now.timestamp() < max(last_try + wait.total_seconds(), meta.get("retry_at", 0))


def merge_update(old: pd.Series, new: pd.Series) -> tuple[pd.Series, str | None]:
    """Combine what we hold with a fresh answer, or say why the answer is refused.

    The answer wins where it has dates (revisions); older history it no longer serves (ICE
    spreads on FRED now cover only ~3 years) is kept. An answer that ends before our last
    observation, or has far fewer rows than we hold over its own span, is refused.
    """
    if new.empty:
        return old, "the source answered with no observations; kept the data we had"
    if old.empty:
        return new, None
    if new.index[-1] < old.index[-1]:
        return old, (
            f"the source's data ends {new.index[-1].date()}, before ours "
            f"({old.index[-1].date()}); kept the data we had"
        )
    held = old.loc[new.index[0] : new.index[-1]]
    if len(held) >= 20 and len(new) < SHORTER_BY_FAR * len(held):
        return old, (
            f"the source sent {len(new)} rows where we hold {len(held)}; kept the data we had"
        )
    merged = pd.concat([old[old.index < new.index[0]], new])
    merged.index.name = "date"
    return merged, None


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
