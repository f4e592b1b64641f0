"""A window that crosses the phone width after the page opened (a phone turned, a desktop
window narrowed) gets the charts' phone layout, and back, without a reload: measured in
headless Chromium from the drawn DOM (the legend moves under the plot on a phone)."""

from __future__ import annotations

import pytest

from tests.conftest import requires_series

pytestmark = [pytest.mark.browser, requires_series("SPY")]

# Whether the chart in #id is drawn, and if so whether its legend lies under its plot area.
LEGEND_BELOW = """(id) => {
    const gd = document.querySelector('#' + id + ' .js-plotly-plot');
    const plot = gd && gd.querySelector('.nsewdrag');
    const legend = gd && gd.querySelector('.legend');
    if (!plot || !legend) return null;
    return legend.getBoundingClientRect().top >= plot.getBoundingClientRect().bottom;
}"""


def _legend_below(page, graph: str, expected: bool) -> None:
    page.wait_for_function(
        f"() => ({LEGEND_BELOW})('{graph}') === {str(expected).lower()}", timeout=30000
    )


@pytest.mark.parametrize(
    "path, graph",
    [("/episodes?asset=SPY", "episodes-paths-graph"), ("/", "overview-graph")],
)
def test_vpr001_narrowing_and_widening_the_window_redraws_for_the_width(
    served_app, page, path, graph
):
    page.goto(served_app + path)
    _legend_below(page, graph, False)  # 1400 px: the desktop layout
    page.evaluate("() => { window.__notReloaded = true; }")

    page.set_viewport_size({"width": 390, "height": 844})
    _legend_below(page, graph, True)

    page.set_viewport_size({"width": 1400, "height": 1000})
    _legend_below(page, graph, False)
    assert page.evaluate("() => window.__notReloaded === true"), "the page was reloaded"
    assert page.console_errors == []


def test_vpr002_a_resize_within_one_layout_does_not_redraw(served_app, page):
    updates: list[str] = []
    page.goto(served_app + "/episodes?asset=SPY")
    _legend_below(page, "episodes-paths-graph", False)
    page.wait_for_load_state("networkidle")
    page.on("request", lambda r: updates.append(r.url) if "_dash-update" in r.url else None)
    for width in (1300, 1200, 1000, 900):  # all wider than a phone
        page.set_viewport_size({"width": width, "height": 1000})
        page.wait_for_timeout(300)
    page.wait_for_timeout(500)
    assert updates == [], f"{len(updates)} callbacks for resizes that stay desktop"


def test_vpr003_a_page_without_phone_charts_is_left_alone(served_app, page):
    # The listener stays with the tab after the Episodes page is left: the next page has no
    # viewport store, and crossing the phone width there must not raise.
    page.goto(served_app + "/episodes?asset=SPY")
    _legend_below(page, "episodes-paths-graph", False)
    page.click("a.nav-link[href='/data']")
    page.wait_for_url("**/data")
    page.wait_for_timeout(1000)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(1500)
    assert page.console_errors == []
