"""The Overview's optional markers and "What moved it" in headless Chromium against the app
serving the data folder: the FOMC switch draws the meetings of the window (unscheduled ones
apart) and writes `fomc=1`; the net-liquidity card opens the weekly contribution bars."""

from __future__ import annotations

import pytest

from tests.conftest import requires_shared

pytestmark = [pytest.mark.browser, requires_shared]

GRAPH = "#overview-graph .js-plotly-plot"
CONTRIBUTIONS = "#overview-netliq-contributions .js-plotly-plot"


def _open(page, url):
    page.goto(url)
    page.wait_for_function(
        f"""() => {{ const gd = document.querySelector('{GRAPH}');
                     return gd && gd._fullData && gd._fullData.some(
                         t => t.meta === 'overview-line'); }}"""
    )
    page.wait_for_load_state("networkidle")


def test_ovw108_fomc_switch_marks_the_meetings_of_the_window(served_app, page):
    _open(page, served_app + "/?overlays=TLT&from=2020-01-01&to=2020-06-30")
    ticks_js = f"""() => (document.querySelector('{GRAPH}').data || [])
        .filter(t => t.meta === 'fomc-marker').map(t => [t.name, t.x])"""
    assert page.evaluate(ticks_js) == []
    page.click("#overview-fomc")
    page.wait_for_function(f"({ticks_js})().length === 2")
    assert sorted(page.evaluate(ticks_js)) == [
        ["FOMC (unscheduled)", ["2020-03-03", "2020-03-15"]],
        ["FOMC meeting", ["2020-01-29", "2020-04-29", "2020-06-10"]],
    ]
    lines = page.evaluate(
        f"""() => document.querySelector('{GRAPH}').layout.shapes
            .filter(s => (s.name || '').startsWith('fomc-')).length"""
    )
    assert lines == 5
    page.wait_for_function("location.search.includes('fomc=1')")
    # the freshness line names the next release, always as expected, linked to the Fed
    freshness = page.inner_text("#overview-freshness")
    assert "Next H.4.1 (expected):" in freshness and "4:30 p.m. ET" in freshness
    assert page.console_errors == []


def test_ovw109_what_moved_it_opens_three_contribution_bars(served_app, page):
    _open(page, served_app + "/")
    assert not page.is_visible(CONTRIBUTIONS)
    page.click("#overview-what-moved")
    page.wait_for_function(
        f"""() => {{ const gd = document.querySelector('{CONTRIBUTIONS}');
                     return gd && gd._fullData && gd._fullData.filter(
                         t => t.type === 'bar').length === 3; }}"""
    )
    bars = page.evaluate(
        f"""() => document.querySelector('{CONTRIBUTIONS}')._fullData
            .filter(t => t.type === 'bar')
            .map(t => [t.name, t.x.length, t.x[t.x.length - 1]])"""
    )
    # WTREGEN is served from the newer bundled snapshot: its last week is the latest NETLIQ
    assert [(n, k) for n, k, _ in bars] == [
        ("Fed assets (ΔWALCL)", 26),
        ("TGA (−ΔTGA)", 26),
        ("Reverse repo (−ΔRRP)", 26),
    ]
    assert {last for *_, last in bars} == {"2026-08-19"}
    card = page.inner_text("[id*='overview-card'][id*='NETLIQ']")
    assert "WALCL − TGA − RRP" in card
    title = page.evaluate(
        f"document.querySelector('{CONTRIBUTIONS}')._fullLayout.yaxis.title.text"
    )
    assert title == "$ bn, weekly change"
    assert page.console_errors == []
