"""The Triggers page in a real browser: one gauge per trigger, values as the API gives them,
a history chart on click, the theme followed, no console errors."""

from __future__ import annotations

import pytest
import requests

from dashboard.analytics import triggers as engine

pytestmark = [pytest.mark.browser]


def open_page(page, url: str):
    page.goto(url)
    page.wait_for_selector(".triggers-card")
    # Gauges are drawn once the theme callback has run.
    page.wait_for_selector(".triggers-gauge .main-svg")
    page.wait_for_load_state("networkidle")


def test_trgbr001_one_gauge_per_trigger_and_a_history_on_click(served_app, page):
    open_page(page, served_app + "/triggers")
    count = len(engine.load_triggers())
    assert page.locator(".triggers-card").count() == count
    page.wait_for_function(
        f"document.querySelectorAll('.triggers-gauge .indicatorlayer').length === {count}"
    )
    # Cards show the API's readings, in the API's order.
    readings = requests.get(served_app + "/api/triggers", timeout=30).json()
    titles = page.locator(".triggers-card-title").all_inner_texts()
    assert titles == [r["name"] for r in readings]
    values = page.locator(".triggers-value").all_inner_texts()
    expected = [
        engine.format_value(r["value"], r["units"], signed=r["lookback_weeks"] is not None)
        for r in readings
    ]
    assert values == expected
    # Click the first gauge: its history opens with the threshold line and fired strip.
    page.locator(".triggers-gauge-area").first.click()
    page.wait_for_selector("#triggers-history-modal .modal-title")
    assert page.inner_text("#triggers-history-title") == readings[0]["name"]
    page.wait_for_selector("#triggers-history-graph .main-svg .scatterlayer .trace")
    page.wait_for_function(
        "document.querySelectorAll('#triggers-history-graph .shapelayer path').length > 0"
    )
    assert "threshold" in page.inner_text("#triggers-history-graph")
    page.click("#triggers-history-close")
    page.wait_for_selector("#triggers-history-modal", state="hidden")
    assert page.console_errors == []


def test_trgbr002_history_button_link_and_dark_theme(served_app, page):
    open_page(page, served_app + "/triggers?open=hy_spread_stress")
    page.wait_for_selector("#triggers-history-modal .modal-title")
    page.wait_for_function(
        "document.querySelector('#triggers-history-title')?.innerText === "
        "'HY spread at stress level'"
    )
    page.click("#triggers-history-close")
    page.wait_for_selector("#triggers-history-modal", state="hidden")
    # A card's History button opens that card's trigger.
    last_card = page.locator(".triggers-card").last
    name = last_card.locator(".triggers-card-title").inner_text()
    last_card.get_by_role("button", name="History", exact=True).click()
    page.wait_for_function(
        f"document.querySelector('#triggers-history-title')?.innerText === {name!r}"
    )
    page.click("#triggers-history-close")
    page.wait_for_selector("#triggers-history-modal", state="hidden")
    # Dark theme: the gauges' tick labels turn light.
    light_fill = page.eval_on_selector(".triggers-gauge .angularaxis text", "e => e.style.fill")
    page.click("#app-theme-switch")
    page.wait_for_function(
        "(before) => document.querySelector('.triggers-gauge .angularaxis text')"
        ".style.fill !== before",
        arg=light_fill,
    )
    assert page.console_errors == []


def test_trgbr003_unknown_trigger_in_the_link_gets_a_notice(served_app, page):
    open_page(page, served_app + "/triggers?open=bogus")
    page.wait_for_selector("text=There is no trigger 'bogus'")
    assert (
        page.locator("#triggers-history-modal").count() == 0
        or not page.locator("#triggers-history-modal").is_visible()
    )
    assert page.console_errors == []
