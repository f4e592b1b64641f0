"""The optional response cache (DASHBOARD_RESPONSE_CACHE_SECONDS): repeated view requests are
answered from memory with the same bytes; clicks, errors and big answers never are; memory
stays bounded and entries expire."""

from __future__ import annotations

import json
import sys

import pytest
from hostile_support import SHARED_SERIES, ProcessServer, free_port

from bench.dashproto import DashSite
from dashboard.config import ServerSettings
from dashboard.respcache import HEADER, ClientQuota, ResponseCache


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_rsc001_entries_expire_after_ttl():
    clock = FakeClock()
    cache = ResponseCache(30, clock=clock)
    cache.put("a", b"answer")
    clock.now += 29.9
    assert cache.get("a") == b"answer"
    clock.now += 0.2
    assert cache.get("a") is None
    assert len(cache) == 0


def test_rsc002_bounded_by_count_and_size():
    cache = ResponseCache(60, max_entries=3, max_entry_bytes=10, clock=FakeClock())
    for key in "abcd":
        cache.put(key, b"x")
    assert len(cache) == 3 and cache.get("a") is None  # the oldest went first
    cache.get("b")  # b is now the most recently used
    cache.put("e", b"x")
    assert cache.get("b") == b"x" and cache.get("c") is None
    cache.put("big", b"x" * 11)
    assert cache.get("big") is None


def test_rsc005_one_client_cannot_fill_the_cache_for_everyone():
    clock = FakeClock()
    quota = ClientQuota(60, per_client=3, clock=clock)
    assert [quota.allow("10.0.0.9") for _ in range(5)] == [True, True, True, False, False]
    assert quota.allow("10.0.0.2"), "another client still gets its answers kept"
    clock.now += 60.1
    assert quota.allow("10.0.0.9"), "a new window gives the client its share back"


def test_rsc003_setting_is_off_by_default_and_bounded():
    assert ServerSettings.from_env({}).response_cache_seconds == 0
    assert (
        ServerSettings.from_env({"DASHBOARD_RESPONSE_CACHE_SECONDS": "-5"}).response_cache_seconds
        == 0
    )
    assert (
        ServerSettings.from_env({"DASHBOARD_RESPONSE_CACHE_SECONDS": "junk"}).response_cache_seconds
        == 0
    )
    assert (
        ServerSettings.from_env({"DASHBOARD_RESPONSE_CACHE_SECONDS": "30"}).response_cache_seconds
        == 30
    )


@pytest.mark.skipif(not (SHARED_SERIES / "WALCL.csv").is_file(), reason="needs the snapshot")
def test_rsc004_served_app_answers_repeats_from_memory(tmp_path):
    port = free_port()
    env = {
        "PORT": str(port),
        "DASHBOARD_DATA_DIR": str(SHARED_SERIES),
        "DASHBOARD_OFFLINE": "1",
        "DASHBOARD_CACHE_DIR": str(tmp_path / "cache"),
        "DASHBOARD_RESPONSE_CACHE_SECONDS": "60",
        "DASH_DEBUG": "",
    }
    server = ProcessServer([sys.executable, "app.py"], env, tmp_path / "app.log", port)
    try:
        site = DashSite(server.url, timeout=120)
        view = site.open_page("/")
        chart = next(c for c in view.calls if "overview-graph.figure" in c.label)
        first, second = site.post(chart), site.post(chart)
        assert first.status_code == second.status_code == 200
        assert first.headers.get(HEADER) == "miss" and second.headers.get(HEADER) == "hit"
        assert first.content == second.content
        # Fields Dash does not read make no new entry (one client cannot evict the rest).
        padded = {**chart.payload, "padding": "x" * 1000, "nonce": 42}
        assert site.post(padded).headers.get(HEADER) == "hit"

        changed = json.loads(json.dumps(chart.payload))
        for entry in changed["inputs"]:
            if entry["id"] == "overview-range":
                entry["value"] = "1Y"
        answer = site.post(changed)
        assert answer.headers.get(HEADER) == "miss" and answer.content != first.content

        data = site.open_page("/data")
        clicks = [c for c in site.calls_for(data.components) if "refresh" in c.label]
        assert clicks, "the Data page has no refresh button callback"
        for _ in range(2):
            assert HEADER not in site.post(clicks[0]).headers  # a click is never replayed

        # One client posting endless distinct views: past its share its answers are still
        # right, but no longer kept, so the entries already cached for everyone stay.
        statuses = []
        for days in range(40):
            view_of = json.loads(json.dumps(chart.payload))
            for entry in view_of["inputs"]:
                if entry["id"] == "overview-from":
                    entry["value"] = f"2020-01-{days % 28 + 1:02d}" if days < 28 else None
                if entry["id"] == "overview-to" and days >= 28:
                    entry["value"] = f"2024-02-{days - 27:02d}"
            answer = site.post(view_of)
            assert answer.status_code == 200
            statuses.append(answer.headers.get(HEADER))
        assert "not-kept" in statuses, statuses
        assert site.post(chart).headers.get(HEADER) == "hit"

        bad = site.post({"output": chart.payload["output"], "inputs": "nope"})
        assert bad.status_code == 400 and HEADER not in bad.headers
    finally:
        server.stop()


def _tiny_app(proxies: int):
    """A one-callback Dash app with the response cache and the proxy setting installed."""
    import dash
    from dash import Input, Output, dcc, html

    from dashboard.respcache import install_response_cache
    from dashboard.webapp import trust_proxies

    app = dash.Dash(__name__)
    app.layout = html.Div([dcc.Input(id="q", value=""), html.Div(id="out")])

    @app.callback(Output("out", "children"), Input("q", "value"))
    def _echo(value):
        return f"echo {value}"

    trust_proxies(app, proxies)
    install_response_cache(app, 60)
    return app


def _post_views(client, forwarded_for: str, count: int, start: int = 0) -> list[str | None]:
    marks = []
    for i in range(start, start + count):
        body = {
            "output": "out.children",
            "outputs": {"id": "out", "property": "children"},
            "inputs": [{"id": "q", "property": "value", "value": f"view {i}"}],
            "changedPropIds": ["q.value"],
        }
        answer = client.post(
            "/_dash-update-component", json=body, headers={"X-Forwarded-For": forwarded_for}
        )
        assert answer.status_code == 200 and f"echo view {i}" in answer.get_data(as_text=True)
        marks.append(answer.headers.get(HEADER))
    return marks


def test_rsc006_behind_a_proxy_each_forwarded_client_has_its_own_share():
    from dashboard.config import ServerSettings
    from dashboard.respcache import MAX_STORES_PER_CLIENT

    assert ServerSettings.from_env({}).trusted_proxies == 0
    assert ServerSettings.from_env({"DASHBOARD_TRUSTED_PROXIES": "1"}).trusted_proxies == 1
    assert ServerSettings.from_env({"DASHBOARD_TRUSTED_PROXIES": "nan"}).trusted_proxies == 0

    behind = _tiny_app(proxies=1).server.test_client()
    greedy = _post_views(behind, "198.51.100.7", MAX_STORES_PER_CLIENT + 5)
    assert greedy.count("not-kept") == 5
    # Another user behind the same proxy still gets answers kept.
    assert _post_views(behind, "203.0.113.9", 3, start=1000) == ["miss"] * 3

    # Not trusted (the default): the header is ignored, everyone is one address.
    direct = _tiny_app(proxies=0).server.test_client()
    _post_views(direct, "198.51.100.7", MAX_STORES_PER_CLIENT)
    assert _post_views(direct, "203.0.113.9", 2, start=1000) == ["not-kept"] * 2
