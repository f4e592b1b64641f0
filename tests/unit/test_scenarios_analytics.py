"""Holdings history and policy paths for the scenario lab, on small hand-written frames and
on the real H.4.1 and GDP files."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics import portfolio_balance as pb
from dashboard.analytics import scenarios as sc
from tests.conftest import SHARED_SERIES, requires_shared


def weekly(values, start="2026-01-07") -> pd.Series:
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq="W-WED"),
                     dtype="float64")


GDP = pd.Series([30000.0, 30500.0, 31000.0, 31600.0, 32000.0],
                index=pd.to_datetime(["2025-01-01", "2025-04-01", "2025-07-01", "2025-10-01",
                                      "2026-01-01"]))


def test_holdings_over_gdp_of_each_dates_quarter_in_percent():
    dates = pd.to_datetime(["2025-03-26", "2025-04-02", "2026-06-03"])
    treasuries = pd.Series([4_000_000.0, 4_100_000.0, 4_200_000.0], index=dates)  # millions
    mbs = pd.Series([2_000_000.0, 1_990_000.0, 1_900_000.0], index=dates)
    bills = pd.Series([200_000.0, 210_000.0, 300_000.0], index=dates)
    agency = pd.Series([2_347.0, 2_347.0, 2_347.0], index=dates)
    hist = sc.longer_term_holdings(treasuries, mbs, GDP, bills, agency)
    assert hist.notes == ()
    # 2025-03-26 is in Q1 2025 (GDP 30000); 2025-04-02 in Q2 (30500); 2026-06-03 is after the
    # last release (Q1 2026) and uses it (32000).
    expected = [
        (4_000_000 - 200_000 + 2_000_000 + 2_347) / 1000 / 30000 * 100,
        (4_100_000 - 210_000 + 1_990_000 + 2_347) / 1000 / 30500 * 100,
        (4_200_000 - 300_000 + 1_900_000 + 2_347) / 1000 / 32000 * 100,
    ]
    assert hist.pct_gdp.tolist() == pytest.approx(expected)
    assert hist.dollars_bn.iloc[0] == pytest.approx(5802.347)


def test_missing_bills_and_agency_are_said_and_left_out():
    treasuries, mbs = weekly([4_000_000.0, 4_000_000.0]), weekly([2_000_000.0, 1_990_000.0])
    hist = sc.longer_term_holdings(treasuries, mbs, GDP, None, pd.Series(dtype="float64"))
    assert sc.NOTE_NO_BILLS in hist.notes and sc.NOTE_NO_AGENCY in hist.notes
    assert "bills not separable" in hist.notes[0].lower()
    assert hist.pct_gdp.iloc[-1] == pytest.approx(5990.0 / 32000 * 100)


def test_dates_before_the_first_gdp_quarter_are_dropped():
    dates = pd.to_datetime(["2024-12-25", "2025-01-01"])
    hist = sc.longer_term_holdings(pd.Series([1.0e6, 1.0e6], index=dates),
                                   pd.Series([0.0, 0.0], index=dates), GDP)
    assert list(hist.pct_gdp.index) == [pd.Timestamp("2025-01-01")]


def test_growth_of_the_last_four_quarters():
    assert sc.annual_gdp_growth(GDP) == pytest.approx(32000 / 30000 - 1)
    assert sc.annual_gdp_growth(GDP.iloc[:3]) is None


def test_mbs_paydown_pace_in_billions_a_month():
    # 26 weeks, falling $3.5bn a week (millions in): 182 days -> 3.5/7*30.4375 bn a month
    mbs = weekly([2_000_000.0 - 3_500.0 * i for i in range(27)])
    assert sc.mbs_paydown_pace(mbs) == pytest.approx(3.5 / 7 * 365.25 / 12)


def start_of(**changes) -> sc.Start:
    values = dict(as_of=date(2026, 8, 19), coupons_bn=4500.0, mbs_bn=2000.0, agency_bn=0.0,
                  gdp_bn=32000.0, mbs_pace_bn_month=15.0)
    return sc.Start(**(values | changes))


@pytest.mark.parametrize("preset", [sc.BILL_ONLY, sc.QT, sc.QE, sc.MEMO_2010])
def test_every_preset_starts_today_and_ends_at_normal(preset):
    settings = sc.PathSettings(horizon_q=40, normal_pct=4.0, gdp_growth=0.05)
    path = sc.build_path(preset, start_of(), settings)
    assert len(path.values) == 41
    assert path.dates[0] == date(2026, 9, 30) and path.dates[-1] == date(2036, 9, 30)
    assert path.values[0] == pytest.approx(6500 / 32000 * 100)
    assert path.values[-1] == 4.0
    assert min(path.values) >= 4.0 - 1e-9


def test_bill_only_runs_mbs_off_at_todays_pace_before_the_final_runoff():
    # Without GDP growth and with the final runoff starting at once, quarter 1's holdings are
    # the policy path minus 1/T of the end gap; check the policy part by hand.
    start = start_of()
    settings = sc.PathSettings(horizon_q=40, normal_pct=4.0, gdp_growth=0.0)
    rate = 15.0 / 2000.0
    policy = np.array([(4500 + 2000 * (1 - rate) ** (3 * t)) / 32000 * 100 for t in range(41)])
    expected = policy - (policy[-1] - 4.0) * np.arange(41) / 40
    path = sc.build_path(sc.BILL_ONLY, start, settings)
    np.testing.assert_allclose(path.values[1:], expected[1:])


def test_qe_adds_purchases_then_runs_off_and_lowers_the_term_premium():
    settings = sc.PathSettings(horizon_q=40, gdp_growth=0.0, qe_bn_month=100.0, qe_months=12,
                               qe_mix="coupons")
    base = sc.build_path(sc.BILL_ONLY, start_of(), settings)
    qe = sc.build_path(sc.QE, start_of(), settings)
    # after 4 quarters, $1.2tn more coupons and MBS reinvested: above the baseline
    assert qe.values[4] > base.values[4] + 1200 / 32000 * 100 * 0.8
    result = pb.run_model(base, qe)
    assert result.impact_bp < 0


def test_faster_qt_means_fewer_holdings_and_a_higher_term_premium():
    slow = sc.PathSettings(qt_cap_bn=10.0)
    fast = sc.PathSettings(qt_cap_bn=60.0)
    base = sc.build_path(sc.BILL_ONLY, start_of(), slow)
    r_slow = pb.run_model(base, sc.build_path(sc.QT, start_of(), slow))
    r_fast = pb.run_model(base, sc.build_path(sc.QT, start_of(), fast))
    assert 0 < r_slow.impact_bp < r_fast.impact_bp


def test_memo_shape_holds_a_year_then_sells_to_normal_in_five_years():
    path = sc.build_path(sc.MEMO_2010, start_of(), sc.PathSettings(horizon_q=40))
    x0 = path.values[0]
    assert path.values[4] == pytest.approx(x0)
    assert path.values[14] == pytest.approx(x0 + (4.0 - x0) * 10 / 20)
    assert path.values[24] == pytest.approx(4.0) and path.values[30] == pytest.approx(4.0)


def test_custom_points_are_spread_evenly_to_normal():
    settings = sc.PathSettings(horizon_q=4, custom_points=sc.parse_points("20, 10 6"))
    path = sc.build_path(sc.CUSTOM, start_of(), settings)
    assert path.values == pytest.approx((6500 / 320, 20.0, 10.0, 6.0, 4.0))


@pytest.mark.parametrize("text,words", [("12, abc", "not a number"), ("150", "0 to 100"),
                                        ("nan", "0 to 100")])
def test_bad_custom_points(text, words):
    with pytest.raises(sc.PathError, match=words):
        sc.parse_points(text)


@pytest.mark.parametrize("changes,words", [({"horizon_q": 0}, "horizon"),
                                           ({"normal_pct": -1.0}, "x̄"),
                                           ({"gdp_growth": float("inf")}, "finite"),
                                           ({"qe_mix": "gold"}, "mix")])
def test_bad_settings(changes, words):
    with pytest.raises(sc.PathError, match=words):
        sc.build_path(sc.QE, start_of(), sc.PathSettings(**changes))


@requires_shared
def test_real_history_is_plausible():
    def read(sid):
        frame = pd.read_csv(SHARED_SERIES / f"{sid}.csv", index_col=0, parse_dates=True)
        return frame.iloc[:, 0]

    treasuries, mbs, gdp = read("TREAST"), read("WSHOMCB"), read("GDP")
    hist = sc.longer_term_holdings(treasuries, mbs, gdp)
    # independent: the Wednesday of 2022-04-13, before QT: about $8.5tn over ~$25tn of GDP
    day = pd.Timestamp("2022-04-13")
    quarter_gdp = gdp.loc["2022-04-01"]
    expected = (treasuries.loc[day] + mbs.loc[day]) / 1000 / quarter_gdp * 100
    assert hist.pct_gdp.loc[day] == pytest.approx(expected)
    assert 30 < hist.pct_gdp.loc[day] < 40
    assert hist.pct_gdp.loc["2007-06-27"] < 7  # before the crisis: Treasuries only, ~5 %
    pace = sc.mbs_paydown_pace(mbs)
    assert 5 < pace < 30  # MBS paydowns, billions a month, since 2023
