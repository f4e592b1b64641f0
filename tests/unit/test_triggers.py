"""Trigger engine arithmetic against small hand-written frames (numbers worked out by hand in
the comments), the triggers file, the phase tracker and the JSON shape of a reading."""

from __future__ import annotations

import json
from datetime import date, timedelta
from types import SimpleNamespace

import pandas as pd
import pytest

from dashboard.analytics import triggers as engine
from dashboard.analytics.triggers import (
    APPROACHING,
    FIRING,
    NO_DATA,
    NOT_ON_PATH,
    QUIET,
    Trigger,
    evaluate,
    fired_spells,
    load_triggers,
    parse_triggers,
    phase_tracker,
    project_eta,
)
from dashboard.episodes import Episode
from tests.conftest import FEED_FIELDS

TODAY = date(2025, 6, 1)


def s(pairs) -> pd.Series:
    return pd.Series({pd.Timestamp(d): v for d, v in pairs}, dtype="float64")


def weekly(start: str, values) -> pd.Series:
    """Values on consecutive Wednesdays from `start` (a Wednesday)."""
    days = pd.date_range(start, periods=len(values), freq="7D")
    assert days[0].day_of_week == 2
    return pd.Series(list(values), index=days, dtype="float64")


def trig(formula="WRESBAL", direction="below", threshold=3_000_000.0, **kw) -> Trigger:
    base = {
        "id": "t",
        "name": "T",
        "formula": formula,
        "units": "millions of USD",
        "direction": direction,
        "inclusive": False,
        "threshold": threshold,
    }
    return Trigger(**(base | kw))


# ---- the triggers file ---------------------------------------------------------------------
# What issue 4 lists: formula, comparison and default threshold in the trigger's units.
ISSUE_TRIGGERS = {
    "balance_sheet_growth": ("WALCL:change13w", "≥", 100_000, "millions of USD"),
    "reserves_below_3t": ("WRESBAL", "<", 3_000_000, "millions of USD"),
    "rrp_drained": ("RRPONTSYD", "<", 50, "billions of USD"),
    "sofr_above_iorb": ("SOFR_IORB:mean5d", ">", 0, "basis points"),
    "sofr_above_target": ("SOFR-DFEDTARU", ">", 0, "basis points"),
    "hy_spread_stress": ("BAMLH0A0HYM2", "≥", 5.0, "percent"),
    "hy_spread_widening": ("BAMLH0A0HYM2:change4w", "≥", 100, "basis points"),
    "nfci_tight": ("NFCI", ">", 0, "index"),
    "stlfsi_stress": ("STLFSI4", ">", 0, "index"),
    "curve_inverted": ("T10Y2Y", "<", 0, "percent"),
    "tga_rebuild": ("WTREGEN:change4w", "≥", 150_000, "millions of USD"),
}


def test_trg001_shipped_file_has_the_issues_triggers():
    triggers = {t.id: t for t in load_triggers()}
    assert set(triggers) == set(ISSUE_TRIGGERS)
    for tid, (formula, op, threshold, units) in ISSUE_TRIGGERS.items():
        t = triggers[tid]
        assert (t.formula, t.op, t.threshold, t.units) == (formula, op, threshold, units), tid
        assert t.why and t.calm is None  # calm defaults to the 5-year median
    assert triggers["balance_sheet_growth"].lookback_weeks == 13
    assert triggers["hy_spread_widening"].lookback_weeks == 4
    assert triggers["sofr_above_target"].inputs == ("SOFR", "DFEDTARU")


HEADER = "id,name,formula,scale,units,direction,inclusive,threshold,calm,why\n"


