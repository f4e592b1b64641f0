"""The per-address pacing of callbacks (dashboard/pacing.py), on a hand-driven clock: a person's
burst goes through, a loop is told 429 with Retry-After, other addresses and other paths are
not touched, and the table of addresses stays bounded."""

from __future__ import annotations

from dashboard import pacing
from dashboard.pacing import PACED_PATH, ClientPacer


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def _app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


def _call(pacer, address, path=PACED_PATH):
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(pacer({"PATH_INFO": path, "REMOTE_ADDR": address}, start_response))
    return int(seen["status"].split()[0]), seen["headers"], body


def test_pac001_a_burst_passes_then_a_loop_gets_429_with_retry_after():
    clock = Clock()
    pacer = ClientPacer(_app, rate=10, clock=clock)
    statuses = [_call(pacer, "198.51.100.7")[0] for _ in range(60)]
    assert statuses == [200] * 60  # six seconds' worth at once: a page load and more
    status, headers, body = _call(pacer, "198.51.100.7")
    assert status == 429 and headers["Retry-After"] == "1"
    assert b"wait a second" in body and int(headers["Content-Length"]) == len(body)
    # Tokens come back at the rate: after 0.5 s, five more requests pass and the sixth not.
    clock.now += 0.5
    assert [_call(pacer, "198.51.100.7")[0] for _ in range(6)] == [200] * 5 + [429]


def test_pac002_another_address_and_other_paths_are_not_held_back():
    clock = Clock()
    pacer = ClientPacer(_app, rate=2, clock=clock)
    for _ in range(20):
        _call(pacer, "198.51.100.7")
    assert _call(pacer, "198.51.100.7")[0] == 429
    assert _call(pacer, "203.0.113.9")[0] == 200
    for path in ("/", "/_dash-layout", "/_dash-dependencies", "/api/series/WALCL"):
        assert _call(pacer, "198.51.100.7", path)[0] == 200, path


def test_pac003_a_loop_sustains_no_more_than_the_rate():
    clock = Clock()
    pacer = ClientPacer(_app, rate=10, clock=clock)
    passed = 0
    for _ in range(600):  # 100 requests a second for 60 s
        for _ in range(10):
            passed += _call(pacer, "192.0.2.1")[0] == 200
        clock.now += 0.1
    # the burst (6 s' worth) plus 10 a second: 660 of the 6,000
    assert abs(passed - (60 + 10 * 60)) <= 10, passed


def test_pac004_the_address_table_stays_bounded(monkeypatch):
    monkeypatch.setattr(pacing, "MAX_CLIENTS", 50)
    clock = Clock()
    pacer = ClientPacer(_app, rate=1, clock=clock)
    for i in range(500):
        _call(pacer, f"10.0.{i // 250}.{i % 250}")
        clock.now += 0.01
    assert len(pacer._buckets) <= 50
    # The newest address, added after the trims, is served.
    assert _call(pacer, "10.0.1.249")[0] == 200
