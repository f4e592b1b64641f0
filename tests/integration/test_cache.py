"""The disk cache: exact round trips, damaged or unwritable folders, and merge rules.

A broken cache must never take the app down or delete anything: not the bundled snapshot,
not the data folder, not even the broken cache itself (it is moved aside).
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from dashboard.config import BUNDLED_SNAPSHOT_DIR, Settings
from dashboard.data import FRESH, SNAPSHOT, DataStore
from dashboard.data.cache import SCHEMA, CachedSeries, SeriesCache
from dashboard.data.sources import FolderSource
from dashboard.data.store import merge_update
from tests.fakefred import FakeFred, read_rows

NOW = datetime(2024, 1, 20, 12, tzinfo=UTC)


def hand_series(pairs) -> pd.Series:
    return pd.Series(
        [v for _, v in pairs], index=pd.DatetimeIndex([d for d, _ in pairs], name="date")
    )


WEEKS = hand_series([("2024-01-03", 7.70), ("2024-01-10", 7.68), ("2024-01-17", 7.66)])


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` with a hash of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def app_dirs(tmp_path):
    """A project-like layout: data_cache/ holding the snapshot, and a data folder beside it."""
    cache_dir = tmp_path / "data_cache"
    shutil.copytree(BUNDLED_SNAPSHOT_DIR, cache_dir / "snapshot")
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "SPY.csv").write_text(
        "observation_date,SPY\n2024-01-02,472.65\n2024-01-03,468.79\n"
    )
    return Settings(
        cache_dir=cache_dir,
        snapshot_dir=cache_dir / "snapshot",
        data_dir=data_dir,
        offline=True,
    )


# ---- round trips ----------------------------------------------------------------------------
def test_cch001_round_trip_is_exact_across_instances(tmp_path):
    cache = SeriesCache(tmp_path / "series")
    cache.put("WALCL", CachedSeries(WEEKS, "FRED API", NOW.timestamp()))
    cache.close()
    again = SeriesCache(tmp_path / "series").get("WALCL")
    assert again.values.equals(WEEKS)
    assert list(again.values.index.strftime("%Y-%m-%d")) == [
        "2024-01-03",
        "2024-01-10",
        "2024-01-17",
    ]
    assert again.source == "FRED API" and again.fetched_at == NOW.timestamp()
    assert again.last_date == pd.Timestamp("2024-01-17")


def test_cch002_entries_of_another_schema_are_ignored(tmp_path):
    cache = SeriesCache(tmp_path / "series")
    cache._disk.set("WALCL", {"schema": SCHEMA - 1, "dates": [1], "values": [1.0]})
    cache._disk.set("SPY", "not a dict at all")
    assert cache.get("WALCL") is None and cache.get("SPY") is None


# ---- damaged caches ----------------------------------------------------------------------------
def test_cch003_garbage_cache_db_is_moved_aside_and_rebuilt(app_dirs):
    store = DataStore(app_dirs)
    store.cache.put("WALCL", CachedSeries(WEEKS, "FRED API", NOW.timestamp()))
    store.close()
    series_dir = app_dirs.cache_dir / "series"
    garbage = b"this is not a database" * 500
    (series_dir / "cache.db").write_bytes(garbage)
    snapshot_before = tree_digest(app_dirs.snapshot_dir)
    data_before = tree_digest(app_dirs.data_dir)

    store = DataStore(app_dirs)
    walcl, spy = store.get("WALCL"), store.get("SPY")

    assert "damaged" in store.notice and "kept at series.broken-" in store.notice
    assert walcl.status.state == SNAPSHOT and walcl.status.source == "bundled snapshot"
    assert spy.status.source == "data folder" and list(spy.values) == [472.65, 468.79]
    assert tree_digest(app_dirs.snapshot_dir) == snapshot_before, "snapshot untouched"
    assert tree_digest(app_dirs.data_dir) == data_before, "data folder untouched"
    broken = [p for p in app_dirs.cache_dir.iterdir() if p.name.startswith("series.broken-")]
    assert len(broken) == 1 and (broken[0] / "cache.db").read_bytes() == garbage
    # The rebuilt cache works.
    store.cache.put("WALCL", CachedSeries(WEEKS, "FRED API", NOW.timestamp()))
    assert DataStore(app_dirs).cache.get("WALCL").values.equals(WEEKS)


def test_cch004_half_overwritten_cache_db_does_not_crash(app_dirs):
    store = DataStore(app_dirs)
    for i in range(300):
        store.cache.put(f"K{i}", CachedSeries(WEEKS * (i + 1), "FRED API", NOW.timestamp()))
    store.close()
    db = app_dirs.cache_dir / "series" / "cache.db"
    raw = bytearray(db.read_bytes())
    raw[4096:] = b"\xff" * (len(raw) - 4096)  # keep sqlite's header, wreck every page
    db.write_bytes(bytes(raw))

    store = DataStore(app_dirs)
    assert store.get("WALCL").status.state == SNAPSHOT
    assert not store.get("SPY").empty
    assert (app_dirs.snapshot_dir / "WALCL.csv").is_file()


def test_cch005_unwritable_cache_dir_runs_read_only(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    with FakeFred() as fake:
        fake.add("WALCL", [("2024-01-03", 7.70), ("2024-01-10", 7.68)])
        settings = Settings(
            cache_dir=blocker / "cache",
            snapshot_dir=BUNDLED_SNAPSHOT_DIR,
            http_timeout=2,
            background_refresh=False,
            **fake.urls,
        )
        store = DataStore(settings, clock=lambda: NOW)
        assert store.cache.read_only and "read-only" in store.notice
        assert store.get("WALCL").status.state == SNAPSHOT
        # Fetches still work for as long as the app runs; the data is kept in memory, and
        # the refresh says it was not saved.
        store_with_no_snapshot = DataStore(
            Settings(**{**settings.__dict__, "snapshot_dir": tmp_path / "none"}),
            clock=lambda: NOW,
        )
        result = store_with_no_snapshot.refresh(["WALCL"])[0]
        assert result.outcome == "unsaved" and "not saved" in result.message
        assert store_with_no_snapshot.get("WALCL").status.state == FRESH
    assert blocker.read_text().startswith("a file"), "nothing was written over it"


@pytest.mark.skipif(
    hasattr(__import__("os"), "geteuid") and __import__("os").geteuid() == 0,
    reason="root can write anywhere: permissions cannot make a folder read-only",
)
def test_cch006_read_only_permissions(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        store = DataStore(Settings(cache_dir=folder, offline=True))
        assert store.get("WALCL").status.state == SNAPSHOT
        assert store.cache.read_only
    finally:
        folder.chmod(0o700)


def test_cch007_busy_cache_is_not_mistaken_for_damage(app_dirs):
    store = DataStore(app_dirs)
    store.cache.put("WALCL", CachedSeries(WEEKS, "FRED API", NOW.timestamp()))
    store.close()
    db = app_dirs.cache_dir / "series" / "cache.db"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process is writing, for longer than we wait
    try:
        busy = DataStore(app_dirs)
        assert busy.get("WALCL").status.state == SNAPSHOT  # serves what it can, no crash
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not [p for p in app_dirs.cache_dir.iterdir() if "broken" in p.name]
    assert DataStore(app_dirs).cache.get("WALCL").values.equals(WEEKS), "the cache survived"


# ---- parsed folder files are reused ----------------------------------------------------------
def test_cch008_folder_files_are_parsed_once_and_again_when_changed(app_dirs, monkeypatch):
    calls = []
    real_fetch = FolderSource.fetch

    def counting_fetch(self, info):
        calls.append(info.id)
        return real_fetch(self, info)

    monkeypatch.setattr(FolderSource, "fetch", counting_fetch)
    assert list(DataStore(app_dirs).get("SPY").values) == [472.65, 468.79]
    assert list(DataStore(app_dirs).get("SPY").values) == [472.65, 468.79]
    assert calls == ["SPY"], "a new store reads the parse back from the cache"

    path = app_dirs.data_dir / "SPY.csv"
    path.write_text(path.read_text() + "2024-01-04,467.28\n")
    assert list(DataStore(app_dirs).get("SPY").values) == [472.65, 468.79, 467.28]
    assert calls == ["SPY", "SPY"]


def test_cch009_cache_newer_than_folder_wins_and_older_loses(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "WALCL.csv").write_text("observation_date,WALCL\n2024-01-03,7.70\n2024-01-10,7.68\n")
    settings = Settings(cache_dir=tmp_path / "c", data_dir=folder, offline=True)
    store = DataStore(settings, clock=lambda: NOW)
    store.cache.put("WALCL", CachedSeries(WEEKS, "FRED API", NOW.timestamp()))
    data = store.get("WALCL")
    assert data.status.source == "FRED API" and data.values.equals(WEEKS)

    (folder / "WALCL.csv").write_text(
        "observation_date,WALCL\n2024-01-03,7.70\n2024-01-10,7.68\n2024-01-17,7.66\n"
        "2024-01-24,7.64\n"
    )
    data = DataStore(settings, clock=lambda: NOW).get("WALCL")
    assert data.status.source == "data folder" and data.values.iloc[-1] == 7.64


# ---- merge rules -----------------------------------------------------------------------------
def test_cch010_merge_keeps_history_the_answer_no_longer_serves():
    old = hand_series([("2020-01-01", 1.0), ("2021-01-01", 2.0), ("2022-01-01", 3.0)])
    new = hand_series([("2021-01-01", 2.5), ("2022-01-01", 3.0), ("2023-01-01", 4.0)])
    merged, why = merge_update(old, new)
    assert why is None
    assert merged.to_dict() == {
        pd.Timestamp("2020-01-01"): 1.0,
        pd.Timestamp("2021-01-01"): 2.5,  # revised
        pd.Timestamp("2022-01-01"): 3.0,
        pd.Timestamp("2023-01-01"): 4.0,
    }


def test_cch011_merge_refuses_empty_older_and_shorter_by_far():
    days = pd.date_range("2024-01-01", periods=40, freq="D", name="date")
    old = pd.Series(range(40), index=days, dtype="float64")
    empty = pd.Series(dtype="float64", index=pd.DatetimeIndex([], name="date"))
    for answer, words in [
        (empty, "no observations"),
        (old.iloc[:-3], "before ours"),
        (old.iloc[::-4][::-1], "rows where we hold"),
    ]:
        merged, why = merge_update(old, answer)
        assert merged is old and words in why
    # Anything is better than nothing.
    merged, why = merge_update(empty, old.iloc[::4])
    assert why is None and merged.equals(old.iloc[::4])


def test_cch012_real_series_survive_the_cache_byte_for_byte(tmp_path):
    from tests.conftest import HAVE_SHARED, SHARED_SERIES

    if not HAVE_SHARED:
        pytest.skip("needs the shared data folder")
    cache = SeriesCache(tmp_path / "series")
    for sid in ("WALCL", "BTC-USD", "DFF"):
        rows = read_rows(SHARED_SERIES / f"{sid}.csv")
        values = hand_series([(d, v) for d, v in rows if v is not None])
        cache.put(sid, CachedSeries(values, "FRED API", NOW.timestamp()))
        got = SeriesCache(tmp_path / "series").get(sid).values
        assert got.index.strftime("%Y-%m-%d").tolist() == [d for d, v in rows if v is not None]
        assert got.tolist() == [v for _, v in rows if v is not None]


def test_cch013_unopenable_cache_file_is_left_alone(tmp_path):
    """sqlite cannot open cache.db (here: it is a folder): run read-only, move nothing."""
    blocked = tmp_path / "cache" / "series" / "cache.db"
    blocked.mkdir(parents=True)
    (blocked / "keep.txt").write_text("someone's file")
    store = DataStore(Settings(cache_dir=tmp_path / "cache", offline=True))
    assert store.cache.read_only and "read-only" in store.notice
    assert store.get("WALCL").status.state == SNAPSHOT
    assert (blocked / "keep.txt").read_text() == "someone's file"
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["series"]