@pytest.mark.parametrize(
    ("row", "complaint"),
    [
        ("a,A,NOPE,1,x,above,no,1,,w", "unknown series 'NOPE'"),
        ("a,A,WALCL,1,x,sideways,no,1,,w", "direction"),
        ("a,A,WALCL,1,x,above,maybe,1,,w", "inclusive"),
        ("a,A,WALCL,1,x,above,no,lots,,w", "threshold 'lots' is not a number"),
        ("a,A,WALCL:change0w,1,x,above,no,1,,w", "at least 1"),
        ("a,A,WALCL:wiggle,1,x,above,no,1,,w", "transform"),
        ("a,A,WALCL,1,x,above,no,1,5,w", "calm must be on the quiet side"),
        ("a,A,WALCL,1,x,above,no,1,,w\na,B,WALCL,1,x,above,no,2,,w", "duplicate ids"),
    ],
)
def test_trg002_bad_rows_are_refused_with_the_reason(row, complaint):
    with pytest.raises(ValueError, match=complaint):
        parse_triggers(HEADER + row + "\n")


def test_trg003_threshold_edit_in_a_file_changes_the_reading(tmp_path):
    text = engine.TRIGGERS_FILE.read_text(encoding="utf-8")
    edited = text.replace(
        "WRESBAL,1,millions of USD,below,no,3000000", "WRESBAL,1,millions of USD,below,no,2000000"
    )
    assert edited != text
    path = tmp_path / "mine.csv"
    path.write_text(edited, encoding="utf-8")
    series = {"WRESBAL": weekly("2025-01-01", [3_100_000, 2_950_000])}
    shipped = next(t for t in load_triggers() if t.id == "reserves_below_3t")
    mine = next(t for t in load_triggers(path) if t.id == "reserves_below_3t")
    assert evaluate(shipped, series, TODAY).status == FIRING
    reading = evaluate(mine, series, TODAY)
    assert reading.status == QUIET and reading.threshold == 2_000_000
    assert reading.distance == 950_000


# ---- one hand-computed case per shipped trigger --------------------------------------------
WED = "2025-01-01"
CASES = {
    # 14 Wednesdays rising 10,000 a week: 13-week change = 130,000 ≥ 100,000
    "balance_sheet_growth": (
        {"WALCL": weekly(WED, [7_000_000 + 10_000 * i for i in range(14)])},
        130_000,
        FIRING,
    ),
    "reserves_below_3t": ({"WRESBAL": weekly(WED, [3_100_000, 2_999_999])}, 2_999_999, FIRING),
    # strictly below 50: 50 itself does not fire, though it is all the way from calm (55)
    "rrp_drained": (
        {"RRPONTSYD": s([("2025-01-02", 60.0), ("2025-01-03", 50.0)])},
        50.0,
        APPROACHING,
    ),
    # mean of the last five: (1 + 2 + 0 + 0 + 3) / 5 = 1.2 bp
    "sofr_above_iorb": (
        {"SOFR_IORB": s(zip(pd.bdate_range("2025-01-06", periods=6), [-5, 1, 2, 0, 0, 3]))},
        1.2,
        FIRING,
    ),
    # (3.90 − 4.00) × 100 = −10 bp, the target as of the SOFR date
    "sofr_above_target": (
        {"SOFR": s([("2025-12-31", 3.90)]), "DFEDTARU": s([("2025-12-30", 4.00)])},
        -10.0,
        QUIET,
    ),
    "hy_spread_stress": (
        {"BAMLH0A0HYM2": s([("2025-01-02", 4.2), ("2025-01-03", 5.0)])},
        5.0,
        FIRING,
    ),
    # Wednesdays 3.00 → 4.00 four weeks later: +100 bp (inclusive)
    "hy_spread_widening": (
        {"BAMLH0A0HYM2": weekly(WED, [3.00, 3.20, 3.50, 3.80, 4.00])},
        100.0,
        FIRING,
    ),
    # strictly above 0: 0.0 does not fire
    "nfci_tight": ({"NFCI": s([("2025-01-03", -0.1), ("2025-01-10", 0.0)])}, 0.0, APPROACHING),
    "stlfsi_stress": ({"STLFSI4": s([("2025-01-03", 0.2)])}, 0.2, FIRING),
    "curve_inverted": ({"T10Y2Y": s([("2025-01-02", 0.1), ("2025-01-03", -0.05)])}, -0.05, FIRING),
    # 850,000 − 700,000 over four weeks = 150,000 (inclusive)
    "tga_rebuild": (
        {"WTREGEN": weekly(WED, [700_000, 720_000, 760_000, 800_000, 850_000])},
        150_000,
        FIRING,
    ),
}


