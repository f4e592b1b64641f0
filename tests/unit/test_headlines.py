"""Headlines that claim no more than the data: the Compare lead/lag verdict, trigger spell
counts from the date their threshold means something, a projected date already passed, and
price-only columns in the event study. Expected wording is derived here from the data."""

from __future__ import annotations

import importlib
import math
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics import compare as stats
from dashboard.analytics import triggers as engine
from dashboard.catalog import get_info
from tests.conftest import SHARED_SERIES, requires_shared


def _csv(series_id: str) -> pd.Series:
    frame = pd.read_csv(SHARED_SERIES / f"{series_id}.csv", na_values=["."])
    return pd.Series(
        frame[series_id].to_numpy(dtype="float64"),
        index=pd.DatetimeIndex(pd.to_datetime(frame["observation_date"])),
    ).dropna()


def _expected_verdict(result: stats.LeadLag) -> str:
    """The rule, restated: inside the band, or no more lags across it than chance (5 % of
    the lags tested, rounded up) with a peak under the Bonferroni band, is no reliable lead."""
    table = result.table.dropna(subset=["r"])
    crossings = int((table["r"].abs() > table["band"]).sum())
    chance = 0.05 * len(table)
    bonferroni = 3.30 / math.sqrt(result.peak_n)
    inside = abs(result.peak_r) <= 1.96 / math.sqrt(result.peak_n)
    if inside or (crossings <= math.ceil(chance) and abs(result.peak_r) <= bonferroni):
        return "No reliable lead or lag:"
    if crossings <= 2 * chance and abs(result.peak_r) <= bonferroni:
        return "Weak evidence of a lead:"
    return ""


# ---- Compare -----------------------------------------------------------------------------
def test_hdl001_a_peak_among_chance_crossings_is_no_reliable_lead():
    rng = np.random.default_rng(7)
    index = pd.date_range("2015-01-07", periods=400, freq="7D")
    noise = pd.DataFrame({"a": rng.normal(size=400), "b": rng.normal(size=400)}, index=index)
    result = stats.cross_correlation(noise)
    sentence = stats.lead_lag_sentence(result, "A", "B")
    assert sentence.startswith(_expected_verdict(result) or "A leads")
    assert sentence.startswith("No reliable lead or lag:")  # independent noise
    # The same noise with B copying A four weeks later: a real, strong lead.
    follows = noise.assign(b=noise["a"].shift(4) + 0.3 * noise["b"])
    lead = stats.cross_correlation(follows)
    assert stats.lead_lag_sentence(lead, "A", "B").startswith("A leads B by 4 weeks")


@requires_shared
@pytest.mark.parametrize(
    ("a", "b", "range_key"),
    [("NETLIQ", "BTC-USD", "5Y"), ("NETLIQ", "BTC-USD", "MAX"), ("WALCL", "BAMLH0A0HYM2", "MAX")],
)
def test_hdl002_compare_sentence_starts_with_the_verdict_the_data_gives(
    dash_app, snapshot_store, a, b, range_key
):
    page = importlib.import_module("dashboard.pages.compare")
    sentence = page.update_range_views(a, b, range_key, "light")[1]
    da, db = snapshot_store.get(a), snapshot_store.get(b)
    changes = stats.pair_weekly_changes(
        da.values, da.info.change_kind, da.info.units, db.values, db.info.change_kind, db.info.units
    )
    start = stats.range_start(changes.index[-1], range_key, changes.index[0])
    result = stats.cross_correlation(changes[changes.index >= start])
    verdict = _expected_verdict(result)
    if verdict:
        assert sentence.startswith(verdict)
    else:
        assert " leads " in sentence.split("(")[0] or sentence.startswith("Neither leads")
    crossings = int((result.table["r"].abs() > result.table["band"]).sum())
    assert f"{crossings} of {int(result.table['r'].notna().sum())} lags" in sentence


# ---- Triggers ------------------------------------------------------------------------------
@requires_shared
@pytest.mark.parametrize(
    ("trigger_id", "series_id", "level"),
    [("reserves_below_3t", "WRESBAL", 3_000_000.0), ("rrp_drained", "RRPONTSYD", 500.0)],
)
def test_hdl003_counts_start_when_the_threshold_means_something(
    snapshot_store, trigger_id, series_id, level
):
    """Reserves: from the first week above $3T (before it, the whole system was below);
    reverse repo: from the first day it held $500bn (before it, "drained" was its normal)."""
    trigger = next(t for t in engine.load_triggers() if t.id == trigger_id)
    values = _csv(series_id)
    assert trigger.counts_from == values[values >= level].index[0].date()
    reading = engine.evaluate_all((trigger,), snapshot_store.get_many([series_id]), date.today())[0]
    firing = values < trigger.threshold
    starts = firing & ~firing.shift(1, fill_value=False)
    ends = firing & ~firing.shift(-1, fill_value=False)
    counted = int((ends[ends].index >= pd.Timestamp(trigger.counts_from)).sum())
    assert reading.counts_from == trigger.counts_from
    assert reading.spells_counted == counted
    assert reading.spells_counted < reading.spells_since_2003 or int(starts.sum()) == counted
    assert engine.spells_text(reading).endswith(f"since {trigger.counts_from:%Y-%m-%d}")
    feed = reading.to_json()
    assert feed["counts_from"] == f"{trigger.counts_from:%Y-%m-%d}"


def test_hdl004_a_bad_counts_from_names_the_row():
    text = (
        "id,name,formula,units,direction,inclusive,threshold,counts_from\n"
        "r,R,WRESBAL,millions,below,no,3000000,someday\n"
    )
    with pytest.raises(ValueError, match="r: counts_from 'someday' is not a date"):
        engine.parse_triggers(text)
    plain = engine.parse_triggers(text.replace("someday", ""))[0]
    assert plain.counts_from is None


def test_hdl005_a_projected_date_already_behind_us_says_so():
    reading = engine.TriggerReading(
        id="x",
        name="X",
        formula="X",
        units="bp",
        direction="above",
        op=">",
        threshold=0.0,
        why="",
        status=engine.QUIET,
        as_of=date(2026, 8, 5),
        eta=date(2026, 8, 31),
        eta_note="~4 weeks",
        age_days=(date(2026, 12, 2) - date(2026, 8, 5)).days,
    )
    assert engine.eta_passed(reading)
    assert engine.eta_text(reading) == (
        "2026-08-31 · ~4 weeks · date passed: projected from data as of 2026-08-05"
    )
    fresh = replace(reading, age_days=3)
    assert not engine.eta_passed(fresh)
    assert engine.eta_text(fresh) == "2026-08-31 · ~4 weeks"
    assert fresh.as_of + timedelta(days=3) < fresh.eta


# ---- Episodes event study ---------------------------------------------------------------------
def test_hdl006_every_price_only_column_is_labelled(dash_app):
    page = importlib.import_module("dashboard.pages.episodes")
    for asset in page.study_assets():
        info = get_info(asset.id)
        # ETF closes from an exchange feed leave out dividends and coupons.
        etf = info.units == "U.S. Dollars per share"
        shown = page.shown_label(asset.id)
        assert ("price only" in shown) == etf, shown
    labelled = {a.id for a in page.study_assets() if "price only" in page.shown_label(a.id)}
    assert labelled >= {"SPY", "TLT"}
    # The table's column heads and the asset buttons carry it, as rendered.
    text = str(page.layout(asset="TLT"))
    assert "Long Treasuries (TLT), price only" in text
    assert "S&P 500 (SPY), price only" in text
