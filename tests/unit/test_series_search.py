"""Series search: every alias in the catalog finds its series first, the words traders type
find the series they mean, and ranking still works for entries without aliases."""

from __future__ import annotations

import importlib
from dataclasses import replace

import pytest

from dashboard.analytics.search import normalise, rank, score
from dashboard.catalog import SERIES, get_info

ALIASES = [(info.id, alias) for info in SERIES for alias in info.aliases]


def _owners(text: str) -> set[str]:
    """Series whose id, short label or an alias is exactly `text`."""
    t = normalise(text)
    return {
        i.id
        for i in SERIES
        if t in {i.id.casefold(), normalise(i.label)} | {normalise(a) for a in i.aliases}
    }


def test_srch000_the_catalog_has_aliases():
    assert len(ALIASES) > 100


@pytest.mark.parametrize(("series_id", "alias"), ALIASES, ids=[f"{s}:{a}" for s, a in ALIASES])
def test_srch001_each_alias_finds_its_series_first(series_id, alias):
    ranked = [i.id for i in rank(alias, SERIES)]
    assert series_id in ranked
    owners = _owners(alias)
    # Unique alias: its series first; shared ("crypto"): one of its owners first, all of
    # them above anything that only contains the words.
    assert ranked[0] in owners
    assert set(ranked[: len(owners)]) == owners


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("10y", "DGS10"),
        ("10Y", "DGS10"),
        ("10-year", "DGS10"),
        ("10 year yield", "DGS10"),
        ("treasury yield", "DGS10"),
        ("Treasury  Yield", "DGS10"),
        ("yield", "DGS10"),
        ("gold", "LBMA_GOLD_PM_USD"),
        ("btc", "BTC-USD"),
        ("BTC", "BTC-USD"),
        ("bitc", "BTC-USD"),
        ("Baa−10Y", "BAA10Y"),
        ("hy oas", "BAMLH0A0HYM2"),
        ("DGS10", "DGS10"),
    ],
)
def test_srch002_what_traders_type(typed, expected):
    assert rank(typed, SERIES)[0].id == expected


def test_srch003_ten_year_no_longer_picks_baa_first():
    ranked = [i.id for i in rank("10-year", SERIES)]
    assert ranked.index("DGS10") < ranked.index("BAA10Y")


def test_srch004_without_aliases_words_in_name_and_label_still_rank():
    bare = [replace(i, aliases=()) for i in SERIES]
    assert rank("10Y", bare)[0].id == "DGS10"  # its short label
    assert rank("gold", bare)[0].id in ("LBMA_GOLD_PM_USD", "GLD")
    assert rank("bitcoin", bare)[0].id == "BTC-USD"
    assert score("treasury", replace(get_info("DGS10"), aliases=())) > 0


def test_srch005_nothing_matches_nothing():
    assert rank("", SERIES) == [] and rank("   ", SERIES) == []
    assert rank("zzqqxx", SERIES) == []


def test_srch006_the_picker_lists_ranked_options_and_clears_back_to_groups(dash_app):
    page = importlib.import_module("dashboard.pages.overview")
    pool = [{"label": "TLT", "value": "TLT"}]
    options = page.search_series("10y", pool)
    assert options[0]["value"] == "DGS10"
    assert all(o["search"].startswith("10y") for o in options)  # the dropdown keeps them
    assert not any(o.get("disabled") for o in options)
    grouped = page.search_series("", pool)
    assert grouped[0]["disabled"] is True  # a category header again
    assert "TLT" not in [o["value"] for o in page.search_series("long bond", pool)]
    values = [o["value"] for o in grouped]
    assert [o["value"] for o in page.search_series(None, pool)] == values


def test_srch007_links_understand_aliases_too():
    from dashboard.analytics.overview import parse_state

    state, notices = parse_state({"overlays": "10y,Gold,btc,treasury yield"}, [])
    assert state.overlays == ("DGS10", "LBMA_GOLD_PM_USD", "BTC-USD") and notices == []