def test_trg004_every_shipped_trigger_has_a_case():
    assert set(CASES) == {t.id for t in load_triggers()}


@pytest.mark.parametrize("trigger_id", sorted(CASES))
def test_trg005_every_trigger_value_and_status_by_hand(trigger_id):
    series, value, status = CASES[trigger_id]
    trigger = next(t for t in load_triggers() if t.id == trigger_id)
    reading = evaluate(trigger, series, TODAY)
    assert reading.value == pytest.approx(value, abs=1e-9)
    assert reading.status == status
    last = max(x.dropna().index.max() for x in series.values())
    assert reading.as_of == last.date()


# ---- the reading's arithmetic --------------------------------------------------------------
def test_trg006_level_reading_proximity_distance_pace_eta():
    # 20 Wednesdays from 3,400,000 down 20,000 a week; last = 3,020,000 on 2025-05-14.
    values = [3_400_000 - 20_000 * i for i in range(20)]
    r = evaluate(trig(), {"WRESBAL": weekly(WED, values)}, TODAY)
    assert r.as_of == date(2025, 5, 14) and r.value == 3_020_000
    assert r.calm == 3_210_000  # median of the 20 values: mean of the 10th and 11th
    assert r.calm_note == "median of the last 5 years"
    # travelled (3,020,000 − 3,210,000) / (3,000,000 − 3,210,000) = 190/210
    assert r.proximity == pytest.approx(100 * 190 / 210)
    assert r.status == APPROACHING
    assert r.distance == 20_000  # still to fall
    assert r.typical_weekly_move == 20_000 and r.distance_weeks == 1.0
    # 13 weeks ago 3,280,000: pace −20,000 a week → one week to go
    assert r.pace_per_week == -20_000
    assert r.eta == date(2025, 5, 21)
    assert r.last_fired is None and r.spells_since_2003 == 0
    assert r.age_days == (TODAY - date(2025, 5, 14)).days


def test_trg007_fixed_calm_from_the_file_is_used():
    values = [3_400_000 - 20_000 * i for i in range(20)]
    r = evaluate(trig(calm=3_500_000.0), {"WRESBAL": weekly(WED, values)}, TODAY)
    assert r.calm == 3_500_000 and r.calm_note == "fixed in the triggers file"
    assert r.proximity == pytest.approx(100 * 480 / 500)  # (3.02M − 3.5M) / (3.0M − 3.5M)


def test_trg008_calm_falls_back_to_quiet_readings_when_the_median_has_fired():
    # below 0: the median (−1) is past the threshold; quiet readings 0.5, 0.3 → calm 0.4
    t = trig("T10Y2Y", threshold=0.0, units="percent")
    series = {"T10Y2Y": s(zip(pd.bdate_range("2025-01-06", periods=5), [-1, -1, -1, 0.5, 0.3]))}
    r = evaluate(t, series, TODAY)
    assert r.calm == pytest.approx(0.4)
    assert "quiet readings" in r.calm_note
    assert r.proximity == pytest.approx(25.0)  # (0.3 − 0.4) / (0 − 0.4)
    assert r.status == QUIET


