"""Triggers on the real snapshot against known history, with every expectation computed
independently here from the CSV files with plain pandas (no engine code)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.analytics import triggers as engine
from dashboard.episodes import main_episodes
from tests.conftest import newest_offline_rows, requires_series

TODAY = date(2026, 11, 23)


def csv_series(series_id: str) -> pd.Series:
    """The series as the files give it: the newest of the folder's and the snapshot's copy."""
    _, rows = newest_offline_rows(series_id)
    return pd.Series([v for _, v in rows], index=pd.to_datetime([d for d, _ in rows]))


def shipped(trigger_id: str) -> engine.Trigger:
    return next(t for t in engine.load_triggers() if t.id == trigger_id)


def engine_firing_dates(trigger: engine.Trigger, store) -> tuple[set, list]:
    """Observation dates inside the engine's fired spells, and the spells."""
    series = {sid: store.get(sid).values for sid in trigger.inputs}
    values = engine.trigger_values(trigger, series)
    spells = engine.fired_spells(values, trigger.fires(values))
    inside = set()
    for spell in spells:
        window = values[pd.Timestamp(spell.start) : pd.Timestamp(spell.end)]
        inside.update(window.index)
    return inside, spells


def runs(flags: pd.Series) -> int:
    """Number of separate runs of True."""
    flags = flags.astype(bool)
    return int((flags & ~flags.shift(1, fill_value=False)).sum())


def overlaps(spells, start: str, end: str) -> bool:
    lo, hi = date.fromisoformat(start), date.fromisoformat(end)
    return any(s.start <= hi and s.end >= lo for s in spells)


@requires_series("BAMLH0A0HYM2")
def test_trgreal001_hy_spread_5pct_fired_late_2008_and_march_2020(snapshot_store):
    hy = csv_series("BAMLH0A0HYM2")
    expected = set(hy.index[hy >= 5.0])
    assert any(pd.Timestamp("2008-10-01") <= d <= pd.Timestamp("2008-12-31") for d in expected)
    assert any(pd.Timestamp("2020-03-01") <= d <= pd.Timestamp("2020-03-31") for d in expected)
    got, spells = engine_firing_dates(shipped("hy_spread_stress"), snapshot_store)
    assert got == expected
    assert overlaps(spells, "2008-10-01", "2008-12-31")
    assert overlaps(spells, "2020-03-01", "2020-03-31")
    reading = engine.evaluate_all(
        (shipped("hy_spread_stress"),), snapshot_store.get_many(["BAMLH0A0HYM2"]), TODAY
    )[0]
    # Separate runs of HY ≥ 5 % among observations since 2003 (one that began in 2002 and
    # ran into 2003 counts once, as the run starting on the first 2003 observation).
    assert reading.spells_since_2003 == runs(hy[hy.index >= "2003-01-01"] >= 5.0)


def test_trgreal002_sofr_above_iorb_in_late_2025(snapshot_store):
    sofr, iorb = csv_series("SOFR"), csv_series("IORB")
    joined = pd.merge_asof(
        sofr.rename("sofr").to_frame(),
        iorb.rename("iorb").to_frame(),
        left_index=True,
        right_index=True,
        tolerance=pd.Timedelta(days=7),
    ).dropna()
    spread_bp = ((joined["sofr"] - joined["iorb"]) * 100).round(6)
    mean5 = spread_bp.rolling(5).mean().round(9).dropna()
    late_2025 = mean5["2025-09-01":"2025-12-31"]
    expected = set(late_2025.index[late_2025 > 0])
    assert expected, "SOFR − IORB was above zero in late 2025"
    got, spells = engine_firing_dates(shipped("sofr_above_iorb"), snapshot_store)
    assert {d for d in got if pd.Timestamp("2025-09-01") <= d <= pd.Timestamp("2025-12-31")} == (
        expected
    )
    assert overlaps(spells, "2025-09-01", "2025-12-31")


def test_trgreal003_reverse_repo_below_50b_in_2025(snapshot_store):
    rrp = csv_series("RRPONTSYD")
    in_2025 = rrp["2025-01-01":"2025-12-31"]
    expected = set(in_2025.index[in_2025 < 50])
    assert expected
    got, spells = engine_firing_dates(shipped("rrp_drained"), snapshot_store)
    assert {d for d in got if d.year == 2025} == expected
    assert overlaps(spells, "2025-01-01", "2025-12-31")


