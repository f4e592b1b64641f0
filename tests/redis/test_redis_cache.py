"""RedisSeriesCache against a real redis-server: whole series, newest wins, plain data, one
refresher across hosts, and what a worker does when Redis goes away and comes back."""

from __future__ import annotations

import json
import time

import pandas as pd

from dashboard.config import Settings
from dashboard.data import DataStore
from dashboard.data.cache import CachedSeries
from dashboard.data.redis_cache import KEY_PREFIX, STALE_NOTE, RedisSeriesCache


def _series(days: int, start: str = "2024-01-03", scale: float = 1.0) -> pd.Series:
    index = pd.date_range(start, periods=days, freq="7D", name="date").as_unit("s")
    return pd.Series([scale * (1000.0 + i) for i in range(days)], index=index)


def test_rds001_series_round_trip_whole_and_as_plain_data(redis_server):
    writer, reader = RedisSeriesCache(redis_server.url), RedisSeriesCache(redis_server.url)
    values = _series(300)
    writer.put("WALCL", CachedSeries(values, "FRED download", 1_700_000_000.5))
    got = reader.get("WALCL")
    assert got is not None and got.source == "FRED download"
    assert got.fetched_at == 1_700_000_000.5
    pd.testing.assert_series_equal(got.values, values, check_freq=False, check_index_type=False)
    assert list(got.values.index) == list(values.index)
    # One value per series, plain JSON after its last date: no pickle anywhere.
    raw = redis_server.client().get(KEY_PREFIX + "series:WALCL")
    first, body = raw.split(b"\n", 1)
    assert first == str(values.index[-1].date()).encode()
    assert json.loads(body)["rows"] == 300
    writer.put_meta("WALCL", {"attempted_at": 5.0, "error": None})
    assert reader.get_meta("WALCL") == {"attempted_at": 5.0, "error": None}
    assert reader.get("NOPE") is None and reader.get_meta("NOPE") is None


def test_rds002_newest_wins_and_damaged_values_are_ignored(redis_server):
    cache = RedisSeriesCache(redis_server.url)
    newer, older = _series(200), _series(150)
    cache.put("T10Y2Y", CachedSeries(newer, "FRED download", 2.0))
    RedisSeriesCache(redis_server.url).put("T10Y2Y", CachedSeries(older, "FRED download", 3.0))
    assert len(RedisSeriesCache(redis_server.url).get("T10Y2Y").values) == 200
    revised = _series(200, scale=2.0)  # same last date: a revision replaces it
    cache.put("T10Y2Y", CachedSeries(revised, "FRED download", 4.0))
    assert RedisSeriesCache(redis_server.url).get("T10Y2Y").values.iloc[0] == 2000.0
    redis_server.client().set(KEY_PREFIX + "series:BROKEN", b"2024-01-01\n{not json")
    assert RedisSeriesCache(redis_server.url).get("BROKEN") is None


def test_rds003_one_refresher_at_a_time_across_hosts(redis_server):
    host_a, host_b = RedisSeriesCache(redis_server.url), RedisSeriesCache(redis_server.url)
    with host_a.refresh_lock() as a_holds:
        with host_b.refresh_lock(wait=0.6) as b_holds:
            assert a_holds and not b_holds
        assert 0 < redis_server.client().ttl(KEY_PREFIX + "refresh-lock") <= 600
    with host_b.refresh_lock(wait=0) as b_holds:
        assert b_holds  # released by its owner


def test_rds004_redis_away_serves_last_read_marked_stale_then_recovers(redis_server):
    cache = RedisSeriesCache(redis_server.url)
    cache.put("WALCL", CachedSeries(_series(100), "FRED download", 1.0))
    assert cache.get("WALCL").source == "FRED download" and cache.problem is None
    redis_server.stop()
    away = cache.get("WALCL")
    assert away is not None and len(away.values) == 100
    assert away.source == f"FRED download ({STALE_NOTE})"
    assert "may be stale" in cache.problem
    with cache.refresh_lock(wait=0) as holds:
        assert not holds  # no refresh while the shared cache is away
    redis_server.start()  # same port, empty: started without persistence
    time.sleep(2.1)  # the worker asks again after RETRY_AFTER
    back = cache.get("WALCL")
    assert back.source == "FRED download" and cache.problem is None
    # The empty Redis was re-filled from what the worker last read.
    assert RedisSeriesCache(redis_server.url).get("WALCL") is not None


def test_rds005_store_uses_redis_when_the_url_is_set(redis_server, tmp_path):
    settings = Settings(cache_dir=tmp_path / "a", offline=True, redis_url=redis_server.url)
    store = DataStore(settings)
    assert isinstance(store.cache, RedisSeriesCache)
    assert redis_server.url not in repr(settings)  # the URL may hold a password
    plain = DataStore(Settings(cache_dir=tmp_path / "b", offline=True))
    assert not isinstance(plain.cache, RedisSeriesCache)
    plain.close()
    assert not (tmp_path / "a" / "series").exists()  # nothing written to disk in Redis mode
    store.close()
