"""Crafted URLs: unknown series, `../` paths, a 10-MB query string, year-9999 dates and
reversed ranges give the normal page with a friendly notice, never an error page.

Query names come from each page (its `layout` signature and the links its docstring
documents), so a page that learns a new URL value is covered without editing this file.
"""

from __future__ import annotations

import http.client
from urllib.parse import urlencode, urlsplit

import pytest
import requests
from hostile_support import assert_handled, query_params, registry_pages

from bench.dashproto import walk_components

CRAFTED = {
    "unknown series": "NOSUCHSERIES",
    "several unknown": "NOSUCH1,NOSUCH2,../x",
    "parent path": "../../../../etc/passwd",
    "encoded parent path": "..%2F..%2F..%2Fetc%2Fpasswd",
    "year 9999": "9999-12-31",
    "year 0": "0000-01-01",
    "reversed range": "2020-01-01:2010-01-01",
    "reversed years": "2024-2001",
    "markup": "<script>alert(1)</script>",
    "huge number": "1e308",
}
TEN_MB = 10 * 2**20


def _pages_with_params() -> list[tuple[str, list[str]]]:
    return [(p["path"], query_params(p)) for p in registry_pages()]


def _alerts(content) -> list[dict]:
    return [c for c in walk_components(content) if c["type"] == "Alert"]


def _text(content) -> str:
    parts = []
    for component in walk_components(content):
        children = component["props"].get("children")
        for child in children if isinstance(children, list) else [children]:
            if isinstance(child, (str, int, float)):
                parts.append(str(child))
    return " ".join(parts)


def _check_crafted(site, base: str, path: str, name: str, value: str) -> str | None:
    """Why this crafted value is not handled with the page and a notice, or None."""
    search = "?" + urlencode({name: value})
    where = f"{path}{search}"
    html = requests.get(base + path + search, timeout=60)
    if html.status_code != 200 or "Traceback" in html.text:
        return f"GET {where}: HTTP {html.status_code}"
    response = site.post(site.navigate_call(path, search))
    if response.status_code != 200 or "Traceback" in response.text:
        return f"{where}: HTTP {response.status_code} {response.text[:200]}"
    view = site.open_page(path, search)
    if "Page not found" in _text(view.content):
        return f"{where}: the 404 page"
    if not _alerts(view.content):
        return f"{where}: no notice says the value was not understood"
    for call in view.calls:  # the page's charts and tables still answer
        answer = site.post(call)
        if answer.status_code >= 500 or "Traceback" in answer.text:
            return f"{where}: {call.label} answered HTTP {answer.status_code}"
    return None


def test_hst401_crafted_values_give_the_page_with_a_notice(site, served_app):
    """Every documented query name of every page, with every crafted value."""
    pages = [(path, names) for path, names in _pages_with_params() if names]
    assert pages, "no page documents a query parameter: nothing was checked"
    problems = [
        problem
        for path, names in pages
        for name in names
        for value in CRAFTED.values()
        if (problem := _check_crafted(site, served_app, path, name, value))
    ]
    assert not problems, "\n".join(problems)


def test_hst402_ten_megabyte_query_string(site):
    """A 10-MB value: handled, and not echoed back whole into the page."""
    checked = 0
    for path, names in _pages_with_params():
        if not names:
            continue
        search = "?" + urlencode({names[0]: "A" * TEN_MB})
        response = site.post(site.navigate_call(path, search))
        assert_handled(response, f"{path} with a 10-MB query")
        assert response.status_code in (200, 400, 413, 414)
        assert len(response.content) < 2**20, f"{path}: the 10-MB value was echoed into the page"
        if response.status_code == 200:
            content = response.json()["response"]["_pages_content"]["children"]
            assert _alerts(content), f"{path}: no notice for a 10-MB value"
        checked += 1
    assert checked, "no page takes a query parameter"


def test_hst403_ten_megabyte_url_over_http(served_app):
    """The same through a real GET: the server answers (any 2xx/4xx) and keeps serving."""
    response = requests.get(f"{served_app}/?x={'A' * TEN_MB}", timeout=120)
    assert_handled(response, "GET with a 10-MB query string")
    assert requests.get(served_app + "/", timeout=60).status_code == 200


@pytest.mark.parametrize(
    "raw_path",
    [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/compare/..%2f..%2f..%2fetc%2fpasswd",
        "/assets/../../../../etc/passwd",
        "/assets/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/_dash-component-suites/dash/../../../../etc/passwd",
        "/_dash-component-suites/..%2f..%2fetc/passwd",
    ],
)
def test_hst404_parent_paths_never_serve_files(site, served_app, raw_path):
    """Traversal in the path itself (sent raw, not normalised by the client)."""
    where = urlsplit(served_app)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=60)
    connection.request("GET", raw_path)
    answer = connection.getresponse()
    body = answer.read().decode("utf-8", errors="replace")
    connection.close()
    assert answer.status < 500, f"{raw_path}: HTTP {answer.status}"
    assert "root:" not in body and "Traceback" not in body
    if answer.status == 200 and "<html" in body.lower():
        # The app shell: Dash's router then shows the 404 page for that location.
        view = site.open_page(raw_path)
        assert "Page not found" in _text(view.content)
