"""Phone width and accessibility in headless Chromium: the navbar folds behind a toggler,
the Overview chart takes its phone layout under 768 px, every control has an accessible
name, and a radio group is one tab stop."""

from __future__ import annotations

import pytest

from tests.conftest import PAGE_KINDS, open_drawn, requires_shared

pytestmark = [pytest.mark.browser, requires_shared]

GRAPH = "#overview-graph .js-plotly-plot"


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    tab = context.new_page()
    tab.console_errors = []
    tab.on("pageerror", lambda e: tab.console_errors.append(str(e)))
    yield tab
    context.close()


def _wait_chart(page):
    page.wait_for_function(
        f"() => {{ const gd = document.querySelector('{GRAPH}');"
        " return gd && gd._fullData && gd._fullData.some(t => t.meta === 'overview-line'); }"
    )
    page.wait_for_load_state("networkidle")


def test_a11y001_phone_navbar_folds_and_opens(served_app, phone):
    phone.goto(served_app + "/")
    _wait_chart(phone)
    navbar = phone.locator("#app-navbar").bounding_box()
    assert navbar["height"] < 80  # was 256 of 844 px with every link shown
    assert not phone.is_visible("#app-navbar-collapse .nav-link >> text=Compare")
    phone.click("#app-navbar-toggler")
    phone.wait_for_selector("#app-navbar-collapse .nav-link >> text=Compare", state="visible")
    phone.click("#app-navbar-collapse .nav-link >> text=Compare")
    # the path, not the URL: the Compare page adds its query (?a=…&b=…) as soon as it opens
    phone.wait_for_function("() => location.pathname === '/compare'")
    phone.wait_for_selector("#app-navbar-collapse .nav-link >> text=Compare", state="hidden")
    assert phone.console_errors == []


def test_a11y002_phone_chart_is_stacked_legend_below_no_band_labels(served_app, phone):
    phone.goto(served_app + "/")
    _wait_chart(phone)
    layout = phone.evaluate(f"document.querySelector('{GRAPH}').layout")
    assert layout["hoversubplots"] == "axis" and "yaxis5" in layout  # one panel per overlay
    assert layout["legend"]["yanchor"] == "bottom" and layout["legend"]["y"] == 0
    names = [a.get("name", "") for a in layout.get("annotations", [])]
    assert not [n for n in names if n.startswith("episode-label-")]
    assert "episode-key" in names  # the colour key stays
    # The URL still says the user's layout: the phone view is a rendering, not a setting.
    assert "mode=stacked" not in phone.evaluate("location.search")
    assert phone.console_errors == []


@pytest.mark.parametrize("path", PAGE_KINDS)
def test_a11y003_every_control_has_an_accessible_name(served_app, page, path):
    open_drawn(page, served_app, path)
    nameless = page.evaluate(
        """() => Array.from(document.querySelectorAll(
                'input:not([type=hidden]), button, select, [role=button]'))
            .filter(el => el.offsetParent !== null && !el.closest('[aria-hidden=true]'))
            .filter(el => {
                const label = el.getAttribute('aria-label') || el.getAttribute('title')
                    || (el.labels && el.labels.length && el.labels[0].innerText.trim())
                    || el.innerText.trim() || el.getAttribute('aria-labelledby');
                return !label;
            })
            .map(el => el.outerHTML.slice(0, 120))"""
    )
    assert nameless == [], path
    switch = page.locator("#app-theme-switch")
    assert page.evaluate("el => el.labels[0].innerText", switch.element_handle()) == "Dark theme"


def test_a11y004_a_radio_group_is_one_tab_stop(served_app, page):
    page.goto(served_app + "/")
    _wait_chart(page)
    names = page.eval_on_selector_all(
        "#overview-range input[type=radio]", "els => els.map(e => e.name)"
    )
    assert len(names) == 6 and len(set(names)) == 1 and names[0]
    page.focus("#_dbcprivate_radioitems_overview-range_input_MAX")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.id")
    assert not focused.startswith("_dbcprivate_radioitems_overview-range")


def test_a11y005_placeholder_until_the_first_draw_and_an_export_indicator(served_app, browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page = context.new_page()
    try:
        # Hold plotly.js back: the chart area says it is loading, not blank.
        held = []
        page.route("**/plotly.min.js", lambda route: held.append(route))
        page.goto(served_app + "/?overlays=TLT")
        page.wait_for_selector("#overview-graph-placeholder", state="visible")
        assert "Loading the chart" in page.inner_text("#overview-graph-placeholder")
        while not held:
            page.wait_for_timeout(100)
        held[0].continue_()
        _wait_chart(page)
        page.wait_for_selector("#overview-graph-placeholder", state="hidden")
        # Export: an indicator at once, then the result.
        page.click("#overview-export-menu .dropdown-toggle")
        with page.expect_download(timeout=60_000):
            page.click("#overview-export-png")
            page.wait_for_selector("#overview-export-status:has-text('Preparing the PNG file')")
        page.wait_for_selector("#overview-export-status:has-text('Exported')")
    finally:
        context.close()
