"""With FRED_API_KEY set, the key appears nowhere a user or an operator can read it.

The app runs as `python app.py` (INFO logging, request lines included) against a fake FRED
that misbehaves in every way it knows, one fault per series, including echoing the key back
in its error message. A refresh runs the whole fault matrix while the fuzzer and a tour of
every page, callback and API route run; then the key is searched for in every response body,
the server's whole log, and the pages' source as the browser holds it.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from fakefred import FAULTS, FakeFred, read_rows
from flask import Flask
from hostile_support import (
    SHARED_SERIES,
    ProcessServer,
    free_port,
    hostile_values,
    json_values,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.dashproto import DashSite
from dashboard.api import register_api
from dashboard.catalog import SERIES

KEY = "feedface" * 4  # 32 lowercase hex characters, shaped like a FRED key and easy to spot
REFRESH_NOTE_OUTPUT = "data-refresh-note.children"
STOPPERS = {"bad_key", "rate_limit", "stall", "truncated"}


def _api_routes() -> list[str]:
    probe = Flask("probe")
    register_api(probe)
    return sorted(
        r.rule
        for r in probe.url_map.iter_rules()
        if r.rule.startswith("/api/") and "<" not in r.rule
    )


def _wait_for_refresh(fake: FakeFred, asked_before: int, timeout: float = 180.0) -> None:
    """Until the refresh has asked something new and the fake has then been quiet a while."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        recent = fake.requests_for()[asked_before:]
        if recent and time.monotonic() - max(r.at for r in recent) > 4.0:
            return
        time.sleep(0.5)
    raise TimeoutError("the refresh did not finish")


def _assign_faults(fake: FakeFred, series: list[str], kinds: list[str]) -> None:
    """One fault per series, a healthy series between two faults (the data layer stops
    asking a source after a few failures in a row)."""
    fake.clear()
    for sid, kind in zip(series[::2], kinds):
        fake.fail(kind, series=sid, stall=2.5, retry_after="1")


@pytest.mark.skipif(not (SHARED_SERIES / "WALCL.csv").is_file(), reason="needs the snapshot")
def test_hst301_api_key_never_reaches_responses_logs_or_pages(tmp_path: Path, browser):
    fred_ids = sorted(
        s.id for s in SERIES if s.source == "fred" and (SHARED_SERIES / f"{s.id}.csv").is_file()
    )
    bodies: list[tuple[str, str]] = []
    logs: list[str] = []
    lock = threading.Lock()

    def keep(what: str, response: requests.Response) -> None:
        with lock:
            bodies.append((what, response.text))

    def tour(site: DashSite, url: str) -> None:
        """Everything a user can see: pages, their callbacks, the API, the shell."""
        for path in site.page_paths():
            keep(f"GET {path}", requests.get(url + path, timeout=60))
            keep(f"page {path}", site.post(site.navigate_call(path)))
            for call in site.open_page(path).calls:
                keep(call.label, site.post(call))
        for route in _api_routes() + ["/_dash-layout", "/_dash-dependencies", "/api/nope"]:
            keep(f"GET {route}", requests.get(url + route, timeout=60))

    with FakeFred(api_key=KEY) as fake:
        for sid in fred_ids:
            fake.add(sid, read_rows(SHARED_SERIES / f"{sid}.csv"))
        # Faults after which a source is not asked again this refresh go last.
        pending = sorted(FAULTS, key=lambda kind: kind in STOPPERS)
        # A source that times out, refuses the key or rate-limits is not asked again in the
        # same refresh, so the matrix runs over several refreshes, each in a fresh server.
        for round_no in range(len(FAULTS)):
            if not pending:
                break
            _assign_faults(fake, fred_ids, pending)
            asked_before = len(fake.requests_for())
            port = free_port()
            env = {
                **fake.env,
                "FRED_API_KEY": KEY,
                "PORT": str(port),
                "DASHBOARD_CACHE_DIR": str(tmp_path / f"cache{round_no}"),
                "DASHBOARD_HTTP_TIMEOUT": "1",
                "DASHBOARD_OFFLINE": "0",
                "DASHBOARD_DATA_DIR": "",  # every series must come from the faulty source
                "DASH_DEBUG": "",
            }
            log_path = tmp_path / f"app{round_no}.log"
            server = ProcessServer([sys.executable, "app.py"], env, log_path, port)
            try:
                site = DashSite(server.url, timeout=120)
                data_page = site.open_page("/data")
                refresh = next(
                    c
                    for c in site.calls_for(data_page.components)
                    if c.label == REFRESH_NOTE_OUTPUT
                )
                for entry in refresh.payload["inputs"]:
                    entry["value"] = 1  # a click on "Refresh from sources"
                keep("refresh click", site.post(refresh))
                if round_no == 0:
                    _fuzz(site, server.url, keep)  # while the refresh meets its faults
                _wait_for_refresh(fake, asked_before)
                tour(site, server.url)
                if round_no == 0:
                    bodies.extend(_browser_sources(browser, site, server.url))
            finally:
                server.stop()
                logs.append(server.logs())
            served = {r.fault for r in fake.requests_for()[asked_before:]}
            print(f"round {round_no}: served {sorted(k for k in served if k)}")
            pending = [kind for kind in pending if kind not in served]

        key_was_used = any(KEY in r.path for r in fake.requests_for("fred_api"))
        echoed = any(KEY.encode() in body for body in fake.bodies)

    assert not pending, f"faults never served: {pending}"
    assert key_was_used, "the app never called FRED's API with the key: the test proves nothing"
    assert echoed, "the fake never echoed the key back: the fault matrix did not run"
    leaks = [what for what, text in bodies if KEY in text]
    assert not leaks, f"the API key appears in: {leaks[:10]}"
    assert not any(KEY in text for text in logs), "the API key appears in the server log"
    shown = "".join(text for what, text in bodies if what == "page /data")
    assert "Last refresh failed" in shown or "failed" in shown


def _fuzz(site: DashSite, url: str, keep) -> None:
    calls = []
    for path in site.page_paths():
        calls.extend(site.calls_for(site.open_page(path).components))

    @settings(
        max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(
        call=st.sampled_from(calls),
        value=hostile_values,
        junk=json_values,
        path=st.sampled_from(site.page_paths()),
    )
    def fuzz(call, value, junk, path):
        payload = json.loads(json.dumps(call.payload))
        for entry in payload["inputs"]:
            if isinstance(entry, dict):
                entry["value"] = value
        keep(f"fuzzed {call.label}", site.post(payload))
        keep("junk", site.post({"output": junk}))
        keep(f"GET {path}", requests.get(f"{url}{path}?q={value}", timeout=60))

    fuzz()


def _browser_sources(browser, site: DashSite, url: str) -> list[tuple[str, str]]:
    """Each page's source as the browser holds it once rendered."""
    context = browser.new_context()
    tab = context.new_page()
    sources = []
    try:
        for path in site.page_paths():
            tab.goto(url + path, wait_until="networkidle")
            sources.append((f"browser {path}", tab.content()))
    finally:
        context.close()
    return sources
