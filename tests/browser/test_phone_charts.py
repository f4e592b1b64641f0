"""The Compare and Episodes charts on a phone (390×844) in headless Chromium, light and dark,
measured from the drawn DOM: every axis title lies inside its chart (not cut off), the fit /
correlation title and the notes are not under the Plotly toolbar (modebar), and the Episodes
path chart keeps at least 250 px of plot area with its legend below."""

from __future__ import annotations

import json

import pytest

from tests.conftest import requires_series

pytestmark = [pytest.mark.browser, requires_series("TLT", "BTC-USD", "SPY")]

COMPARE_GRAPHS = (
    "compare-rolling-graph",
    "compare-leadlag-graph",
    "compare-spread-graph",
    "compare-scatter-graph",
    "compare-shift-graph",
    "compare-shift-scatter-graph",
)
# The charts titled with their fit, and a piece of that title's text.
FIT_GRAPHS = {"compare-scatter-graph": "R² =", "compare-shift-scatter-graph": "weekly pairs"}
PATHS_GRAPH = "episodes-paths-graph"

# Boxes (left, top, right, bottom) of one chart's parts, from the DOM as drawn.
BOXES = """(id, marker) => {
    const gd = document.querySelector('#' + id + ' .js-plotly-plot');
    const box = el => { const r = el.getBoundingClientRect();
                        return [r.left, r.top, r.right, r.bottom]; };
    const svg = gd.querySelector('svg.main-svg');
    const modebar = gd.querySelector('.modebar');
    const plot = gd.querySelector('.nsewdrag');
    return {
        svg: box(svg),
        axisTitles: Array.from(gd.querySelectorAll('[class^="g-"][class$="title"] text'))
            .filter(t => t.textContent.trim() && !t.closest('.g-gtitle'))
            .map(t => [t.textContent, box(t)]),
        notes: Array.from(gd.querySelectorAll('.annotation-text'))
            .filter(t => t.textContent.trim()).map(t => [t.textContent, box(t)]),
        fit: marker ? Array.from(gd.querySelectorAll('svg text'))
            .filter(t => t.textContent.includes(marker)).map(box) : [],
        modebar: modebar ? box(modebar) : null,
        plot: plot ? box(plot) : null,
        legend: gd.querySelector('.legend') ? box(gd.querySelector('.legend')) : null,
    };
}"""

DRAWN = """(ids) => ids.every(id => {
    const gd = document.querySelector('#' + id + ' .js-plotly-plot');
    return gd && gd._fullData && gd._fullData.length > 0 && gd.querySelector('.nsewdrag');
})"""


@pytest.fixture(params=["light", "dark"])
def phone(browser, request):
    """A phone-sized page in the given theme (set with the navbar switch, as a user does)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    tab = context.new_page()
    tab.console_errors = []
    tab.on("pageerror", lambda e: tab.console_errors.append(str(e)))
    tab.theme = request.param
    yield tab
    context.close()


def _open(page, url: str, graphs: tuple[str, ...]) -> None:
    page.goto(url)
    page.wait_for_function(f"({DRAWN})({list(graphs)!r})", timeout=60_000)
    if page.theme == "dark":
        page.click("#app-navbar-toggler")
        page.wait_for_selector("#app-navbar-collapse.show #app-theme-switch", state="visible")
        page.check("#app-theme-switch")  # clicks, then checks that it took
        page.wait_for_function("document.documentElement.getAttribute('data-bs-theme')==='dark'")
        page.wait_for_function(f"({DRAWN})({list(graphs)!r})", timeout=60_000)
    page.wait_for_load_state("networkidle")


def _inside(inner, outer, slack: float = 1.0) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


COMPARE_URL = "/compare?a=WALCL&b=TLT&range=5Y&shift=13"


def _compare_boxes(page) -> dict:
    """{graph id: its parts' boxes} of every Compare chart, drawn at phone width."""
    return {
        graph: page.evaluate(f"({BOXES})({graph!r}, {json.dumps(FIT_GRAPHS.get(graph))})")
        for graph in COMPARE_GRAPHS
    }


def test_phone001_compare_axis_titles_inside_their_charts(served_app, phone):
    _open(phone, served_app + COMPARE_URL, COMPARE_GRAPHS)
    cut = []
    for graph, boxes in _compare_boxes(phone).items():
        assert boxes["axisTitles"], graph  # every Compare chart names its axes
        cut += [
            (graph, text) for text, box in boxes["axisTitles"] if not _inside(box, boxes["svg"])
        ]
    assert cut == [], f"axis titles cut at 390 px ({phone.theme}): {cut}"
    assert phone.console_errors == []


def test_phone002_compare_fit_title_and_notes_clear_of_modebar(served_app, phone):
    """The fit title (R², r) is on the chart, above the plot, not under the modebar; nor is
    any other text on a Compare chart (band labels, notes, the peak label)."""
    _open(phone, served_app + COMPARE_URL, COMPARE_GRAPHS)
    hidden = []
    for graph, boxes in _compare_boxes(phone).items():
        under = [text for text, box in boxes["notes"] if _overlap(box, boxes["modebar"])]
        hidden += [(graph, text) for text in under]
        if graph not in FIT_GRAPHS:
            continue
        assert len(boxes["fit"]) == 1 and boxes["modebar"], graph
        fit = boxes["fit"][0]
        if (
            _overlap(fit, boxes["modebar"])
            or _overlap(fit, boxes["plot"])
            or not _inside(fit, boxes["svg"])
        ):
            hidden.append((graph, fit, boxes["modebar"], boxes["plot"]))
    assert hidden == [], f"text under the modebar, on the plot or cut ({phone.theme}): {hidden}"
    assert phone.console_errors == []


def test_phone004_desktop_compare_axis_titles_inside_their_charts(served_app, page):
    """At 1440 px too: the lead-shift chart's y titles (name and units) ran past its height."""
    page.set_viewport_size({"width": 1440, "height": 900})
    page.theme = "light"
    _open(page, served_app + COMPARE_URL, COMPARE_GRAPHS)
    cut = [
        (graph, text)
        for graph, boxes in _compare_boxes(page).items()
        for text, box in boxes["axisTitles"]
        if not _inside(box, boxes["svg"])
    ]
    assert cut == [], f"axis titles cut at 1440 px: {cut}"


def test_phone003_episodes_paths_keep_250px_of_plot_legend_below(served_app, phone):
    _open(phone, served_app + "/episodes?asset=SPY", (PATHS_GRAPH,))
    boxes = phone.evaluate(f"({BOXES})({PATHS_GRAPH!r}, null)")
    plot, legend = boxes["plot"], boxes["legend"]
    assert plot[3] - plot[1] >= 250, f"plot area {plot[3] - plot[1]:.0f} px tall ({phone.theme})"
    assert plot[2] - plot[0] >= 250, f"plot area {plot[2] - plot[0]:.0f} px wide ({phone.theme})"
    assert legend[1] >= plot[3], "the legend sits below the plot"
    assert [t for t, box in boxes["axisTitles"] if not _inside(box, boxes["svg"])] == []
    assert phone.console_errors == []
