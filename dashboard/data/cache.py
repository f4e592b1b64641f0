"""The disk cache of fetched observations (diskcache), and what to do when it is broken.

Each series is stored as real observations plus where and when they came from. A cache
that cannot be opened is moved aside (never deleted) and a new one started; a folder that
cannot be written falls back to memory so the app keeps running read-only.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import diskcache
import numpy as np
import pandas as pd

log = logging.getLogger(__name__)
SCHEMA = 1


@dataclass(frozen=True)
class CachedSeries:
    values: pd.Series
    source: str
    fetched_at: float  # epoch seconds

    @property
    def last_date(self) -> pd.Timestamp:
        return self.values.index[-1]


def _pack(entry: CachedSeries) -> dict:
    return {
        "schema": SCHEMA,
        "dates": entry.values.index.asi8.copy(),
        "values": entry.values.to_numpy(dtype="float64").copy(),
        "source": entry.source,
        "fetched_at": entry.fetched_at,
        "last_date": str(entry.last_date.date()),
        "rows": len(entry.values),
    }


def _unpack(raw: object) -> CachedSeries | None:
    if not isinstance(raw, dict) or raw.get("schema") != SCHEMA:
        return None
    try:
        dates = np.asarray(raw["dates"], dtype="int64")
        values = np.asarray(raw["values"], dtype="float64")
        if len(dates) != len(values) or not len(dates):
            return None
        index = pd.DatetimeIndex(dates.astype("datetime64[ns]"), name="date")
        if not index.is_monotonic_increasing or not index.is_unique:
            return None
        return CachedSeries(
            pd.Series(values, index=index), str(raw["source"]), float(raw["fetched_at"])
        )
    except (KeyError, TypeError, ValueError):
        return None


class SeriesCache:
    """Get/put `CachedSeries` by id. Never raises on I/O trouble; `problem` says what went wrong."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.problem: str | None = None
        self._memory: dict[str, object] = {}
        self._disk: diskcache.Cache | None = self._open()

    def _open(self) -> diskcache.Cache | None:
        try:
            return self._try_open()
        except (sqlite3.DatabaseError, OSError) as first:
            log.warning("cache at %s unusable (%s); moving it aside", self.folder, first)
        aside = self.folder.with_name(f"{self.folder.name}.broken-{int(time.time())}")
        try:
            self.folder.rename(aside)
            cache = self._try_open()
            self.problem = f"The cache was damaged; it was kept at {aside.name} and rebuilt."
            return cache
        except (sqlite3.DatabaseError, OSError) as second:
            log.warning("cache unusable (%s); running from memory", type(second).__name__)
            self.problem = "The cache folder is not writable; running without a disk cache."
            return None

    def _try_open(self) -> diskcache.Cache:
        self.folder.mkdir(parents=True, exist_ok=True)
        cache = diskcache.Cache(str(self.folder), timeout=2, size_limit=2**30)
        cache.get("__probe__")  # sqlite opens lazily: make it read now
        cache.set("__probe__", 1)  # and prove it can write
        return cache

    @property
    def read_only(self) -> bool:
        return self._disk is None

    def get(self, key: str) -> CachedSeries | None:
        raw = self._memory.get(key)
        if raw is None and self._disk is not None:
            try:
                raw = self._disk.get(key)
            except Exception as exc:  # noqa: BLE001 - a damaged entry must not break a page
                log.warning("cache read of %s failed: %s", key, type(exc).__name__)
                raw = None
        return _unpack(raw)

    def put(self, key: str, entry: CachedSeries) -> None:
        packed = _pack(entry)
        if self._disk is not None:
            try:
                self._disk.set(key, packed)
                return
            except Exception as exc:  # noqa: BLE001
                log.warning("cache write of %s failed: %s", key, type(exc).__name__)
                self.problem = "Writing to the cache failed; new data is kept in memory only."
        self._memory[key] = packed

    def get_meta(self, key: str) -> dict | None:
        try:
            value = self._memory.get("meta:" + key)
            if value is None and self._disk is not None:
                value = self._disk.get("meta:" + key)
        except Exception:  # noqa: BLE001
            return None
        return value if isinstance(value, dict) else None

    def put_meta(self, key: str, meta: dict) -> None:
        if self._disk is not None:
            try:
                self._disk.set("meta:" + key, meta)
                return
            except Exception:  # noqa: BLE001
                pass
        self._memory["meta:" + key] = meta

    def close(self) -> None:
        if self._disk is not None:
            self._disk.close()
