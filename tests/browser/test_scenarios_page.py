"""The Scenarios page in a real browser, on the real data: the history of x_t, the PBE and
impact figures, a preset change that redraws and updates the URL, bad URL values, and the
exports (PNG from the chart camera, CSV of the paths)."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from dashboard.analytics import scenarios as sc
from tests.conftest import SHARED_SERIES, requires_shared

pytestmark = [pytest.mark.browser, requires_shared]

BASELINE = sc.PRESET_LABELS[sc.BILL_ONLY]
QE = sc.PRESET_LABELS[sc.QE]
MEMO = sc.PRESET_LABELS[sc.MEMO_2010]


def traces(page, graph_id: str) -> str:
    return f"""(() => {{
        const g = document.querySelector('#{graph_id} .js-plotly-plot');
        // _fullData: numpy arrays sent as binary are decoded there
        return g && g._fullData ? g._fullData.filter(t => t.meta === 'scenario-path') : [];
    }})()"""


def wait_for_trace(page, graph_id: str, name: str) -> None:
    page.wait_for_function(f"{traces(page, graph_id)}.some(t => t.name === {name!r})",
                           timeout=30_000)


def trace_values(page, graph_id: str, name: str) -> list[float]:
    # numpy arrays arrive as typed arrays: make a plain list of them
    return page.evaluate(f"Array.from({traces(page, graph_id)}.find(t => t.name === {name!r}).y)")


def read(series_id: str) -> pd.Series:
    frame = pd.read_csv(SHARED_SERIES / f"{series_id}.csv", index_col=0, parse_dates=True)
    return pd.to_numeric(frame.iloc[:, 0], errors="coerce").dropna()


def test_scnb001_page_draws_real_history_and_model_without_errors(served_app, page):
    page.goto(served_app + "/scenarios")
    wait_for_trace(page, "scenarios-history", "Longer-term holdings")
    wait_for_trace(page, "scenarios-pbe", QE)
    # The last point of the history, recomputed from the files: (TREAST + WSHOMCB) / GDP of
    # the latest published quarter, with bills not separable (WSHOBL not in the data folder).
    treasuries, mbs, gdp = read("TREAST"), read("WSHOMCB"), read("GDP")
    last = treasuries.index.intersection(mbs.index)[-1]
    expected = (treasuries[last] + mbs[last]) / 1000 / gdp.iloc[-1] * 100
    history = trace_values(page, "scenarios-history", "Longer-term holdings")
    assert history[-1] == pytest.approx(expected, rel=1e-9)
    bands = page.evaluate("""Array.from(document.querySelector('#scenarios-history .js-plotly-plot')
        .layout.shapes || []).map(s => s.name || '')""")
    assert {"episode-QE1", "episode-QECOVID", "episode-QT2"} <= set(bands)  # QE/QT shaded
    notes = page.inner_text("#scenarios-source-notes")
    assert "Bills not separable" in notes and "Agency debt omitted" in notes
    # Calibration: the baseline's PBE today is C = 80 bp and falls to zero at T.
    base = trace_values(page, "scenarios-pbe", BASELINE)
    assert base[0] == pytest.approx(80.0) and base[-1] == pytest.approx(0.0, abs=1e-9)
    assert len(base) == 41
    # The table's impact is baseline minus alternative at t = 0, as drawn.
    qe = trace_values(page, "scenarios-pbe", QE)
    table = page.inner_text("#scenarios-impact-table")
    assert f"{base[0] - qe[0]:+.1f} bp" in table
    assert "to" in table and "C = 30–80 bp" in table
    assert "calibration, not a forecast" in page.inner_text("body")
    page.wait_for_function(f"{traces(page, 'scenarios-context')}.length === 2", timeout=30_000)
    page.wait_for_load_state("networkidle")
    assert page.console_errors == []


def test_scnb002_preset_change_redraws_and_goes_into_the_url(served_app, page):
    page.goto(served_app + "/scenarios")
    wait_for_trace(page, "scenarios-pbe", QE)
    page.click("#scenarios-alt-1")
    page.click(f".dash-dropdown-option:has-text('{MEMO}')")
    wait_for_trace(page, "scenarios-pbe", MEMO)
    wait_for_trace(page, "scenarios-impact", f"{MEMO} (C = 80 bp)")
    names = page.evaluate(f"{traces(page, 'scenarios-pbe')}.map(t => t.name)")
    assert QE not in names
    page.wait_for_function("window.location.search.includes('alt1=memo2010')")
    # C = 30 scales the impact by 30/80
    before = trace_values(page, "scenarios-impact", f"{MEMO} (C = 80 bp)")
    page.fill("#scenarios-calibration", "30")
    page.press("#scenarios-calibration", "Enter")
    wait_for_trace(page, "scenarios-impact", f"{MEMO} (C = 30 bp)")
    after = trace_values(page, "scenarios-impact", f"{MEMO} (C = 30 bp)")
    assert after == pytest.approx([v * 30 / 80 for v in before])
    page.wait_for_function("window.location.search.includes('c=30')")
    page.reload()
    wait_for_trace(page, "scenarios-impact", f"{MEMO} (C = 30 bp)")
    assert page.console_errors == []


def test_scnb003_bad_url_values_fall_back_with_a_notice(served_app, page):
    page.goto(served_app + "/scenarios?beta=7&alt1=helicopter&T=abc&custom=x")
    wait_for_trace(page, "scenarios-pbe", QE)
    notice = page.inner_text("#scenarios-url-notice")
    assert "β '7'" in notice and "helicopter" in notice and "T 'abc'" in notice
    # a custom path that is not numbers: a message, and the page keeps working
    page.click("#scenarios-alt-3")
    page.click(".dash-dropdown-option:has-text('Custom path')")
    page.wait_for_function(
        "document.querySelector('#scenarios-messages').innerText.includes('not a number')",
        timeout=30_000,
    )
    page.fill("#scenarios-custom-points", "25, 20, 10")
    page.press("#scenarios-custom-points", "Enter")
    wait_for_trace(page, "scenarios-pbe", "Custom path")
    assert page.console_errors == []


def test_scnb004_exports_png_and_csv(served_app, page):
    page.goto(served_app + "/scenarios")
    wait_for_trace(page, "scenarios-pbe", QE)
    with page.expect_download(timeout=30_000) as png:
        page.hover("#scenarios-pbe .js-plotly-plot")
        page.click("#scenarios-pbe .modebar-btn[data-title*='png' i]")
    assert png.value.suggested_filename == "scenarios-pbe.png"
    assert open(png.value.path(), "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    with page.expect_download(timeout=30_000) as download:
        page.click("#scenarios-export-csv")
    assert download.value.suggested_filename == "scenario-paths.csv"
    rows = list(csv.DictReader(io.StringIO(open(download.value.path()).read())))
    assert len(rows) == 41
    base = trace_values(page, "scenarios-pbe", BASELINE)
    assert [float(r["bill_only_pbe_bp"]) for r in rows] == pytest.approx(base, abs=1e-5)
    assert float(rows[-1]["qe_holdings_pct_gdp"]) == pytest.approx(4.0)
    assert page.console_errors == []
