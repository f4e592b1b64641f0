"""A deep dive and both playbooks in a real browser: every part renders with real data, the
chart follows the dark theme, the page fits a 390 px phone, sorting works, no console errors."""

from __future__ import annotations

import csv

import pytest

from dashboard.catalog import SERIES
from tests.conftest import requires_shared

pytestmark = [pytest.mark.browser, requires_shared]

PAPER = """(sel) => {
    const g = document.querySelector(sel + ' .js-plotly-plot');
    return g && g._fullLayout ? g._fullLayout.paper_bgcolor : null;
}"""
# The page never scrolls sideways on a phone (wide tables scroll inside their own box).
FITS = """(sel) => {
    const e = document.querySelector(sel);
    return document.documentElement.scrollWidth <= 391 && e.getBoundingClientRect().right <= 391;
}"""


def _dark_phone(served_app, page) -> None:
    """Switch to the dark theme (persisted by the app), then shrink to a phone."""
    page.goto(served_app + "/data")
    page.wait_for_selector("#app-theme-switch")
    page.click("#app-theme-switch")
    page.wait_for_function("document.documentElement.getAttribute('data-bs-theme') === 'dark'")
    page.set_viewport_size({"width": 390, "height": 844})


def _wait_dark_chart(page, graph: str) -> None:
    page.wait_for_function(
        f"(({PAPER})({graph!r}) || '').toLowerCase() === '#212529'", timeout=30_000
    )


def test_apb001_deep_dive_renders_dark_on_a_phone(served_app, page):
    _dark_phone(served_app, page)
    page.goto(served_app + "/asset/TLT")
    page.wait_for_selector("#asset-episodes-qe")
    _wait_dark_chart(page, "#asset-graph")
    assert page.evaluate("document.documentElement.getAttribute('data-bs-theme')") == "dark"
    assert "iShares 20+ Year Treasury Bond ETF" in page.inner_text("#asset-header")
    qe = page.locator("#asset-episodes-qe tbody tr")
    assert qe.count() == 4 + 2  # QE1, QE2, QE3, COVID QE, then median and hit rate
    assert "QE3" in page.inner_text("#asset-episodes-qe")
    assert page.locator("#asset-claims .badge").count() == 2
    trigger_links = page.locator("#asset-triggers a[href^='/triggers?open=']")
    assert trigger_links.count() >= 1
    names = page.evaluate(
        "document.querySelector('#asset-graph .js-plotly-plot').data.map(t => t.name)"
    )
    assert any("TLT" in (n or "") for n in names)
    assert page.evaluate(FITS, "#asset-page")
    page.wait_for_load_state("networkidle")
    assert page.console_errors == []


def test_apb002_unknown_deep_dive_says_so(served_app, page):
    page.goto(served_app + "/asset/NOPE")
    page.wait_for_selector("#asset-notice")
    assert "Unknown series 'NOPE'" in page.inner_text("#asset-notice")
    assert page.console_errors == []


@pytest.mark.parametrize("kind", ["qe", "qt"])
def test_apb003_playbook_renders_dark_on_a_phone_and_sorts(served_app, page, kind):
    _dark_phone(served_app, page)
    page.goto(served_app + f"/playbook/{kind}")
    page.wait_for_selector("#playbook-impact-table .dash-spreadsheet")
    _wait_dark_chart(page, "#playbook-graph")
    rows = page.locator("#playbook-impact-table tr:has(td)")
    assert rows.count() == len(SERIES)
    assert page.locator("#playbook-watch-table a[href^='/triggers?open=']").count() >= 5
    assert page.locator("#playbook-phase").is_visible()
    # sort by the +12-month median, descending: the first row's value is the largest
    header = page.locator(
        "#playbook-impact-table th[data-dash-column='after'] .column-header--sort"
    )
    header.click()
    header.click()
    column = page.locator("#playbook-impact-table td[data-dash-column='after']")
    values = [float(v) for v in column.all_inner_texts() if v.strip()]
    assert values and values[0] == max(values)
    # the table exports as CSV, one line per asset under the shown headers
    with page.expect_download() as download:
        page.click("#playbook-impact-table .export")
    rows = list(csv.reader(open(download.value.path(), encoding="utf-8-sig", newline="")))
    assert rows[0][:4] == ["Asset", "Class", "Median, start → end", "Median, +12 months"]
    assert len(rows) == 1 + len(SERIES)
    assert any(row[0] == "[SPY](/asset/SPY)" for row in rows[1:])
    # an asset links to its deep dive
    link = page.locator("#playbook-impact-table a[href='/asset/SPY']")
    assert link.count() == 1
    assert page.evaluate(FITS, "#playbook-page")
    page.wait_for_load_state("networkidle")
    assert page.console_errors == []
    link.click()
    page.wait_for_selector("#asset-episodes-qt")
    assert page.console_errors == []
