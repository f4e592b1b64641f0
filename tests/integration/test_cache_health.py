"""Cache health: a locked cache is tried again, a failed save is reported, an empty cache.db
is kept aside, and the pages say what state the cache is in."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time

import pytest

from dashboard.config import PROJECT_ROOT, Settings
from dashboard.data import UNAVAILABLE, DataStore, set_store
from dashboard.data import cache as cache_module
from tests.conftest import SHARED_SERIES, requires_shared
from tests.fakefred import FakeFred, read_rows

pytestmark = requires_shared


def _lock(db):
    """Another process writing to cache.db for as long as the test holds it."""
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    return holder


@pytest.fixture
def fake():
    with FakeFred() as server:
        server.add("TLT", read_rows(SHARED_SERIES / "TLT.csv"))
        yield server


def _settings(tmp_path, fake) -> Settings:
    return Settings(
        cache_dir=tmp_path / "cache",
        snapshot_dir=tmp_path / "no-snapshot",
        http_timeout=2,
        background_refresh=False,
        **fake.urls,
    )


def _refresh_cli(tmp_path, fake, *args):
    env = {
        **os.environ,
        **fake.env,
        "DASHBOARD_CACHE_DIR": str(tmp_path / "cache"),
        "DASHBOARD_SNAPSHOT_DIR": str(tmp_path / "no-snapshot"),
        "DASHBOARD_NO_BACKGROUND_REFRESH": "1",
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    env.pop("DASHBOARD_DATA_DIR", None)
    env.pop("DASHBOARD_OFFLINE", None)
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "refresh", "--no-progress", *args],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )


def last_dated(rows):
    """The last date with a value in `rows`, as a Timestamp."""
    import pandas as pd

    return pd.Timestamp([d for d, v in rows if v is not None][-1])


def test_chh001_refresh_into_a_locked_cache_says_not_saved_and_exits_1(tmp_path, fake):
    DataStore(_settings(tmp_path, fake)).close()  # the cache exists
    holder = _lock(tmp_path / "cache" / "series" / "cache.db")
    try:
        done = _refresh_cli(tmp_path, fake, "--force", "--series", "TLT")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 1, done.stdout + done.stderr
    assert "not saved" in done.stdout and "locked" in done.stdout
    assert "Traceback" not in done.stderr
    # Unlocked, the same command saves and says so.
    again = _refresh_cli(tmp_path, fake, "--force", "--series", "TLT")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "not saved" not in again.stdout
    assert DataStore(_settings(tmp_path, fake)).cache.get("TLT") is not None


def test_chh002_worker_started_on_a_locked_cache_reopens_it(tmp_path, fake, monkeypatch):
    monkeypatch.setattr(cache_module, "REOPEN_AFTER", 0.5)
    DataStore(_settings(tmp_path, fake)).close()
    holder = _lock(tmp_path / "cache" / "series" / "cache.db")
    try:
        worker = DataStore(_settings(tmp_path, fake))
        assert worker.cache.state == "locked"
        assert "locked by another process" in worker.notice
        first = worker.get("TLT")
        assert first.status.state == UNAVAILABLE and "locked" in first.status.message
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    # Another process refreshes TLT into the now free cache.
    assert _refresh_cli(tmp_path, fake, "--series", "TLT").returncode == 0
    time.sleep(0.6)
    worker._forget("TLT")  # the page's in-memory copy lives a minute; a page load after it:
    later = worker.get("TLT")
    assert later.status.state != UNAVAILABLE and not later.empty
    assert later.values.index[-1] == last_dated(read_rows(SHARED_SERIES / "TLT.csv"))
    assert worker.cache.state == "ok" and worker.notice is None


def test_chh003_zero_length_cache_db_is_moved_aside_not_used(tmp_path, fake):
    series_dir = tmp_path / "cache" / "series"
    series_dir.mkdir(parents=True)
    (series_dir / "cache.db").write_bytes(b"")
    store = DataStore(_settings(tmp_path, fake))
    assert store.cache.state == "damaged" and "damaged" in store.notice
    aside = [p for p in (tmp_path / "cache").iterdir() if ".broken-" in p.name]
    assert len(aside) == 1 and (aside[0] / "cache.db").stat().st_size == 0, "kept, not deleted"
    assert store.refresh(["TLT"])[0].outcome == "updated"
    assert DataStore(_settings(tmp_path, fake)).cache.get("TLT") is not None


def test_chh004_pages_show_the_cache_state(tmp_path, fake, dash_app):
    from dashboard.components import freshness_panel

    DataStore(_settings(tmp_path, fake)).close()
    holder = _lock(tmp_path / "cache" / "series" / "cache.db")
    try:
        store = DataStore(_settings(tmp_path, fake))
        set_store(store)
        panel = freshness_panel([store.get("TLT")])
    finally:
        set_store(None)
        holder.execute("ROLLBACK")
        holder.close()
    text = str(panel)
    assert "locked by another process" in text
    assert "not in the offline data" not in text
