"""Per-address pacing against a real gunicorn at its production setting: a client looping on
callbacks is told 429 with Retry-After once its burst is spent, while a person at another
address opens the Overview and gets every answer. The clients use their own loopback
addresses (127.0.0.0/8), so the server tells them apart as it would on the internet."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

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
JSON = {"Content-Type": "application/json"}


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
    # The looper posts what a broken or hostile script would: a body Dash cannot use, refused
    # with a quick 400, on four connections at once, so it outruns the pacing even on a loaded
    # machine (one connection made 76 slow gauge requests in 3 s there: never over the rate).
    update = server.url + "/_dash-update-component"
    answers: list[requests.Response] = []
    started = time.monotonic()

    def loop() -> None:
        session = _session("127.0.0.5")
        while time.monotonic() - started < 30 and len(answers) < 2000:
            answers.append(session.post(update, data=b"{}", headers=JSON))
            if sum(a.status_code == 429 for a in answers[-20:]) >= 10:
                return

    with ThreadPoolExecutor(4) as pool:
        for future in [pool.submit(loop) for _ in range(4)]:
            future.result()
    elapsed = time.monotonic() - started
    codes = [a.status_code for a in answers]
    assert set(codes) <= {400, 429}, sorted(set(codes))
    assert 429 in codes, f"{len(codes)} callbacks in {elapsed:.0f} s from one address, none refused"
    # The burst a person's page load needs goes through; past it, no more than the rate.
    burst = RATE * BURST_SECONDS
    assert 429 not in codes[: int(burst) - 4], codes[: int(burst)]  # 4 answers may cross
    assert codes.count(400) <= burst + RATE * elapsed + 2, (codes.count(400), elapsed)
    refused = [a for a in answers if a.status_code == 429]
    assert all(a.headers["Retry-After"] == "1" for a in refused)
    for answer in refused[:3]:
        assert_handled(answer, "paced callback")
        assert "wait a second" in answer.text

    # A person at another address, meanwhile: the whole Overview, every answer 200.
    person = DashSite(server.url, session=_session("127.0.0.6"), timeout=60)
    home = person.open_page("/")
    assert home.calls
    for call in home.calls:
        assert person.post(call).status_code in (200, 204), call.label

    # The looper, after a pause of a second, is served again.
    time.sleep(1.2)
    assert _session("127.0.0.5").post(update, data=b"{}", headers=JSON).status_code == 400
