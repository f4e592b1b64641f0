"""The Compare page with only the bundled Federal Reserve snapshot (a fresh clone, offline):
series that are missing show "no data" and a notice, never a traceback."""

from __future__ import annotations

import importlib


def test_cmo001_missing_series_render_as_no_data(dash_app, bundled_only):
    page = importlib.import_module("dashboard.pages.compare")
    summary, correlations, rolling, why, freshness = page.update_pair("WALCL", "TLT", "light")
    assert "no data" in str(summary)
    assert "n/a" in str(correlations)
    assert rolling.layout.annotations[0].text.startswith("Too few")
    assert "unavailable" in str(freshness)
    lead, sentence, spread, scatter = page.update_range_views("WALCL", "TLT", "5Y", "light")
    assert sentence == "No overlapping weeks."
    assert "do not overlap" in scatter.layout.annotations[0].text
    # Two bundled series still compare.
    summary, correlations, *_ = page.update_pair("WALCL", "WRESBAL", "dark")
    assert "no data" not in str(summary) and "Full" in str(correlations)