def test_trg009_proximity_is_clipped_and_100_when_firing():
    t = trig("NFCI", direction="above", threshold=0.0, units="index", calm=-1.0)
    assert engine.proximity_pct(t, -2.0, -1.0) == 0.0  # calmer than calm
    assert engine.proximity_pct(t, -0.25, -1.0) == 75.0
    assert engine.proximity_pct(t, 0.0, -1.0) == 100.0  # at, but not past, a strict threshold
    assert engine.proximity_pct(t, 0.5, -1.0) == 100.0
    assert evaluate(t, {"NFCI": s([("2025-01-03", -0.25)])}, TODAY).status == APPROACHING
    assert evaluate(t, {"NFCI": s([("2025-01-03", -0.26)])}, TODAY).status == QUIET


def test_trg010_change_trigger_uses_wednesdays_and_never_a_later_day():
    # Daily HY at 3.00 through 01-28, 3.90 on Wed 01-29, then a 9.99 print on Thu 01-30.
    days = pd.bdate_range("2025-01-01", "2025-01-28")
    hy = s([(d, 3.00) for d in days] + [("2025-01-29", 3.90), ("2025-01-30", 9.99)])
    t = trig(
        "BAMLH0A0HYM2:change4w",
        direction="above",
        threshold=100.0,
        units="basis points",
        inclusive=True,
        scale=100.0,
    )
    r = evaluate(t, {"BAMLH0A0HYM2": hy}, TODAY)
    # Wed 01-29 (3.90) minus Wed 01-01 (3.00) = +90 bp; Thursday's print is not used
    assert r.as_of == date(2025, 1, 29)
    assert r.value == pytest.approx(90.0)
    assert r.status == QUIET
    values = engine.trigger_values(t, {"BAMLH0A0HYM2": hy})
    assert all(d.day_of_week == 2 for d in values.index)


def test_trg011_thirteen_week_change_spell():
    # 16 Wednesdays up 10,000 a week: 130,000 on weeks 13, 14, 15 → one spell, still firing
    t = trig("WALCL:change13w", direction="above", threshold=100_000.0, inclusive=True)
    series = {"WALCL": weekly(WED, [7_000_000 + 10_000 * i for i in range(16)])}
    values = engine.trigger_values(t, series)
    assert list(values) == [130_000.0] * 3
    r = evaluate(t, series, TODAY)
    start = date(2025, 1, 1) + timedelta(weeks=13)
    assert r.last_fired == engine.Spell(start, start + timedelta(weeks=2), True, 14)
    assert r.eta is None and r.eta_note == engine.FIRING_NOW


def test_trg012_difference_formula_takes_the_other_series_as_of():
    t = trig("SOFR-DFEDTARU", direction="above", threshold=0.0, units="basis points", scale=100.0)
    sofr = s(
        [("2025-12-24", 4.50), ("2025-12-29", 4.00), ("2025-12-30", 3.80), ("2025-12-31", 3.90)]
    )
    target = s([("2025-12-28", 3.75), ("2025-12-31", 4.00)])
    values = engine.trigger_values(t, {"SOFR": sofr, "DFEDTARU": target})
    # 12-24 precedes the first target: dropped. 4.00−3.75, 3.80−3.75, 3.90−4.00 in bp.
    assert values.to_dict() == {
        pd.Timestamp("2025-12-29"): 25.0,
        pd.Timestamp("2025-12-30"): 5.0,
        pd.Timestamp("2025-12-31"): -10.0,
    }


def test_trg013_mean_of_five_observations():
    t = trig("SOFR_IORB:mean5d", direction="above", threshold=0.0, units="basis points")
    days = pd.bdate_range("2025-01-06", periods=6)
    values = engine.trigger_values(t, {"SOFR_IORB": s(zip(days, [-5, 1, 2, 0, 0, 3]))})
    # (−5+1+2+0+0)/5 = −0.4, then (1+2+0+0+3)/5 = 1.2
    assert list(values) == pytest.approx([-0.4, 1.2])
    r = evaluate(t, {"SOFR_IORB": s(zip(days, [-5, 1, 2, 0, 0, 3]))}, TODAY)
    assert r.last_fired.start == days[-1].date() and r.last_fired.ongoing


