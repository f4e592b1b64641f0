"""Remembering work done on data: a fingerprint of a series' data and a small bounded memo.

Pages that compute a lot from data that changes a few times a day (trigger readings, lead/lag)
key their results on the fingerprints of the series they read, so new or revised data, not
time, decides when to recompute.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

from dashboard.data import SeriesData

T = TypeVar("T")


def series_fingerprint(data: SeriesData) -> tuple:
    """What identifies one series' data: its id, status, length and a digest of its dates
    and values (so a revised past observation counts as new data, not only a new date)."""
    values = data.values
    digest = hashlib.blake2b(digest_size=16)
    digest.update(values.index.asi8.tobytes())
    digest.update(values.to_numpy(dtype="float64", na_value=float("nan")).tobytes())
    return (data.info.id, data.status, len(values), digest.hexdigest())


class BoundedMemo:
    """Results by key, at most `size` of them (oldest dropped first). Thread-safe.

    Results are shared between callers: store only what nobody mutates (Dash only serialises
    the figures it is handed).
    """

    def __init__(self, size: int):
        self.size = size
        self._entries: dict[Hashable, object] = {}
        self._lock = threading.Lock()

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._entries:
                return self._entries[key]  # type: ignore[return-value]
        value = compute()  # outside the lock: other keys need not wait for this one
        with self._lock:
            while len(self._entries) >= self.size:
                self._entries.pop(next(iter(self._entries)))  # insertion order = oldest first
            self._entries[key] = value
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
