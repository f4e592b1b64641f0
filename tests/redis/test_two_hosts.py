"""Two app processes with their own working folders ("two hosts") sharing one real Redis:
a refresh through one is served by the other; Redis stopped and restarted under load costs
no error and no series, and both recover on their own."""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path

import pytest
import requests
from fakefred import FakeFred, read_rows
from redis_support import SHARED_SERIES

from bench.common import ServerProcess
from bench.dashproto import DashSite, walk_components
from dashboard.celery_app import REDIS_AWAY
from dashboard.config import Settings
from dashboard.data import DataStore
from dashboard.data.redis_cache import STALE_NOTE, RedisSeriesCache

SHORT_MEMO = str(Path(__file__).parents[1] / "hostile" / "gunicorn_short_memo.py")
pytestmark = pytest.mark.skipif(
    not (SHARED_SERIES / "WALCL.csv").is_file(), reason=f"needs the snapshot at {SHARED_SERIES}"
)


def _texts(tree) -> str:
    if isinstance(tree, (str, int, float)):
        return str(tree)
    if isinstance(tree, list):
        return " ".join(_texts(t) for t in tree)
    if isinstance(tree, dict):
        return _texts(tree.get("props", {}).get("children"))
    return ""


def _table(site: DashSite) -> dict[str, tuple[str, int, str]]:
    """series id → (last observation, rows, status and source) as the Data page shows them."""
    view = site.open_page("/data")
    table = {}
    for component in walk_components(view.content):
        cid = component["props"].get("id")
        if isinstance(cid, dict) and cid.get("type") == "data-row":
            cells = [c["props"].get("children") for c in component["props"]["children"]]
            rows = int(str(cells[7]).replace(",", ""))
            table[cid["series"]] = (cells[6], rows, _texts(cells[8]))
    return table


def _export_while(url: str) -> str:
    """Start a PNG export as the browser does (page HTML, then the background callback's
    start and one poll); the status line it ends with."""
    site = DashSite(url)
    view = site.open_page("/")
    call = next(c for c in site.calls_for(view.components) if "overview-download.data" in c.label)
    payload = json.loads(json.dumps(call.payload))
    payload["changedPropIds"] = ["overview-export-png.n_clicks"]
    page = requests.get(url + "/", timeout=30)
    assert page.status_code == 200, "the page itself must render without Redis"
    end_id = re.search(r'"end_id":\s*"([^"]+)"', page.text).group(1)
    update = f"{url}/_dash-update-component?endId={end_id}"
    started = site.http.post(update, json=payload, timeout=30)
    assert started.status_code == 200, started.text[:300]
    handles = started.json()
    assert "cacheKey" in handles, started.text[:500]
    for entry in payload["inputs"] + payload["state"]:
        entry["value"] = None
    poll = site.http.post(
        f"{update}&cacheKey={handles['cacheKey']}&job={handles['job']}", json=payload, timeout=30
    )
    assert poll.status_code == 200, poll.text[:300]
    return _texts(poll.json()["response"]["overview-export-status"]["children"])


def _expected(sid: str) -> tuple[str, int]:
    rows = [(d, v) for d, v in read_rows(SHARED_SERIES / f"{sid}.csv") if v is not None]
    return rows[-1][0], len(rows)


def _host(name: str, tmp_path: Path, env: dict[str, str]) -> ServerProcess:
    """An app process in its own working folder: its own cache folder, one gunicorn worker
    that re-reads the shared cache on (almost) every request."""
    env = {"DASHBOARD_CACHE_DIR": str(tmp_path / name / "cache"), "DASHBOARD_DATA_DIR": "", **env}
    (tmp_path / name).mkdir()
    server = ServerProcess.gunicorn(
        env, tmp_path / name / "gunicorn.log", workers=1, threads=4, extra=("-c", SHORT_MEMO)
    )
    try:
        server.wait_until()
    except Exception:
        server.stop()
        raise
    return server


