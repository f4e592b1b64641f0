"""The Episodes page with only the bundled Federal Reserve snapshot (a fresh clone, offline):
every market cell is n/a with its reason, the chart says why it is empty."""

from __future__ import annotations

import importlib


def test_evo001_page_renders_with_market_data_missing(dash_app, bundled_only):
    page = importlib.import_module("dashboard.pages.episodes")
    text = str(page.layout())
    assert "no S&P 500 (SPY) data" in text  # the reason behind an n/a cell
    assert "no data" in text  # claims verdicts
    assert "$" in text  # WALCL is bundled, so the episodes table still has dollars
    fig = page.update_paths("SPY", "light")
    assert "No S&P 500 (SPY) data" in fig.layout.annotations[0].text
