"""Exports through a real Celery worker on a real Redis, in a real browser: the file arrives,
and a worker killed mid-export gives the user a plain error within seconds, not a spinner."""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path

import pytest
import requests
from redis_support import REDIS_SERVER, SHARED_SERIES, CeleryWorker, RedisServer

from bench.common import ServerProcess
from bench.dashproto import DashSite
from dashboard.celery_app import ALIVE_SECONDS, HEARTBEAT_SECONDS

pytestmark = pytest.mark.browser
PAGE = "/?overlays=TLT,BTC-USD&range=10Y"
GRAPH_DRAWN = "() => document.querySelector('#overview-graph .js-plotly-plot')?.data?.length > 0"


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    """One Redis, one web process (gunicorn) with DASHBOARD_REDIS_URL: a host of a team."""
    if not Path(REDIS_SERVER).exists():
        pytest.skip(f"needs Debian's redis-server at {REDIS_SERVER} (apt-get install redis-server)")
    if not (SHARED_SERIES / "WALCL.csv").is_file():
        pytest.skip(f"needs the real data snapshot at {SHARED_SERIES}")
    folder = tmp_path_factory.mktemp("team")
    redis_server = RedisServer(folder / "redis").start()
    env = {
        "DASHBOARD_REDIS_URL": redis_server.url,
        "DASHBOARD_DATA_DIR": str(SHARED_SERIES),
        "DASHBOARD_OFFLINE": "1",
        "DASHBOARD_CACHE_DIR": str(folder / "web-cache"),
    }
    web = ServerProcess.gunicorn(env, folder / "web.log", workers=1, threads=4)
    try:
        web.wait_until()
        yield {"env": env, "url": web.url, "folder": folder, "web": web}
    finally:
        web.stop()
        redis_server.stop()


def _http_export(url: str) -> dict:
    """A PNG export as the renderer does it over HTTP (start, then poll every 0.5 s); the
    callback's final answer."""
    site = DashSite(url, timeout=60)
    view = site.open_page("/")
    call = next(c for c in site.calls_for(view.components) if "overview-download.data" in c.label)
    payload = json.loads(json.dumps(call.payload))
    payload["changedPropIds"] = ["overview-export-png.n_clicks"]
    end_id = re.search(r'"end_id":\s*"([^"]+)"', requests.get(url + "/", timeout=60).text)[1]
    update = f"{url}/_dash-update-component?endId={end_id}"
    handles = site.http.post(update, json=payload, timeout=60).json()
    for entry in payload["inputs"] + payload["state"]:
        entry["value"] = None
    poll = f"{update}&cacheKey={handles['cacheKey']}&job={handles['job']}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        answer = site.http.post(poll, json=payload, timeout=60)
        assert answer.status_code == 200, f"HTTP {answer.status_code}: the export was lost"
        if "response" in answer.json():
            return answer.json()["response"]
        time.sleep(0.5)
    raise AssertionError("the export did not finish within 90 s")


def _export(page, item):
    page.click("#overview-export-menu .dropdown-toggle")
    page.click(f"#{item}")


def test_rds020_export_runs_on_the_celery_worker(team, page):
    worker = CeleryWorker(
        {**team["env"], "DASHBOARD_CACHE_DIR": str(team["folder"] / "worker-cache")},
        team["folder"] / "worker-ok.log",
    )
    try:
        page.goto(team["url"] + PAGE)
        page.wait_for_function(GRAPH_DRAWN)
        page.click("#overview-export-menu .dropdown-toggle")
        with page.expect_download(timeout=90_000) as info:
            page.click("#overview-export-png")
        download = info.value
        content = open(download.path(), "rb").read()
        assert download.suggested_filename == "walcl-vs-tlt-btc-2016-2026.png"
        assert content.startswith(b"\x89PNG\r\n\x1a\n") and len(content) > 5000
        page.wait_for_selector("#overview-export-status:has-text('Exported')")
        # The render ran on the worker, not in the web process.
        logs = worker.logs()
        assert "background_callback_" in logs and "succeeded" in logs, logs[-2000:]
        assert "kaleido" not in team["web"].logs().lower()
        assert page.is_hidden("#overview-export-cancel")
    finally:
        worker.stop()
    assert page.console_errors == []


def test_rds021_worker_killed_mid_export_gives_a_clear_error(team, page):
    worker = CeleryWorker(
        {**team["env"], "DASHBOARD_CACHE_DIR": str(team["folder"] / "worker-cache")},
        team["folder"] / "worker-killed.log",
    )
    try:
        page.goto(team["url"] + PAGE)
        page.wait_for_function(GRAPH_DRAWN)
        _export(page, "overview-export-pdf")
        # The worker has taken the job and is starting its Chromium: the user sees progress
        # and a cancel button while it runs.
        page.wait_for_selector("#overview-export-progress:has-text('Rendering the PDF')")
        assert page.is_visible("#overview-export-cancel")
        worker.kill()
        killed = time.monotonic()
        page.wait_for_selector("#overview-export-status:has-text('went away')", timeout=30_000)
        waited = time.monotonic() - killed
    finally:
        worker.stop()
    # Within the heartbeat's expiry plus a couple of the browser's 1-s polls.
    assert waited < ALIVE_SECONDS + 4 * HEARTBEAT_SECONDS + 2, waited
    assert "Try again" in page.inner_text("#overview-export-status")
    assert "Traceback" not in page.inner_text("body")
    # The page is usable again: the menu is enabled, the cancel button and progress gone.
    assert page.is_hidden("#overview-export-cancel")
    assert page.is_enabled("#overview-export-menu .dropdown-toggle")


def test_rds022_two_users_exporting_the_same_view_at_once_both_get_the_file(team):
    worker = CeleryWorker(
        {**team["env"], "DASHBOARD_CACHE_DIR": str(team["folder"] / "worker-cache")},
        team["folder"] / "worker-twice.log",
    )
    answers: list = []
    try:
        threads = [
            threading.Thread(target=lambda: answers.append(_http_export(team["url"])))
            for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    finally:
        worker.stop()
    assert len(answers) == 2, "an export raised (see above)"
    for answer in answers:
        data = answer["overview-download"]["data"]
        assert data["filename"].endswith(".png") and len(data["content"]) > 5000
