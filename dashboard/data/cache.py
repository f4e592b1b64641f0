"""The disk cache of fetched observations (diskcache), and what to do when it is broken.

Each series is stored as real observations (two numpy arrays: dates, values) plus where and
when they came from. A cache that is damaged is moved aside (never deleted) and a new one
started; a cache that cannot be opened or written (read-only disk, busy, not a folder) is
left alone and the app keeps running with what it can read, holding new data in memory.

Parsed data-folder files are kept here too, keyed by path and (mtime, size): reading a
folder we have seen before costs a `stat` per file instead of a CSV parse.
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

from dashboard.data.parsing import DATE_UNIT

log = logging.getLogger(__name__)
BUSY_TIMEOUT = 2.0  # seconds to wait for another process's write before giving up
REOPEN_AFTER = 30.0  # seconds between attempts to reopen a cache that could not be used
SCHEMA = 2  # 1 stored dates in the index's own unit and misread them; never trust it


@dataclass(frozen=True)
class CachedSeries:
    values: pd.Series
    source: str
    fetched_at: float  # epoch seconds

    @property
    def last_date(self) -> pd.Timestamp:
        return self.values.index[-1]


def _pack(values: pd.Series, **extra) -> dict:
    index = pd.DatetimeIndex(values.index).as_unit(DATE_UNIT)
    return {
        "schema": SCHEMA,
        "dates": index.asi8.copy(),
        "values": values.to_numpy(dtype="float64").copy(),
        "rows": len(values),
        **extra,
    }


def _unpack_values(raw: object) -> pd.Series | None:
    if not isinstance(raw, dict) or raw.get("schema") != SCHEMA:
        return None
    try:
        dates = np.asarray(raw["dates"], dtype="int64")
        values = np.asarray(raw["values"], dtype="float64")
    except (KeyError, TypeError, ValueError):
        return None
    if len(dates) != len(values) or not len(dates):
        return None
    index = pd.DatetimeIndex(dates.view(f"datetime64[{DATE_UNIT}]"), name="date")
    if not index.is_monotonic_increasing or not index.is_unique:
        return None
    return pd.Series(values, index=index)


def _unpack(raw: object) -> CachedSeries | None:
    values = _unpack_values(raw)
    if values is None:
        return None
    try:
        return CachedSeries(values, str(raw["source"]), float(raw["fetched_at"]))
    except (KeyError, TypeError, ValueError):
        return None


class SeriesCache:
    """Get/put by key. Never raises on I/O trouble; `problem` says what went wrong, in words."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.problem: str | None = None
        self.state = "ok"  # ok | damaged (moved aside) | read-only | locked
        self._memory: dict[str, object] = {}
        self._opened_at = time.monotonic()
        self._disk: diskcache.Cache | None = self._open()

    # ---- opening ---------------------------------------------------------------------------
    def _open(self) -> diskcache.Cache | None:
        try:
            return self._try_open()
        except sqlite3.OperationalError as exc:
            # Read-only, locked by another process, cannot create the file: not damage.
            locked = "locked" in str(exc) or "busy" in str(exc)
            return self._without_disk(f"{type(exc).__name__}: {exc}", locked)
        except diskcache.Timeout as exc:
            return self._without_disk(type(exc).__name__, locked=True)
        except OSError as exc:
            return self._without_disk(type(exc).__name__)
        except sqlite3.DatabaseError as exc:
            log.warning("cache at %s is damaged (%s); moving it aside", self.folder, exc)
        aside = self.folder.with_name(f"{self.folder.name}.broken-{time.time_ns()}")
        try:
            self.folder.rename(aside)
            cache = self._try_open()
        except (sqlite3.DatabaseError, OSError, diskcache.Timeout) as exc:
            return self._without_disk(type(exc).__name__)
        self.state = "damaged"
        self.problem = f"The cache was damaged; it was kept at {aside.name} and rebuilt."
        return cache

    def _try_open(self) -> diskcache.Cache:
        self.folder.mkdir(parents=True, exist_ok=True)
        db = self.folder / "cache.db"
        if db.exists() and db.stat().st_size == 0:
            # sqlite would take an empty file as a new database and diskcache would start
            # afresh in it: a truncated cache must be kept for a look, like any damage.
            raise sqlite3.DatabaseError("cache.db is empty (zero bytes)")
        if db.exists():
            # diskcache retries a busy database for 60 s while it opens; start-up must not
            # wait that long, so ask sqlite first, with our own short timeout.
            probe = sqlite3.connect(db, timeout=BUSY_TIMEOUT, isolation_level=None)
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
            finally:
                probe.close()
        cache = diskcache.Cache(str(self.folder), timeout=BUSY_TIMEOUT, size_limit=2**30)
        try:
            # Opening already wrote diskcache's settings (so the folder is writable); make
            # sqlite read a page too, so a damaged file shows now rather than mid-page-load.
            cache.get("__probe__")
        except BaseException:
            cache.close()
            raise
        return cache

    def _without_disk(self, reason: str, locked: bool = False) -> None:
        log.warning("cache at %s unusable (%s); keeping data in memory", self.folder, reason)
        self.state = "locked" if locked else "read-only"
        why = "is locked by another process" if locked else "cannot be written"
        self.problem = (
            f"The cache folder {self.folder} {why}; running read-only "
            "(new data is kept in memory until the app stops; the cache is tried again "
            f"every {REOPEN_AFTER:.0f} s)."
        )
        return None

    def _maybe_reopen(self) -> None:
        """A cache that could not be used (locked at start-up, a full or read-only disk)
        is tried again now and then, so a worker does not stay cacheless for its life."""
        if self._disk is not None or time.monotonic() - self._opened_at < REOPEN_AFTER:
            return
        self._opened_at = time.monotonic()
        try:
            disk = self._try_open()
        except (sqlite3.DatabaseError, OSError, diskcache.Timeout):
            return
        # What this process fetched meanwhile is saved where the disk has nothing newer.
        for key, value in list(self._memory.items()):
            try:
                if key not in disk:
                    disk.set(key, value)
            except Exception:  # noqa: BLE001 - the memory copy stays in use
                return
        self._memory.clear()
        self._disk, self.state, self.problem = disk, "ok", None
        log.warning("cache at %s is usable again", self.folder)

    @property
    def read_only(self) -> bool:
        return self._disk is None

    # ---- raw access ------------------------------------------------------------------------
    def _read(self, key: str) -> object:
        self._maybe_reopen()
        if key in self._memory:
            return self._memory[key]
        if self._disk is None:
            return None
        try:
            return self._disk.get(key)
        except Exception as exc:  # noqa: BLE001 - a damaged entry must not break a page
            log.warning("cache read of %s failed: %s", key, type(exc).__name__)
            return None

    def _write(self, key: str, value: object) -> bool:
        """Store `value`; False when it could only be kept in memory (not saved)."""
        self._maybe_reopen()
        if self._disk is not None:
            try:
                self._disk.set(key, value)
                self._memory.pop(key, None)
                return True
            except Exception as exc:  # noqa: BLE001
                log.warning("cache write of %s failed: %s", key, type(exc).__name__)
                self.problem = "Writing to the cache failed; new data is kept in memory only."
                if "locked" in str(exc) or isinstance(exc, diskcache.Timeout):
                    self.state = "locked"
        self._memory[key] = value
        return False

    # ---- series ----------------------------------------------------------------------------
    def get(self, key: str) -> CachedSeries | None:
        return _unpack(self._read(key))

    def put(self, key: str, entry: CachedSeries) -> bool:
        """Store a series; False when it is held in memory only (not saved to disk)."""
        packed = _pack(
            entry.values,
            source=entry.source,
            fetched_at=entry.fetched_at,
            last_date=str(entry.last_date.date()),
        )
        return self._write(key, packed)

    def get_meta(self, key: str) -> dict | None:
        value = self._read("meta:" + key)
        return value if isinstance(value, dict) else None

    def put_meta(self, key: str, meta: dict) -> None:
        self._write("meta:" + key, meta)

    # ---- parsed folder files ---------------------------------------------------------------
    def get_file(self, path: Path, signature: tuple[int, int]) -> pd.Series | None:
        """The parse of `path` stored earlier, if the file still has the same signature."""
        raw = self._read(f"file:{path}")
        if not isinstance(raw, dict) or tuple(raw.get("sig") or ()) != tuple(signature):
            return None
        return _unpack_values(raw)

    def put_file(self, path: Path, signature: tuple[int, int], values: pd.Series) -> None:
        self._write(f"file:{path}", _pack(values, sig=list(signature)))

    def close(self) -> None:
        if self._disk is not None:
            self._disk.close()
