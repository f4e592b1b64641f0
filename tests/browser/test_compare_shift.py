"""The Compare page's lead shift in a real browser: a link with `shift=13` draws series A
13 weeks later, the box is reachable by keyboard and writes the URL, "use the peak lag" sets
the lead/lag's peak, and a bad value gives a notice."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import SHARED_SERIES, requires_series

pytestmark = [pytest.mark.browser, requires_series("TLT")]

SHIFT_TRACE = """() => {
    const g = document.querySelector('#compare-shift-graph .js-plotly-plot');
    return g && g.data && g.data.length ? [g.data[0].name, String(g.data[0].x[0])] : null;
}"""


def _wait_trace(page, name: str) -> str:
    """Wait until the shift chart's first trace is `name`; its first x (YYYY-MM-DD)."""
    page.wait_for_function(
        f"(() => {{ const t = ({SHIFT_TRACE})(); return t && t[0] === {name!r}; }})()",
        timeout=30_000,
    )
    return page.evaluate(SHIFT_TRACE)[1][:10]


def _first_aligned_walcl_5y() -> pd.Timestamp:
    """WALCL's first Wednesday in the 5-year range against TLT, from the CSVs with pandas: the
    Wednesdays of the overlap, the last 5 years of them, the first with a WALCL value at most
    7 days old."""

    def read(series_id):
        frame = pd.read_csv(SHARED_SERIES / f"{series_id}.csv", na_values=["."]).dropna()
        return frame.set_index(pd.to_datetime(frame["observation_date"]))[series_id]

    walcl, tlt = read("WALCL"), read("TLT")
    first, last = max(walcl.index[0], tlt.index[0]), min(walcl.index[-1], tlt.index[-1])
    grid = pd.date_range(first, last, freq="W-WED")
    levels = walcl.reindex(grid, method="ffill", tolerance=pd.Timedelta(days=7))
    start = max(grid[0], grid[-1] - pd.DateOffset(years=5))
    return levels[(levels.index >= start) & levels.notna()].index[0]


def test_cmps001_shift_link_keyboard_and_peak_lag(served_app, page):
    page.goto(served_app + "/compare?a=WALCL&b=TLT&range=5Y&shift=13")
    first_x = _wait_trace(page, "Fed balance sheet, shifted +13 wk")
    expected = _first_aligned_walcl_5y() + pd.Timedelta(weeks=13)
    assert first_x == f"{expected:%Y-%m-%d}"
    assert page.input_value("#compare-shift") == "13"
    page.wait_for_function(
        "document.querySelector('#compare-shift-text').innerText.includes('weekly pairs')"
    )
    assert "shift=13" in page.evaluate("location.search")
    # Keyboard: the box has a label, takes a typed value, and Enter applies it.
    assert (
        page.evaluate("document.querySelector('#compare-shift').labels[0].innerText")
        == "Shift A later by (weeks)"
    )
    page.focus("#compare-shift")
    page.fill("#compare-shift", "-8")
    page.keyboard.press("Enter")
    _wait_trace(page, "Fed balance sheet, shifted −8 wk")
    page.wait_for_function("location.search.includes('shift=-8')")
    # "Use the peak lag" sets the box to the lag the lead/lag chart peaks at.
    label = page.inner_text("#compare-shift-peak")
    peak = int(label.split("(")[1].split(" wk")[0].replace("−", "-"))
    page.click("#compare-shift-peak")
    page.wait_for_function(f"document.querySelector('#compare-shift').value === '{peak}'")
    if peak:
        page.wait_for_function(f"location.search.includes('shift={peak}')")
    assert page.console_errors == []
    # A bad value in a link: a notice, the page still works with no shift.
    page.goto(served_app + "/compare?a=WALCL&b=TLT&shift=abc")
    _wait_trace(page, "Fed balance sheet")
    assert "Shift 'abc' is not a number of weeks" in page.inner_text("#compare-notice")
    assert page.console_errors == []
