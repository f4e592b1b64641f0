"""Fair use, against a real gunicorn: one client cannot make the server parse megabytes,
recurse itself to death, build a gauge per forged id, or hold every thread with exports.

Each bad request gets a short JSON 4xx (never a 5xx, never a traceback in the answer or the
log), and the page's own requests keep working beside it.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hostile_support import SHARED_SERIES, ProcessServer, assert_handled

from bench.dashproto import DashSite
from dashboard.celery_app import BUSY
from dashboard.export import BUSY_MESSAGE
from dashboard.httpguard import MAX_BODY_BYTES, MAX_PATTERN_MATCHES

pytestmark = pytest.mark.skipif(
    not (SHARED_SERIES / "WALCL.csv").is_file(), reason="needs the real data snapshot"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fairuse")
    env = {
        "DASHBOARD_DATA_DIR": str(SHARED_SERIES),
        "DASHBOARD_OFFLINE": "1",
        "DASHBOARD_CACHE_DIR": str(folder / "cache"),
        "DASH_DEBUG": "",
    }
    served = ProcessServer.gunicorn(
        env, folder / "gunicorn.log", workers=1, extra=("--threads", "4", "--timeout", "120")
    )
    served.log_path = folder / "gunicorn.log"
    yield served
    served.stop()


@pytest.fixture(scope="module")
def site(server) -> DashSite:
    return DashSite(server.url, timeout=120)


def _call(site: DashSite, path: str, label_part: str):
    view = site.open_page(path)
    calls = site.calls_for({**site.shell_components, **view.components})
    return next(c for c in calls if label_part in c.label)


def _gauge_call(site):
    return json.loads(json.dumps(_call(site, "/triggers", "triggers-gauge").payload))


def _log(server) -> str:
    return Path(server.log_path).read_text(errors="replace")


def _assert_400(response, what):
    assert_handled(response, what)
    assert response.status_code == 400, f"{what}: HTTP {response.status_code}"
    assert response.headers["Content-Type"].startswith("application/json")
    assert len(response.content) < 1000, f"{what}: answer of {len(response.content)} bytes"


def test_hst301_real_gauge_request_still_works(site):
    answer = site.post(_gauge_call(site))
    assert answer.status_code == 200
    figures = answer.json()["response"]
    assert len(figures) == len(_gauge_call(site)["outputs"]) >= 5  # one per trigger shown


def test_hst302_dict_inside_a_pattern_id_is_400(site, server):
    payload = _gauge_call(site)
    forged = {"type": "triggers-gauge", "trigger": {"$ne": 1}}
    payload["state"][0][0] = {"id": forged, "property": "id", "value": forged}
    payload["outputs"][0]["id"] = forged
    _assert_400(site.post(payload), "dict in a pattern id")
    assert "unhashable" not in _log(server) and "Traceback" not in _log(server)


def test_hst303_ids_not_on_the_page_are_400(site):
    payload = _gauge_call(site)
    forged = {"type": "triggers-gauge", "trigger": "no_such_trigger"}
    payload["state"][0].append({"id": forged, "property": "id", "value": forged})
    payload["outputs"].append({"id": forged, "property": "figure"})
    _assert_400(site.post(payload), "an id that is not on the page")


def test_hst308_a_forged_output_id_alone_is_400(site):
    # The inputs are the page's own; only the outputs ask for a component it never rendered
    # (or one with an object where a string goes): refused before any figure is built.
    for forged in (
        {"type": "triggers-gauge", "trigger": "no_such_trigger"},
        {"type": "triggers-gauge", "trigger": ["reserves_below_3t"]},
        {"type": "triggers-gauge", "trigger": "x", "extra": "y"},
    ):
        payload = _gauge_call(site)
        payload["outputs"][0]["id"] = forged
        _assert_400(site.post(payload), f"forged output id {forged}")
    assert site.post(_gauge_call(site)).status_code == 200


def test_hst304_thousands_of_forged_ids_are_refused_cheaply(site):
    payload = _gauge_call(site)
    real = payload["state"][0][0]["id"]
    many = [dict(real) for _ in range(MAX_PATTERN_MATCHES + 50)]
    payload["state"][0] = [{"id": i, "property": "id", "value": i} for i in many]
    payload["outputs"] = [{"id": i, "property": "figure"} for i in many]
    _assert_400(site.post(payload), "many repeated ids")
    # 10,000 ids (the probe's 1 MB request that came back as 74 MB) do not even get parsed.
    payload["state"][0] = payload["state"][0] * 50
    payload["outputs"] = payload["outputs"] * 50
    answer = site.post(payload)
    assert_handled(answer, "10,000 ids")
    assert answer.status_code in (400, 413) and len(answer.content) < 1000


def test_hst305_body_over_the_limit_is_413(site, server):
    payload = _gauge_call(site)
    payload["state"][1]["value"] = "x" * (MAX_BODY_BYTES + 1)
    answer = site.post(payload)
    assert_handled(answer, "a big body")
    assert answer.status_code == 413 and "too large" in answer.json()["error"]
    assert site.post(_gauge_call(site)).status_code == 200


@pytest.mark.parametrize("depth", [200, 2000, 100_000])
def test_hst306_deeply_nested_json_is_400_without_a_traceback(site, server, depth):
    payload = _gauge_call(site)
    body = json.dumps(payload)
    nested = "[" * depth + "1" + "]" * depth
    body = body.replace('"value": "light"', f'"value": {nested}', 1)
    answer = site.http.post(
        site.base + "/_dash-update-component",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=60,
    )
    _assert_400(answer, f"{depth}-deep JSON")
    assert "RecursionError" not in _log(server) and "Traceback" not in _log(server)


def _export_job(site: DashSite, payload: dict, deadline: float) -> str:
    """Start one export as the browser does (exports are background callbacks: the first
    answer is a job handle), poll it until it answers, and return the final answer's text."""
    first = site.http.post(
        site.base + "/_dash-update-component",
        data=json.dumps(payload),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert_handled(first, "export start")
    body = first.json()
    if "cacheKey" not in body:
        return json.dumps(body)
    handles = {"cacheKey": body["cacheKey"], "job": body["job"]}
    while time.monotonic() < deadline:
        answer = site.http.post(
            site.base + "/_dash-update-component",
            params=handles,
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
            timeout=30,
        )
        assert_handled(answer, "export poll")
        # Progress polls answer with the status line too; wait for the file or the refusal.
        text = answer.text.replace("\\u002f", "/")  # Dash's JSON escapes slashes
        if answer.status_code == 200 and any(
            final in text for final in ("image/png", BUSY_MESSAGE, BUSY)
        ):
            return text
        assert answer.status_code in (200, 204), f"export poll: HTTP {answer.status_code}"
        time.sleep(0.5)
    raise AssertionError("an export never answered: the user would wait for ever")


def test_hst307_concurrent_exports_beyond_the_limit_are_told_to_retry(site, server):
    call = _call(site, "/", "overview-download")
    payload = json.loads(json.dumps(call.payload))
    payload["inputs"][0]["value"] = 1  # the PNG button, clicked once
    payload["changedPropIds"] = ["overview-export-png.n_clicks"]
    deadline = time.monotonic() + 150
    with ThreadPoolExecutor(8) as pool:
        texts = list(pool.map(lambda _: _export_job(site, payload, deadline), range(8)))
    done = [t for t in texts if "image/png" in t]
    busy = [t for t in texts if BUSY_MESSAGE in t or BUSY in t]
    assert done, "at least one export went through"
    assert busy, "exports beyond the limit are refused with a retry message"
    assert len(done) + len(busy) == len(texts), texts
    # The page's other requests are answered meanwhile and afterwards.
    assert site.post(_gauge_call(site)).status_code == 200
