"""The Compare page in a real browser: it renders, its URL reproduces the pair, and changing
the pair (picker, quick link, swap) redraws the charts."""

from __future__ import annotations

import re

import pytest

from tests.conftest import requires_series

pytestmark = [pytest.mark.browser, requires_series("TLT", "BTC-USD")]

ROLLING_NAME = """() => {
    const g = document.querySelector('#compare-rolling-graph .js-plotly-plot');
    return g && g.data && g.data.length ? g.data[0].name : null;
}"""


def _wait_rolling(page, name: str) -> None:
    page.wait_for_function(f"({ROLLING_NAME})() === {name!r}", timeout=20_000)


def _summary_heads(page) -> list[str]:
    return [t.strip() for t in page.locator("#compare-summary thead th").all_inner_texts()]


def test_cmpb001_default_pair_renders_without_console_errors(served_app, page):
    page.goto(served_app + "/compare")
    _wait_rolling(page, "Fed balance sheet vs TLT")
    page.wait_for_selector("#compare-scatter-graph .js-plotly-plot")
    heads = _summary_heads(page)
    assert heads[1].startswith("Fed balance sheet") and heads[2].startswith("TLT")
    assert "Latest" in page.inner_text("#compare-summary")
    assert "Full" in page.inner_text("#compare-correlations")
    # Lead/lag comes from the range callback, which may finish after the pair callback.
    page.wait_for_function(
        "document.querySelector('#compare-leadlag-text').innerText.includes('Range:')",
        timeout=20_000,
    )
    assert re.search(
        r"^(No reliable lead or lag:|Weak evidence of a lead:|.+ leads .+|Neither leads)",
        page.inner_text("#compare-leadlag-text"),
    )
    assert "as of" in page.inner_text("#compare-freshness")
    page.wait_for_load_state("networkidle")
    assert page.console_errors == []


def test_cmpb002_url_reproduces_the_pair(served_app, page):
    page.goto(served_app + "/compare?a=NETLIQ&b=BTC-USD&range=3Y")
    _wait_rolling(page, "Net liquidity vs Bitcoin")
    assert "(NETLIQ)" in page.inner_text("#compare-series-a")
    assert "(BTC-USD)" in page.inner_text("#compare-series-b")
    assert page.is_checked("#compare-range input[value='3Y']")
    assert "Net liquidity and Bitcoin" in page.inner_text("#compare-why")
    assert page.console_errors == []


def test_cmpb003_picking_a_series_redraws_and_updates_the_url(served_app, page):
    page.goto(served_app + "/compare")
    _wait_rolling(page, "Fed balance sheet vs TLT")
    page.click("#compare-series-b")
    page.keyboard.type("SPDR S&P 500")
    page.click(".dash-dropdown-option:has-text('SPDR S&P 500 ETF (SPY)')")
    _wait_rolling(page, "Fed balance sheet vs SPY")
    assert _summary_heads(page)[2].startswith("SPY")
    page.wait_for_function("window.location.search.includes('b=SPY')")
    # The scatter comes from a second callback: wait for it rather than race it.
    page.wait_for_function(
        """() => {
            const g = document.querySelector('#compare-scatter-graph .js-plotly-plot');
            return g && g.layout.yaxis.title.text === 'SPY: weekly change (log %)';
        }""",
        timeout=20_000,
    )
    # The address bar now reproduces the view.
    page.reload()
    _wait_rolling(page, "Fed balance sheet vs SPY")
    assert page.console_errors == []


def test_cmpb004_quick_link_and_swap(served_app, page):
    page.goto(served_app + "/compare")
    _wait_rolling(page, "Fed balance sheet vs TLT")
    page.click("#compare-quick-links >> text=Fed balance sheet vs HY OAS")
    _wait_rolling(page, "Fed balance sheet vs HY OAS")
    assert "/compare?a=WALCL&b=BAMLH0A0HYM2" in page.url
    page.click("#compare-swap")
    _wait_rolling(page, "HY OAS vs Fed balance sheet")
    assert _summary_heads(page)[1].startswith("HY OAS")
    assert "bp" in page.inner_text("#compare-summary")  # spread changes in basis points
    assert page.console_errors == []


def test_cmpb005_unknown_series_falls_back_with_a_notice(served_app, page):
    page.goto(served_app + "/compare?a=NOT_A_SERIES&b=TLT&range=zzz")
    _wait_rolling(page, "Fed balance sheet vs TLT")
    notice = page.inner_text("#compare-notice")
    assert "Unknown series 'NOT_A_SERIES'" in notice and "Unknown range 'zzz'" in notice
    assert page.console_errors == []
