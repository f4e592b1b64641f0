"""The data layer. Everything outside this package reads data through `get_store()`."""

from dashboard.data.store import (
    FRESH,
    SNAPSHOT,
    STALE,
    UNAVAILABLE,
    DataStore,
    SeriesData,
    SeriesStatus,
    get_store,
    set_store,
)

__all__ = [
    "FRESH",
    "SNAPSHOT",
    "STALE",
    "UNAVAILABLE",
    "DataStore",
    "SeriesData",
    "SeriesStatus",
    "get_store",
    "set_store",
]