def test_rds010_a_refresh_through_one_host_is_served_by_the_other(redis_server, tmp_path):
    sid = "T10Y2Y"  # not in the bundled snapshot: without a refresh, no host can show it
    with FakeFred() as fake:
        fake.add(sid, read_rows(SHARED_SERIES / f"{sid}.csv"))
        fake.add("WALCL", read_rows(SHARED_SERIES / "WALCL.csv"))
        host_a = _host(
            "a",
            tmp_path,
            {"DASHBOARD_REDIS_URL": redis_server.url, **fake.env, "DASHBOARD_HTTP_TIMEOUT": "5"},
        )
        host_b = _host(
            "b", tmp_path, {"DASHBOARD_REDIS_URL": redis_server.url, "DASHBOARD_OFFLINE": "1"}
        )
        try:
            site_b = DashSite(host_b.url)
            before = _table(site_b)
            assert before[sid][1] == 0 and "unavailable" in before[sid][2]
            # A user opens the Overview with T10Y2Y on host A: A fetches it in the background.
            site_a = DashSite(host_a.url)
            view = site_a.open_page("/", "?overlays=" + sid)
            for call in view.calls:
                assert site_a.post(call).status_code == 200
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                shown = _table(site_b)[sid]
                if shown[:2] == _expected(sid):
                    break
                time.sleep(0.5)
        finally:
            host_a.stop()
            host_b.stop()
        fetched = [r for r in fake.requests_for() if r.series == sid]
    assert shown[:2] == _expected(sid), f"host B still shows {shown}"
    assert "FRED" in shown[2] and STALE_NOTE not in shown[2]
    assert len(fetched) == 1, "one host fetched, the other read the shared cache"
    # Host B (offline) wrote no series cache of its own: the data came through Redis.
    assert not (tmp_path / "b" / "cache" / "series").exists()
    for server in (host_a, host_b):
        assert "Traceback" not in server.logs()


def test_rds011_redis_stopped_and_restarted_under_load(redis_server, tmp_path):
    chosen = ["T10Y2Y", "DGS10", "DGS2", "BAA10Y", "NFCI"]
    with FakeFred() as fake:
        for sid in chosen:
            fake.add(sid, read_rows(SHARED_SERIES / f"{sid}.csv"))
        seeder = DataStore(
            Settings(cache_dir=tmp_path / "seed", redis_url=redis_server.url, **fake.urls)
        )
        assert {r.outcome for r in seeder.refresh(chosen, force=True)} == {"updated"}
        seeder.close()
    env = {"DASHBOARD_REDIS_URL": redis_server.url, "DASHBOARD_OFFLINE": "1"}
    hosts = [_host("a", tmp_path, env), _host("b", tmp_path, env)]
    expected = {sid: _expected(sid) for sid in chosen}
    seen: list[tuple[float, dict]] = []
    failures: list[str] = []
    stop = threading.Event()

    def reader(url: str):
        site = DashSite(url, session=requests.Session(), timeout=60)
        while not stop.is_set():
            try:
                page = site.http.get(url + "/data", timeout=60)  # the page HTML itself
                assert page.status_code == 200, f"GET /data: HTTP {page.status_code}"
                seen.append((time.monotonic(), _table(site)))
            except Exception as exc:  # noqa: BLE001 - every failure is reported below
                failures.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=reader, args=(h.url,), daemon=True) for h in hosts * 2]
    try:
        # Each worker has read the series once (a worker serves what it last read while
        # Redis is away; one that never read a series falls back to the snapshot).
        for host in hosts:
            warm = _table(DashSite(host.url))
            assert {sid: warm[sid][:2] for sid in chosen} == expected
        for thread in threads:
            thread.start()
        time.sleep(2)
        redis_server.stop()
        down_from = time.monotonic()
        time.sleep(1)
        export_status = _export_while(hosts[0].url)  # an export asked for meanwhile
        time.sleep(max(0.0, down_from + 4 - time.monotonic()))
        redis_server.start()  # same port, empty (no persistence)
        up_from = time.monotonic()
        time.sleep(6)
        stop.set()
        for thread in threads:
            thread.join(60)
        final = [_table(DashSite(h.url)) for h in hosts]
    finally:
        stop.set()
        for host in hosts:
            host.stop()

    assert not failures, failures[:5]
    assert export_status == REDIS_AWAY
    during = [t for at, t in seen if down_from + 0.5 < at < up_from]
    assert len(seen) >= 8 and during, "the readers hardly ran; the test proves nothing"
    for _, table in seen:
        for sid in chosen:
            assert table[sid][:2] == expected[sid], f"{sid} shown as {table[sid]}"
    # While Redis was away, pages said the data may be stale; afterwards, no longer.
    assert any(STALE_NOTE in t[sid][2] for t in during for sid in chosen)
    for table in final:
        assert all(STALE_NOTE not in table[sid][2] for sid in chosen), table
    # The restarted, empty Redis was filled again from what the workers had read.
    check = RedisSeriesCache(redis_server.url)
    assert all(check.get(sid) is not None for sid in chosen)
    for host in hosts:
        assert "Traceback" not in host.logs()