def test_trg014_spells_their_lengths_and_the_count_since_2003():
    dates = [
        "2002-12-20",
        "2002-12-23",
        "2002-12-30",
        "2003-01-02",
        "2003-01-03",
        "2003-01-06",
        "2003-01-07",
        "2003-01-08",
    ]
    values = s(zip(dates, [6, 1, 6, 7, 2, 6, 3, 8]))
    t = trig("BAMLH0A0HYM2", direction="above", threshold=5.0, units="percent", inclusive=True)
    spells = fired_spells(values, t.fires(values))
    d = date.fromisoformat
    assert spells == [
        engine.Spell(d("2002-12-20"), d("2002-12-20"), False, 3),  # to the quiet 12-23
        engine.Spell(d("2002-12-30"), d("2003-01-02"), False, 4),  # to the quiet 01-03
        engine.Spell(d("2003-01-06"), d("2003-01-06"), False, 1),
        engine.Spell(d("2003-01-08"), d("2003-01-08"), True, 0),
    ]
    r = evaluate(t, {"BAMLH0A0HYM2": values}, TODAY)
    assert r.spells_since_2003 == 3  # the first spell ended in 2002
    assert r.last_fired == spells[-1] and r.status == FIRING


def test_trg015_projected_date_or_not_on_path():
    t = trig("NFCI", direction="above", threshold=100.0, units="index")
    day = date(2025, 1, 1)
    assert project_eta(t, 10.0, 1.0, day, False) == (day + timedelta(days=70), "~10 weeks")
    assert project_eta(t, 10.0, -1.0, day, False) == (None, NOT_ON_PATH)
    assert project_eta(t, 10.0, 0.0, day, False) == (None, NOT_ON_PATH)
    assert project_eta(t, 10.0, 0.01, day, False) == (None, NOT_ON_PATH)  # 1,000 weeks away
    assert project_eta(t, -1.0, 1.0, day, True) == (None, engine.FIRING_NOW)
    below = trig()
    assert project_eta(below, 40.0, -20.0, day, False)[0] == day + timedelta(days=14)


def test_trg016_no_data_is_a_reading_not_an_error():
    r = evaluate(trig(), {}, TODAY)
    assert r.status == NO_DATA and r.value is None and "WRESBAL" in r.message
    assert json.loads(json.dumps(r.to_json(), allow_nan=False))["status"] == NO_DATA



def test_trg017_json_has_the_feed_fields_iso_dates_and_no_nan():
    values = [3_400_000 - 20_000 * i for i in range(20)]
    r = evaluate(trig(), {"WRESBAL": weekly(WED, values)}, TODAY)
    data = json.loads(json.dumps(r.to_json(), allow_nan=False))
    for key in FEED_FIELDS:
        assert key in data
    assert data["as_of"] == "2025-05-14" and data["eta"] == "2025-05-21"


def test_trg018_sorted_firing_then_approaching_then_nearest():
    def reading(tid, status, proximity):
        return engine.TriggerReading(
            tid, tid, "X", "u", "above", ">", 0.0, "", status, proximity=proximity
        )

    got = engine.sort_readings(
        [
            reading("q1", QUIET, 10),
            reading("n", NO_DATA, None),
            reading("q2", QUIET, 60),
            reading("f", FIRING, 100),
            reading("a", APPROACHING, 80),
        ]
    )
    assert [r.id for r in got] == ["f", "a", "q2", "q1", "n"]


def test_trg019_stale_when_an_input_is_past_its_release_and_labels_pass_through():
    t = trig()
    series = {"WRESBAL": weekly(WED, [3_100_000, 3_050_000])}  # last 2025-01-08
    status = SimpleNamespace(state="offline snapshot", label="offline snapshot")
    fresh = evaluate(t, series, date(2025, 1, 10), {"WRESBAL": status})
    late = evaluate(t, series, date(2025, 3, 1), {"WRESBAL": status})
    assert not fresh.stale and late.stale
    assert late.freshness == "offline snapshot"


