"""A property-based fuzzer against the served app: random and malformed callback posts, and
random query strings on every page. Every answer is 2xx or a 4xx, never a 5xx or a traceback,
and the server keeps serving afterwards."""

from __future__ import annotations

import copy
import json
import os
from urllib.parse import urlencode

import pytest
import requests
from hostile_support import (
    assert_handled,
    hostile_values,
    json_values,
    query_params,
    registry_pages,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.dashproto import UPDATE

# CI runs the same 120 examples per test every time (a failure is reproducible); for a deeper
# hunt: HOSTILE_FUZZ_EXAMPLES=2000 HOSTILE_FUZZ_RANDOM=1 python -m pytest tests/hostile -k hst00
FUZZ = settings(
    max_examples=int(os.environ.get("HOSTILE_FUZZ_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=not os.environ.get("HOSTILE_FUZZ_RANDOM"),
)


def post_raw(base: str, body: bytes, content_type: str = "application/json") -> requests.Response:
    return requests.post(
        base + UPDATE, data=body, headers={"Content-Type": content_type}, timeout=120
    )


def assert_still_serving(base: str) -> None:
    assert requests.get(base + "/", timeout=60).status_code == 200
    assert requests.get(base + "/_dash-layout", timeout=60).status_code == 200


@pytest.fixture(scope="module")
def real_calls(site):
    """Every server callback a user can fire, as the browser would post it, per page."""
    calls = []
    for page in registry_pages():
        view = site.open_page(page["path"])
        calls.append(site.navigate_call(page["path"]))
        calls.extend(site.calls_for(view.components))
    assert calls, "no callbacks found to fuzz"
    return calls


@FUZZ
@given(body=st.binary(max_size=400) | json_values.map(lambda v: json.dumps(v).encode()))
def test_hst001_random_bodies_are_rejected_cleanly(served_app, body):
    response = post_raw(served_app, body)
    assert_handled(response, f"body {body[:80]!r}")
    assert response.status_code in (200, 204) or 400 <= response.status_code < 500


@FUZZ
@given(
    keys=st.dictionaries(
        st.sampled_from(["output", "outputs", "inputs", "state", "changedPropIds", "extra"]),
        json_values,
    ),
    content_type=st.sampled_from(["application/json", "text/plain", "application/x-www-form"]),
)
def test_hst002_payload_shaped_garbage(served_app, keys, content_type):
    response = post_raw(served_app, json.dumps(keys).encode(), content_type)
    assert_handled(response, f"payload {json.dumps(keys)[:120]}")


@FUZZ
@given(data=st.data())
def test_hst003_real_callbacks_with_hostile_values(served_app, site, real_calls, data):
    """A real callback request with its values, ids or shape tampered with."""
    call = data.draw(st.sampled_from(real_calls), label="callback")
    payload = copy.deepcopy(call.payload)
    how = data.draw(
        st.sampled_from(["value", "value", "value", "drop_key", "id", "property", "extra_input"]),
        label="tamper",
    )
    flat = [e for item in payload["inputs"] + payload.get("state", []) for e in _entries(item)]
    if how == "value" and flat:
        for entry in flat:
            if data.draw(st.booleans(), label="tamper this value"):
                entry["value"] = data.draw(hostile_values, label="value")
    elif how == "drop_key":
        key = data.draw(st.sampled_from(sorted(payload)), label="dropped")
        payload.pop(key)
    elif how == "id" and flat:
        flat[0]["id"] = data.draw(json_values, label="id")
    elif how == "property" and flat:
        flat[0]["property"] = data.draw(st.text(max_size=20), label="property")
    elif how == "extra_input":
        payload["inputs"].append({"id": "nope", "property": "value", "value": 1})
    response = site.post(payload)
    assert_handled(response, f"{call.label} ({how}): {json.dumps(payload)[:300]}")
    if response.status_code == 200:
        response.json()  # a 200 is a callback answer the renderer can parse


def _entries(item):
    return item if isinstance(item, list) else [item]


# Deferred: the page registry is filled when the session's app is created, after collection.
query_names = st.deferred(
    lambda: st.sampled_from(
        sorted({name for page in registry_pages() for name in query_params(page)}) or ["q"]
    )
) | st.text(min_size=1, max_size=12)
query_strings = st.lists(
    st.tuples(query_names, st.text(max_size=60) | hostile_values.map(str)), max_size=6
).map(urlencode)


@FUZZ
@given(data=st.data(), search=query_strings)
def test_hst004_random_query_strings_on_every_page(served_app, site, data, search):
    page = data.draw(st.sampled_from(registry_pages()), label="page")
    html = requests.get(f"{served_app}{page['path']}?{search}", timeout=60)
    assert_handled(html, f"GET {page['path']}?{search[:200]}")
    response = site.post(site.navigate_call(page["path"], "?" + search))
    assert_handled(response, f"page {page['path']}?{search[:200]}")
    assert response.status_code == 200, f"{page['path']}?{search[:200]} did not render"


def test_hst005_server_still_serves_after_fuzzing(served_app, site):
    assert_still_serving(served_app)
    for page in registry_pages():
        view = site.open_page(page["path"])
        for call in view.calls:
            response = site.post(call)
            assert_handled(response, f"{page['path']}: {call.label}")


# Values of the wrong type, one input at a time: what a forged request sends to a callback
# that trusts its component to hand it a string, a list or a number.
WRONG_TYPES = [None, 12345, "", [], ["x"], {"a": 1}]


def _values_of(payload: dict) -> list:
    return payload["inputs"] + payload.get("state", [])


def test_hst006_every_input_of_every_callback_with_wrong_types(site, real_calls):
    """Inputs and states alike."""
    problems = []
    for call in real_calls:
        entries = [e for item in _values_of(call.payload) for e in _entries(item)]
        for index, entry in enumerate(entries):
            if entry.get("property") == "id":
                continue  # the guard rejects forged ids before any callback runs
            for value in WRONG_TYPES:
                payload = copy.deepcopy(call.payload)
                target = [e for item in _values_of(payload) for e in _entries(item)][index]
                target["value"] = value
                response = site.post(payload)
                if response.status_code >= 500 or "Traceback" in response.text:
                    problems.append(
                        f"{call.label[:70]}: {entry['id']}.{entry['property']}={value!r:.40}"
                        f" -> HTTP {response.status_code}"
                    )
    assert not problems, "\n".join(problems)
