"""`/api/...` endpoints reject bad parameters with 400 and a JSON error, and never a 5xx.

Routes come from the Flask URL map; the parameter names each route accepts from the usage
line of its docstring (`GET /api/triggers[?status=...][&id=a,b]`), so new endpoints are
covered when they land.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
import requests
from hostile_support import assert_handled, hostile_values
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

BAD_VALUES = [
    "NOSUCHTHING",
    "../../../../etc/passwd",
    "9999-12-31",
    "2020-01-01:2010-01-01",
    "<script>alert(1)</script>",
    "x" * 3000,  # long, yet inside every server's request-line limit (gunicorn: 4094)
]


def api_routes(dash_app) -> list[tuple[str, list[str]]]:
    """(rule, accepted parameter names) for every concrete GET route under /api/."""
    routes = []
    for rule in dash_app.server.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or "<" in rule.rule or "GET" not in rule.methods:
            continue
        doc = dash_app.server.view_functions[rule.endpoint].__doc__ or ""
        names = list(dict.fromkeys(re.findall(r"[?&]([A-Za-z_]\w*)=", doc)))
        routes.append((rule.rule, names))
    return routes


def assert_json_error(response: requests.Response, status: int, what: str) -> None:
    assert_handled(response, what)
    assert response.status_code == status, f"{what}: HTTP {response.status_code}"
    assert response.headers["Content-Type"].startswith("application/json"), what
    message = response.json()["error"]
    assert isinstance(message, str) and message, what
    assert len(message) < 1000, f"{what}: the error echoes the whole bad value"


@pytest.fixture(scope="module")
def routes(dash_app):
    found = api_routes(dash_app)
    assert found, "the app has no /api/ route"
    return found


def test_hst501_good_request_answers_json(served_app, routes):
    for rule, _ in routes:
        response = requests.get(served_app + rule, timeout=60)
        assert response.status_code == 200, rule
        response.json()


def test_hst502_unknown_parameter_is_400_json(served_app, routes):
    for rule, _ in routes:
        response = requests.get(f"{served_app}{rule}?nosuchparam=1", timeout=60)
        assert_json_error(response, 400, f"{rule}?nosuchparam=1")


def test_hst503_bad_values_of_each_parameter_are_400_json(served_app, routes):
    checked = 0
    for rule, names in routes:
        for name in names:
            for value in BAD_VALUES:
                url = f"{served_app}{rule}?{urlencode({name: value})}"
                assert_json_error(requests.get(url, timeout=60), 400, f"{rule}?{name}={value[:40]}")
                checked += 1
    assert checked, "no /api/ route documents a parameter: nothing was checked"


def test_hst506_oversized_query_is_rejected_before_or_by_the_app(served_app, routes):
    for rule, names in routes:
        response = requests.get(f"{served_app}{rule}?{names[0] if names else 'x'}={'x' * 100_000}")
        assert_handled(response, f"{rule} with a 100-KB value")
        assert response.status_code in (400, 414), response.status_code


def test_hst504_unknown_api_path_and_wrong_method(served_app, routes):
    assert_json_error(requests.get(served_app + "/api/nosuchthing", timeout=60), 404, "/api/x")
    for rule, _ in routes:
        response = requests.post(served_app + rule, timeout=60)
        assert_handled(response, f"POST {rule}")
        assert response.status_code == 405


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_hst505_random_query_strings(served_app, dash_app, data):
    rule, names = data.draw(st.sampled_from(api_routes(dash_app)), label="route")
    name_strategy = st.sampled_from(names) | st.text(max_size=10) if names else st.text()
    pairs = data.draw(
        st.lists(st.tuples(name_strategy, hostile_values.map(str)), max_size=4), label="query"
    )
    response = requests.get(f"{served_app}{rule}?{urlencode(pairs)}", timeout=60)
    assert_handled(response, f"{rule}?{urlencode(pairs)[:200]}")
    assert response.status_code in (200, 400), response.status_code
    body = response.json()
    if response.status_code == 400:
        assert body["error"]
