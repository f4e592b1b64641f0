"""Per-address pacing against a real gunicorn at its production setting: a client looping on
callbacks is told 429 with Retry-After once its burst is spent, while a person at another
address opens the Overview and gets every answer. The clients use their own loopback
addresses (127.0.0.0/8), so the server tells them apart as it would on the internet."""

from __future__ import annotations

import json
import time

import pytest
import requests
from hostile_support import SHARED_SERIES, ProcessServer, assert_handled
from requests.adapters import HTTPAdapter

from bench.common import app_env
from bench.dashproto import DashSite
from dashboard.config import ServerSettings
from dashboard.pacing import BURST_SECONDS

pytestmark = pytest.mark.skipif(
    not (SHARED_SERIES / "WALCL.csv").is_file(), reason="needs the real data snapshot"
)
RATE = ServerSettings().client_callbacks_per_s  # the production default


class _FromAddress(HTTPAdapter):
    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def _session(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", _FromAddress(address))
    return session


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pacing")
    env = app_env(folder / "cache", DASHBOARD_CLIENT_CALLBACKS_PER_SECOND=f"{RATE:g}")
    served = ProcessServer.gunicorn(env, folder / "gunicorn.log", extra=("--threads", "4"))
    yield served
    served.stop()


def test_hsp001_a_looping_client_gets_429_and_a_person_elsewhere_is_served(server):
    looper = DashSite(server.url, session=_session("127.0.0.5"), timeout=60)
    view = looper.open_page("/triggers")
    gauge = next(
        c for c in looper.calls_for({**looper.shell_components, **view.components})
        if "triggers-gauge" in c.label
    )
    body = json.loads(json.dumps(gauge.payload))
    answers = []
    started = time.monotonic()
    while time.monotonic() - started < 3 and len(answers) < 400:
        answers.append(looper.post(body))
    codes = [a.status_code for a in answers]
    assert set(codes) <= {200, 429}, sorted(set(codes))
    refused = [a for a in answers if a.status_code == 429]
    assert refused, f"{len(answers)} callbacks in 3 s from one address, none refused"
    assert all(a.headers["Retry-After"] == "1" for a in refused)
    for answer in refused[:3]:
        assert_handled(answer, "paced callback")
        assert "wait a second" in answer.text
    # What got through is the burst plus the rate over the loop's seconds, not the loop.
    elapsed = time.monotonic() - started
    assert codes.count(200) <= RATE * BURST_SECONDS + RATE * elapsed + 2, codes

    # A person at another address, meanwhile: the whole Overview, every answer 200.
    person = DashSite(server.url, session=_session("127.0.0.6"), timeout=60)
    home = person.open_page("/")
    assert home.calls
    for call in home.calls:
        assert person.post(call).status_code in (200, 204), call.label

    # The looper, after a pause of a second, is served again.
    time.sleep(1.2)
    assert looper.post(body).status_code == 200