def test_trgreal004_reserves_below_3t_at_the_end_of_2025(snapshot_store):
    reserves = csv_series("WRESBAL")
    end_2025 = reserves["2025-11-01":"2025-12-31"]
    expected = set(end_2025.index[end_2025 < 3_000_000])
    assert expected
    assert end_2025.iloc[-1] < 3_000_000  # the last week of 2025
    got, spells = engine_firing_dates(shipped("reserves_below_3t"), snapshot_store)
    assert {d for d in got if pd.Timestamp("2025-11-01") <= d <= pd.Timestamp("2025-12-31")} == (
        expected
    )
    assert overlaps(spells, "2025-12-24", "2025-12-31")


@requires_series("BAMLH0A0HYM2", "NFCI", "STLFSI4", "T10Y2Y")
def test_trgreal005_current_readings_match_the_files(snapshot_store):
    triggers = engine.load_triggers()
    datas = snapshot_store.get_many(engine.required_series(triggers))
    readings = {r.id: r for r in engine.evaluate_all(triggers, datas, TODAY)}
    for tid, sid in (
        ("reserves_below_3t", "WRESBAL"),
        ("rrp_drained", "RRPONTSYD"),
        ("hy_spread_stress", "BAMLH0A0HYM2"),
        ("nfci_tight", "NFCI"),
        ("stlfsi_stress", "STLFSI4"),
        ("curve_inverted", "T10Y2Y"),
    ):
        raw = csv_series(sid)
        assert readings[tid].value == pytest.approx(raw.iloc[-1]), tid
        assert readings[tid].as_of == raw.index[-1].date(), tid
    walcl = csv_series("WALCL")
    last = walcl.index[-1]
    change = walcl.iloc[-1] - walcl[last - pd.Timedelta(weeks=13)]
    assert readings["balance_sheet_growth"].value == pytest.approx(change)
    assert (readings["balance_sheet_growth"].status == "firing") == (change >= 100_000)
    tga = csv_series("WTREGEN")
    tga_change = tga.iloc[-1] - tga[tga.index[-1] - pd.Timedelta(weeks=4)]
    assert readings["tga_rebuild"].value == pytest.approx(tga_change)
    # Typical weekly move of reserves: median |week-to-week change| over 3 years.
    recent = csv_series("WRESBAL")
    recent = recent[recent.index >= recent.index[-1] - pd.DateOffset(years=3)]
    assert readings["reserves_below_3t"].typical_weekly_move == pytest.approx(
        recent.diff().abs().dropna().median()
    )
    # Calm = median of the last 5 years.
    five = csv_series("RRPONTSYD")
    five = five[five.index > five.index[-1] - pd.DateOffset(years=5)]
    assert readings["rrp_drained"].calm == pytest.approx(five.median())


@requires_series("TREAST", "WSHOMCB")
def test_trgreal006_phase_tracker_matches_the_rules_and_covid_qe(snapshot_store):
    walcl, treasuries, mbs = (snapshot_store.get(s).values for s in ("WALCL", "TREAST", "WSHOMCB"))
    reading = engine.phase_tracker(walcl, treasuries, mbs, main_episodes())
    raw = {s: csv_series(s) for s in ("WALCL", "TREAST", "WSHOMCB")}
    last = raw["WALCL"].index[-1]
    change = {s: v.iloc[-1] - v[last - pd.Timedelta(weeks=13)] for s, v in raw.items()}
    rules = engine.PhaseRules()
    if change["WALCL"] >= rules.full_qe and (
        change["TREAST"] > rules.rising or change["WSHOMCB"] > rules.rising
    ):
        expected = 3
    elif change["TREAST"] > rules.rising and change["WSHOMCB"] <= rules.flat:
        expected = 2  # QT2 (from 2022) shrank the balance sheet by far more than $50B
    elif abs(change["WALCL"]) <= rules.runoff_band:
        expected = 1
    else:
        expected = 0
    assert reading.phase == expected
    assert reading.as_of == last.date()
    history = engine.phase_series(walcl, treasuries, mbs, main_episodes())
    assert (history.loc["2020-04-01":"2020-06-30", "phase"] == 3).all()  # COVID QE
