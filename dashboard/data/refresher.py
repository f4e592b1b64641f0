"""The store's fetching side: a blocking `refresh` (the CLI) and the background worker that
fetches what open pages show first, and reports what it still has to fetch.

A fetch that fails, or answers with less than we already have, never replaces good data; a
source that fails for every series (no network, a bad key) is asked once per run.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from datetime import date, datetime

from dashboard.catalog import DERIVED_INPUTS, SeriesInfo, get_info, stored_ids
from dashboard.config import Settings
from dashboard.data.cache import CachedSeries, SeriesCache
from dashboard.data.freshness import MIN_RECHECK, RETRY_AFTER_FAILURE
from dashboard.data.plausibility import check_answer
from dashboard.data.redis_cache import refresh_lock
from dashboard.data.selection import merge_update
from dashboard.data.sources import SourceError, live_source_for
from dashboard.data.status import FRESH, FetchProgress, RefreshResult

log = logging.getLogger(__name__)

# A source failing this way fails the same way for every series: stop asking it this run.
TRIP_KINDS = {"timeout", "network", "bad_key", "rate_limited"}
TRIP_AFTER = 2  # ... and after this many server errors in a row
NO_CONNECTION = {"network", "timeout"}  # failure kinds that mean the source cannot be reached


class Refresher:
    """Fetching for `DataStore` (which supplies the cache, the settings, the memo and `_load`)."""

    settings: Settings
    clock: Callable[[], datetime]
    cache: SeriesCache
    _lock: threading.RLock
    _refresh_lock: threading.Lock
    _pending: set[str]
    _urgent: deque[str]
    _active: str | None
    _worker: threading.Thread | None

    def _load(self, info: SeriesInfo):  # the store's merged read (DataStore._load)
        raise NotImplementedError

    def _forget(self, series_id: str) -> None:  # drop the store's memo of a series
        raise NotImplementedError

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
                info.id,
                "unsaved",
                len(merged),
                merged.index[-1].date(),
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


def _checked_recently(meta: dict, now: datetime) -> bool:
    """True while the last attempt (or the server's Retry-After) says: not again yet."""
    last_try = meta.get("attempted_at", 0.0)
    wait = RETRY_AFTER_FAILURE if meta.get("error") else MIN_RECHECK
    return now.timestamp() < max(last_try + wait.total_seconds(), meta.get("retry_at", 0))
