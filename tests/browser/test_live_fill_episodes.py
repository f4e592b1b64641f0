"""The Episodes page on a first visit with a cold cache, online against the fake server: it
says what it is fetching and fills the TLT column of the event study in when TLT's (held
back) answer arrives, without a reload, then stops polling."""

from __future__ import annotations

import time

import pytest

from tests.browser.test_live_fill import live_app  # noqa: F401  (the served app and fake)
from tests.conftest import requires_shared

pytestmark = [pytest.mark.browser, requires_shared]

STATUS_TEXT = "((document.querySelector('#episodes-live-status') || {}).innerText || '')"
FRESHNESS_TEXT = "((document.querySelector('#episodes-freshness') || {}).innerText || '')"
TLT_CELLS = "document.querySelectorAll('#episodes-event-table-12m td[data-asset=\"TLT\"]').length"


def test_lvb101_episodes_fill_in_without_a_reload(live_app, page):  # noqa: F811
    url, fake, _store = live_app
    updates: list[float] = []
    page.on(
        "request",
        lambda r: updates.append(time.monotonic()) if "_dash-update-component" in r.url else None,
    )
    page.goto(url + "/episodes")
    page.wait_for_function(f"() => {FRESHNESS_TEXT}.includes('TLT: no data')", timeout=30000)
    assert page.evaluate(TLT_CELLS) == 0  # every TLT cell is n/a for now
    page.evaluate("() => { window.__notReloaded = true; }")
    page.wait_for_function(
        f"() => /Fetching \\d+ of \\d+: .*TLT/.test({STATUS_TEXT})", timeout=30000
    )
    # TLT lands: its column of the event study fills in by itself.
    page.wait_for_function(f"() => {TLT_CELLS} > 0", timeout=120000)
    assert page.evaluate("() => window.__notReloaded === true"), "the page was reloaded"
    assert any(r.series == "TLT" and r.fault == "slow" for r in fake.requests_for("yahoo"))
    page.wait_for_function(f"() => {FRESHNESS_TEXT}.includes('TLT: as of')", timeout=10000)
    # The tab the user had open stays open, and the path chart is drawn.
    assert (
        page.evaluate("document.querySelector('#episodes-event-tabs .nav-link.active').innerText")
        == "+12 months"
    )
    page.wait_for_selector("#episodes-paths-graph .js-plotly-plot")
    page.wait_for_function(f"() => !{STATUS_TEXT}.includes('Fetching')", timeout=30000)
    # Nothing is pending any more: polling has stopped.
    time.sleep(1.5)
    settled = len(updates)
    time.sleep(3.0)
    assert len(updates) == settled, "the page kept polling after everything landed"
    assert page.console_errors == []
