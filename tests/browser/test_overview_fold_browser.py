"""The Overview at a laptop's 1440×900 in headless Chromium: the chart's plot area is above the
fold with room to read it, and the keyboard reaches the chart in an audited number of Tab
presses (one per radio group), or in one step by the skip link."""

from __future__ import annotations

import pytest

from tests.conftest import requires_series

pytestmark = [pytest.mark.browser, requires_series("WALCL")]

GRAPH = "#overview-graph .js-plotly-plot"
FOLD = 900
MIN_PLOT_VISIBLE = 350
# Where each focusable element sits, named the same way for the model and for real presses:
# a radio by its group (one stop per group), anything else by its id or tag and text.
# (A Dash dropdown's stop is a focus-target box that hands the focus on to the dropdown.)
KEY_JS = """el => el.type === 'radio' ? 'radio:' + el.name
    : el.classList.contains('dash-dropdown-focus-target') ? el.nextElementSibling.id
    : (el.id || el.tagName + ':' + (el.textContent || '').trim().slice(0, 20))"""
# Tab stops before the chart as the DOM says they should be: every focusable control in
# document order that is shown and enabled, with a radio group counted once.
MODEL_JS = f"""() => {{
    const key = {KEY_JS};
    const chart = document.getElementById('overview-chart');
    const stops = [], groups = new Set();
    for (const el of document.querySelectorAll(
            'a[href], button, input, select, textarea, [tabindex]')) {{
        if (el === chart) break;
        if (el.disabled || el.tabIndex < 0 || el.type === 'hidden') continue;
        const style = getComputedStyle(el);
        if (style.display === 'none' || style.visibility === 'hidden') continue;
        if (el.offsetParent === null) continue;
        if (el.type === 'radio') {{
            if (groups.has(el.name)) continue;
            groups.add(el.name);
        }}
        stops.push(key(el));
    }}
    return stops;
}}"""


def _open(page, url):
    page.goto(url)
    page.wait_for_function(
        f"() => {{ const g = document.querySelector('{GRAPH}');"
        " return g && g.data && g.data.some(t => t.meta === 'overview-line'); }"
    )
    page.wait_for_load_state("networkidle")


def _rect(page, selector):
    return page.evaluate(
        f"() => {{ const r = document.querySelector('{selector}').getBoundingClientRect();"
        " return [r.top, r.bottom]; }"
    )


@pytest.fixture
def laptop(browser):
    context = browser.new_context(viewport={"width": 1440, "height": FOLD})
    tab = context.new_page()
    yield tab
    context.close()


def test_fold001_the_plot_is_above_the_fold_at_1440x900(served_app, laptop, browser):
    _open(laptop, served_app + "/")
    plot_top, plot_bottom = _rect(laptop, f"{GRAPH} .xy .nsewdrag")
    visible = min(plot_bottom, FOLD) - plot_top
    assert plot_top < FOLD and visible >= MIN_PLOT_VISIBLE, (plot_top, plot_bottom)
    print(f"1440x900: plot top at {plot_top:.0f} px, {visible:.0f} px of plot visible")
    # the headline cards are still on the page, right after the chart
    cards_top, _ = _rect(laptop, "#overview-cards")
    assert cards_top > plot_bottom
    assert laptop.locator("#overview-cards .overview-card").count() == 6
    # on a phone the cards still come first
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    try:
        _open(phone, served_app + "/")
        assert _rect(phone, "#overview-cards")[0] < _rect(phone, GRAPH)[0]
    finally:
        phone.context.close()


def test_fold002_tab_stops_to_the_chart_and_the_skip_link(served_app, laptop):
    _open(laptop, served_app + "/")
    model = laptop.evaluate(MODEL_JS)
    pressed = []
    for _ in range(80):
        laptop.keyboard.press("Tab")
        # a Dash dropdown hands the focus on from its focus box after an instant; the next
        # press must wait for that, as a person's does
        laptop.wait_for_timeout(80)
        if laptop.evaluate("document.activeElement.id") == "overview-chart":
            break
        pressed.append(laptop.evaluate(f"({KEY_JS})(document.activeElement)"))
    else:
        pytest.fail(f"the chart was not reached in 80 Tab presses: {pressed}")
    # the browser's stops are exactly the modelled ones: nothing hidden in between, and each
    # radio group (range, layout, rebase) is one stop
    assert pressed == model
    radios = [k for k in pressed if k.startswith("radio:")]
    assert len(radios) == 3 and len(set(radios)) == 3
    presses_to_chart = len(pressed) + 1
    assert presses_to_chart <= 40  # 34 today: a control added before the chart shows here
    # the skip link comes right after the navbar and lands on the chart in one step
    skip_at = pressed.index("overview-skip-to-chart") + 1
    assert skip_at <= 12
    laptop.reload()
    _open(laptop, laptop.url)
    for _ in range(skip_at):
        laptop.keyboard.press("Tab")
    assert laptop.evaluate("document.activeElement.id") == "overview-skip-to-chart"
    laptop.keyboard.press("Enter")
    laptop.wait_for_function("document.activeElement.id === 'overview-chart'")
    assert laptop.evaluate(f"document.querySelectorAll('{GRAPH}').length") == 1
    print(f"tab stops to the chart: {presses_to_chart}; by the skip link: {skip_at} + Enter")