def test_trg020_money_and_units_formatting():
    f = engine.format_value
    assert f(2_935_287, "millions of USD") == "$2.94T"
    assert f(32_056, "millions of USD", signed=True) == "+$32.1B"
    assert f(-150_000, "millions of USD") == "−$150B"
    assert f(0.2, "billions of USD") == "$0.2B"
    assert f(2.75, "percent") == "2.75%"
    assert f(-1.4, "basis points") == "−1.4 bp"
    assert f(None, "index") == "—"


# ---- phase tracker -------------------------------------------------------------------------
QT = Episode("QTX", "QT test", "QT", None, date(2023, 12, 1), date(2023, 12, 1), None, "", "")
QE = Episode("QEX", "QE test", "QE", None, date(2023, 12, 1), date(2023, 12, 1), None, "", "")
START = "2024-01-03"  # a Wednesday


def _phase_inputs(treasury_rise=0.0, final_rise=0.0):
    """40 weeks: WALCL falls 10,000 a week to week 20, then is flat (plus `final_rise` a week
    over the last 13 weeks); Treasuries rise `treasury_rise` a week from week 26; MBS drift
    down 1,000 a week."""
    walcl = [7_000_000 - 10_000 * min(i, 20) + final_rise * max(0, i - 26) for i in range(40)]
    treasuries = [4_000_000 + treasury_rise * max(0, i - 26) for i in range(40)]
    mbs = [2_000_000 - 1_000 * i for i in range(40)]
    return weekly(START, walcl), weekly(START, treasuries), weekly(START, mbs)


def test_trg021_phase_1_runoff_stopped_and_since_when():
    p = phase_tracker(*_phase_inputs(), [QT])
    assert p.phase == 1 and p.name.startswith("Phase 1")
    # 13-week change −10,000 × (33 − t) for t < 33: inside ±25,000 from week 31
    assert p.since == date(2024, 1, 3) + timedelta(weeks=31)
    assert p.as_of == date(2024, 1, 3) + timedelta(weeks=39)
    assert [e.met for e in p.evidence] == [True, True, False, False]


def test_trg022_phase_2_bill_purchases_and_phase_3_full_qe():
    p2 = phase_tracker(*_phase_inputs(treasury_rise=1_000), [QT])  # +13,000 over 13 weeks
    assert p2.phase == 2
    p3 = phase_tracker(*_phase_inputs(treasury_rise=9_000, final_rise=9_000), [QT])
    # WALCL +117,000 over the last 13 weeks, Treasuries rising
    assert p3.phase == 3 and p3.evidence[3].met


def test_trg023_phases_1_and_2_need_a_qt_that_shrank_the_balance_sheet():
    assert phase_tracker(*_phase_inputs(), [QE]).phase == 0
    assert phase_tracker(*_phase_inputs(), [QE]).name == "No end-of-QT phase"
    flat = weekly(START, [7_000_000] * 40)
    treasuries, mbs = weekly(START, [4_000_000] * 40), weekly(START, [2_000_000] * 40)
    # A QT that has not shrunk anything yet is not "runoff stopped".
    assert phase_tracker(flat, treasuries, mbs, [QT]).phase == 0
    assert phase_tracker(flat, treasuries, mbs, [QT]).name.startswith("Before phase 1")


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2002-12-18", "2026-08-21"),
        ("2025-01-02", "2025-01-07"),
        ("2024-02-27", "2024-03-06"),
        ("2025-01-01", "2025-01-01"),
        ("2025-01-02", "2025-01-03"),
    ],
)
def test_trg024_fast_wednesday_grid_equals_the_shared_one(start, end):
    from dashboard.data.align import wednesday_grid

    got = engine.wednesdays(pd.Timestamp(start), pd.Timestamp(end))
    assert list(got) == list(wednesday_grid(pd.Timestamp(start), pd.Timestamp(end)))
