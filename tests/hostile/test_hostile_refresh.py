"""A refresh running while two gunicorn workers serve traffic leaves the cache consistent.

The workers share one disk cache and re-read it on nearly every request (a gunicorn config
shortens the data layer's one-minute memo). The cache first holds an older answer for a set
of FRED series; then another process refreshes them from a fake FRED while readers load the
Data page. Every answer must show each series either as it was before the
refresh or as it is after it — never a torn series (rows from both) or a lost one — and the
cache must end up holding exactly what FRED served.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import requests
from fakefred import FakeFred, read_rows
from hostile_support import SHARED_SERIES, ProcessServer

from bench.dashproto import DashSite, walk_components
from dashboard.catalog import SERIES
from dashboard.config import BUNDLED_SNAPSHOT_DIR, Settings
from dashboard.data import DataStore

REFRESHED = 10  # FRED series refreshed while traffic runs (FRED's limit: ~2 requests/s)
READERS = 4
DROPPED = 30  # observations missing from the first answer


def _table(site: DashSite) -> dict[str, tuple[str, int]]:
    """series id → (last observation, rows) as the Data page shows them."""
    view = site.open_page("/data")
    table = {}
    for component in walk_components(view.content):
        cid = component["props"].get("id")
        if isinstance(cid, dict) and cid.get("type") == "data-row":
            cells = [c["props"].get("children") for c in component["props"]["children"]]
            table[cid["series"]] = (cells[6], int(str(cells[7]).replace(",", "")))
    return table


def _expected(sid: str, drop: int = 0) -> tuple[str, int]:
    """(last date, rows) of FRED's answer without its last `drop` observations."""
    rows = read_rows(SHARED_SERIES / f"{sid}.csv")
    served = [(d, v) for d, v in rows[: len(rows) - drop] if v is not None]
    return served[-1][0], len(served)


# FRED series the bundled snapshot does not hold, so the cache alone decides what is shown.
CHOSEN = [
    s.id
    for s in SERIES
    if s.source == "fred"
    and (SHARED_SERIES / f"{s.id}.csv").is_file()
    and not (BUNDLED_SNAPSHOT_DIR / f"{s.id}.csv").is_file()
][:REFRESHED]


@pytest.mark.skipif(
    not CHOSEN, reason="needs FRED series beyond the bundled snapshot: set DASHBOARD_DATA_DIR"
)
def test_hst201_refresh_during_traffic_leaves_no_torn_or_lost_series(tmp_path: Path):
    chosen = CHOSEN
    cache_dir = tmp_path / "cache"
    # No data folder (CI sets one): the cache alone decides what the workers show.
    env = {
        "DASHBOARD_OFFLINE": "1",
        "DASHBOARD_CACHE_DIR": str(cache_dir),
        "DASHBOARD_DATA_DIR": "",
    }
    config = str(Path(__file__).with_name("gunicorn_short_memo.py"))
    server = ProcessServer.gunicorn(env, tmp_path / "gunicorn.log", workers=2, extra=["-c", config])
    seen: list[dict[str, tuple[str, int]]] = []
    failures: list[str] = []
    stop = threading.Event()

    def reader():
        site = DashSite(server.url, session=requests.Session(), timeout=60)
        while not stop.is_set():
            try:
                seen.append(_table(site))
            except Exception as exc:  # noqa: BLE001 - every failure is reported below
                failures.append(f"{type(exc).__name__}: {exc}")

    try:
        with FakeFred() as fake:
            for sid in chosen:
                fake.add(sid, read_rows(SHARED_SERIES / f"{sid}.csv"))
            refresher = DataStore(Settings(cache_dir=cache_dir, http_timeout=5, **fake.urls))
            # First the cache holds an older answer; the refresh under traffic brings the rest.
            fake.fail("older", drop=DROPPED)
            seeded = refresher.refresh(chosen, force=True)
            fake.clear()
            before = _table(DashSite(server.url))
            threads = [threading.Thread(target=reader, daemon=True) for _ in range(READERS)]
            for thread in threads:
                thread.start()
            time.sleep(0.5)
            results = refresher.refresh(chosen, force=True)
            refresher.cache.close()
        time.sleep(1.0)  # let every reader see the finished cache at least once
        stop.set()
        for thread in threads:
            thread.join(60)
        after = _table(DashSite(server.url))
    finally:
        stop.set()
        server.stop()

    assert [r.outcome for r in seeded] == ["updated"] * len(chosen), seeded
    assert [r.outcome for r in results] == ["updated"] * len(chosen), results
    assert {sid: before[sid] for sid in chosen} == {sid: _expected(sid, DROPPED) for sid in chosen}
    assert not failures, failures[:5]
    assert len(seen) >= 2 * READERS, "the readers hardly ran; the test proves nothing"
    assert "Traceback" not in server.logs()
    expected = {sid: _expected(sid) for sid in chosen}
    for sid in chosen:
        assert after[sid] == expected[sid], f"{sid} after the refresh"
    for table in seen:
        assert set(table) == set(before), "a series went missing from the Data page"
        for sid, shown in table.items():
            allowed = {before[sid], expected.get(sid, before[sid])}
            assert shown in allowed, f"{sid} shown as {shown}, expected one of {allowed}"
    # Some answer was read mid-refresh (one series already new, another still old): the
    # traffic really overlapped the writes.
    assert any(
        {t[sid] == expected[sid] for sid in chosen if before[sid] != expected[sid]} == {True, False}
        for t in seen
    ), "no answer was read while the refresh was under way"
    fresh = DataStore(Settings(cache_dir=cache_dir, offline=True))
    try:
        for sid in chosen:
            held = fresh.cache.get(sid)
            assert held is not None, f"{sid} was lost from the cache"
            assert held.values.index.is_monotonic_increasing and held.values.index.is_unique
            assert (str(held.last_date.date()), len(held.values)) == expected[sid]
    finally:
        fresh.cache.close()
