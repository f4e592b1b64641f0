"""Overview numbers on small hand-written series: thinning, rebasing, the view pipeline,
headline cards and the regime, each checked against arithmetic done by hand."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics.overview import (
    OverviewState,
    SeriesInput,
    change_over,
    derive_regime,
    export_basename,
    headline_cards,
    prepare_view,
    rebase_to_100,
    series_slug,
    thin_weekly,
    wednesdays,
)
from dashboard.catalog import get_info
from dashboard.data.align import wednesday_grid
from dashboard.episodes import Episode


def _series(pairs: dict[str, float]) -> pd.Series:
    return pd.Series(
        list(pairs.values()),
        index=pd.DatetimeIndex(pd.to_datetime(list(pairs)), name="date"),
        dtype="float64",
    )


def _weekly(values, start="2020-01-01") -> pd.Series:
    index = pd.date_range(start, periods=len(values), freq="7D", name="date")  # Wednesdays
    return pd.Series(np.asarray(values, dtype="float64"), index=index)


def _daily(values, start="2020-01-01") -> pd.Series:
    index = pd.bdate_range(start, periods=len(values), name="date")
    return pd.Series(np.asarray(values, dtype="float64"), index=index)


def _input(series_id: str, values: pd.Series) -> SeriesInput:
    return SeriesInput(get_info(series_id), values, values.index[-1].date(), "fresh", "test")


def test_ova001_wednesdays_match_the_data_layer_grid():
    for start, end in [
        (date(2002, 12, 18), date(2026, 8, 21)),
        (date(2024, 1, 4), date(2024, 1, 9)),
    ]:
        assert wednesdays(start, end).equals(wednesday_grid(pd.Timestamp(start), pd.Timestamp(end)))


def test_ova002_weekly_thinning_takes_each_weeks_last_real_observation():
    # Thu 2024-01-04 .. Wed 2024-01-17, with Wednesday 2024-01-10 missing (a holiday).
    s = _series(
        {
            "2024-01-04": 1.0,
            "2024-01-08": 2.0,
            "2024-01-09": 3.0,
            "2024-01-11": 4.0,
            "2024-01-12": 5.0,
            "2024-01-17": 6.0,
            "2024-01-18": 7.0,
        }
    )
    thinned = thin_weekly(s, date(2024, 1, 1), date(2024, 1, 24))
    # Week to Wed 01-10: last observation is Tue 01-09 (3.0); to 01-17: the 01-17 value;
    # Wed 01-03: nothing in its week yet; Wed 01-24: 01-18's 7.0 (6 days old, same week).
    assert thinned.to_dict() == {
        pd.Timestamp("2024-01-10"): 3.0,
        pd.Timestamp("2024-01-17"): 6.0,
        pd.Timestamp("2024-01-24"): 7.0,
    }
    # Never invents: every value is an observation, each used at most once.
    assert set(thinned) <= set(s) and thinned.is_unique


def test_ova003_weekly_thinning_leaves_empty_weeks_empty():
    s = _series({"2024-01-02": 1.0, "2024-01-30": 2.0})
    thinned = thin_weekly(s, date(2024, 1, 1), date(2024, 1, 31))
    assert thinned.to_dict() == {pd.Timestamp("2024-01-03"): 1.0, pd.Timestamp("2024-01-31"): 2.0}


def test_ova004_rebase_divides_by_first_value_on_or_after_anchor():
    s = _series({"2024-01-01": 50.0, "2024-01-03": 80.0, "2024-01-05": 120.0})
    rebased, base_day = rebase_to_100(s, date(2024, 1, 2))
    assert base_day == date(2024, 1, 3)
    assert rebased.tolist() == [62.5, 100.0, 150.0]
    assert rebase_to_100(s, date(2024, 2, 1)) is None
    # A series that starts long after the anchor has no value "at" it.
    assert rebase_to_100(s, date(2023, 12, 1)) is None
    assert rebase_to_100(s, date(2023, 12, 27))[1] == date(2024, 1, 1)
    assert rebase_to_100(_series({"2024-01-01": 0.0, "2024-01-02": 1.0}), date(2024, 1, 1)) is None


def _view(state: OverviewState, series: dict[str, pd.Series], episodes=()):
    return prepare_view({k: _input(k, v) for k, v in series.items()}, state, episodes)


def test_ova005_view_scales_walcl_to_trillions_and_keeps_overlay_units():
    walcl = _weekly([7_000_000, 7_100_000, 7_050_000])
    tlt = _daily([90.0, 91.0, 92.0, 93.0, 94.0, 95.0, 96.0, 97.0, 98.0, 99.0, 100.0])
    view = _view(OverviewState(overlays=("TLT",), range="MAX"), {"WALCL": walcl, "TLT": tlt})
    main, overlay = view.lines
    assert main.units == "Trillions of U.S. Dollars"
    assert main.values.tolist() == [7.0, 7.1, 7.05]
    assert overlay.units == "U.S. Dollars per share"
    assert overlay.values.equals(tlt)  # short window: daily points as published
    assert (view.start, view.end) == (date(2020, 1, 1), tlt.index[-1].date())


def test_ova006_long_windows_thin_daily_series_but_not_weekly_ones():
    days = pd.bdate_range("2014-01-01", "2020-12-31", name="date")
    tlt = pd.Series(np.arange(len(days), dtype="float64") + 1.0, index=days)
    walcl = pd.Series(
        4_000_000.0, index=pd.date_range("2014-01-01", "2020-12-30", freq="W-WED", name="date")
    )
    view = _view(OverviewState(overlays=("TLT",), range="MAX"), {"WALCL": walcl, "TLT": tlt})
    main, overlay = view.lines
    assert len(main.values) == len(walcl)
    expected = thin_weekly(tlt, view.start, view.end)
    assert overlay.values.equals(expected)
    assert overlay.sampling.startswith("weekly")
    # A 3-year window of the same data keeps every daily point.
    short = _view(OverviewState(overlays=("TLT",), range="3Y"), {"WALCL": walcl, "TLT": tlt})
    assert len(short.lines[1].values) == int((tlt.index >= pd.Timestamp(short.start)).sum())


def test_ova007_rebase_at_range_start_against_independent_arithmetic():
    walcl = _weekly([4_000_000, 5_000_000, 6_000_000, 8_000_000])
    btc = _daily(
        [
            10.0,
            20.0,
            40.0,
            5.0,
            80.0,
            160.0,
            20.0,
            30.0,
            40.0,
            50.0,
            60.0,
            70.0,
            80.0,
            90.0,
            100.0,
            110.0,
        ]
    )
    view = _view(
        OverviewState(overlays=("BTC-USD",), rebase="start"), {"WALCL": walcl, "BTC-USD": btc}
    )
    main, overlay = view.lines
    assert main.values.tolist() == [100.0, 125.0, 150.0, 200.0]
    assert overlay.values.tolist() == [round(v / 10.0 * 100, 4) for v in btc]
    assert main.units.startswith("Index, 100 = first value on/after 2020-01-01")
    assert view.rebase_date == date(2020, 1, 1)


def test_ova008_rebase_at_an_episode_start_before_the_window():
    walcl = _weekly(list(range(1, 400)), start="2012-01-04") * 1_000_000
    episode = Episode(
        "E",
        "E",
        "QT",
        None,
        date(2012, 6, 6),
        date(2012, 6, 6),
        date(2012, 12, 26),
        "d",
        "https://example.org",
    )
    state = OverviewState(overlays=(), range="1Y", rebase="episode", episode="E")
    view = _view(state, {"WALCL": walcl}, [episode])
    base = float(walcl[walcl.index >= pd.Timestamp("2012-06-06")].iloc[0])
    expected = (walcl / base * 100).round(4)
    expected = expected[expected.index >= pd.Timestamp(view.start)]
    assert view.lines[0].values.tolist() == expected.tolist()
    assert view.lines[0].values.iloc[0] > 100  # base is years before the visible window


def test_ova009_unrebasable_and_missing_series_are_left_out_with_notices():
    walcl = _weekly([4_000_000, 5_000_000])
    spread = _daily([0.0, -0.5, 0.3, 0.4])  # 10Y-2Y at zero: no index possible
    view = prepare_view(
        {"WALCL": _input("WALCL", walcl), "T10Y2Y": _input("T10Y2Y", spread)},
        OverviewState(overlays=("T10Y2Y", "TLT"), rebase="start"),
        [],
    )
    assert [line.series_id for line in view.lines] == ["WALCL"]
    assert any("10Y-2Y cannot be rebased" in n for n in view.notices)
    assert any("TLT" in n for n in view.notices)


def test_ova010_log_notice_for_non_positive_values():
    walcl = _weekly([4_000_000, 5_000_000])
    spread = _daily([0.5, -0.5, 0.3])
    view = _view(OverviewState(overlays=("T10Y2Y",), log=True), {"WALCL": walcl, "T10Y2Y": spread})
    assert any("linear" in n for n in view.notices)


def test_ova011_export_names_say_what_is_shown():
    walcl = _weekly([4_000_000] * 600, start="2015-01-07")
    tlt = _daily(np.linspace(90, 100, 3000), start="2015-01-01")
    btc = _daily(np.linspace(1, 2, 3000), start="2015-01-01")
    view = _view(
        OverviewState(overlays=("TLT", "BTC-USD"), range="10Y"),
        {"WALCL": walcl, "TLT": tlt, "BTC-USD": btc},
    )
    assert export_basename(view) == f"walcl-vs-tlt-btc-{view.start.year}-{view.end.year}"
    assert series_slug("BAMLH0A0HYM2") == "hy-oas"
    assert series_slug("LBMA_GOLD_PM_USD") == "gold"


def test_ova012_change_over_uses_the_value_as_of_the_earlier_date():
    s = _weekly([100.0, 110.0, 120.0, 130.0, 125.0])
    week = change_over(s, 7)
    assert (week.absolute, round(week.percent, 6)) == (-5.0, round((125 / 130 - 1) * 100, 6))
    month = change_over(s, 28)
    assert month.absolute == 25.0
    assert change_over(s, 91) is None  # no observation that far back


def test_ova013_headline_cards_in_display_units():
    walcl = _weekly([6_000_000 + 1_000 * i for i in range(14)])
    rrp = _daily([300.0, 250.0, 200.0, 150.0, 100.0, 90.0])
    cards = {c.series_id: c for c in headline_cards({"WALCL": walcl, "RRPONTSYD": rrp})}
    w = cards["WALCL"]
    assert (w.value, w.units, w.as_of) == (6.013, "$ tn", walcl.index[-1].date())
    assert [(c.days, c.absolute) for c in w.changes] == [(7, 1.0), (91, 13.0)]  # $ bn
    r = cards["RRPONTSYD"]
    # Latest 90 (Mon 2020-01-08); a week earlier is Wed 2020-01-01: 300.
    assert (r.value, r.units, r.changes[0].absolute) == (90.0, "$ bn", -210.0)
    assert cards["WRESBAL"].value is None and cards["WRESBAL"].as_of is None


EP_RMP = Episode(
    "RMPX",
    "Bill buying",
    "RMP",
    None,
    date(2020, 1, 1),
    date(2020, 1, 1),
    None,
    "d",
    "https://example.org",
)
EP_QT = Episode(
    "QTX",
    "Runoff",
    "QT",
    None,
    date(2020, 1, 1),
    date(2020, 1, 1),
    None,
    "d",
    "https://example.org",
)


@pytest.mark.parametrize(
    ("t_start", "t_end", "m_start", "m_end", "episodes", "label", "named"),
    [
        # Securities −2%: runoff.
        (1000, 980, 1000, 980, [], "QT", None),
        # Flat within ±0.5%.
        (1000, 1002, 1000, 999, [], "Neutral", None),
        # MBS bought too: QE.
        (1000, 1030, 1000, 1020, [], "QE", None),
        # Treasuries only, +2%: bill purchases (reserve management).
        (1000, 1050, 1000, 990, [], "Reserve management", None),
        # Treasuries only but +10%: QE at that pace (QE2-like).
        (1000, 1220, 1000, 980, [], "QE", None),
        # The episodes file agrees: it names the regime.
        (1000, 1050, 1000, 990, [EP_RMP], "Reserve management", "RMPX"),
        # The file says QT but holdings grow: the data wins, the file is not named.
        (1000, 1050, 1000, 990, [EP_QT], "Reserve management", None),
    ],
)
def test_ova014_regime_from_holdings(t_start, t_end, m_start, m_end, episodes, label, named):
    weeks = 14
    treasuries = _weekly(np.linspace(t_start, t_end, weeks), start="2020-01-01") * 1000
    mbs = _weekly(np.linspace(m_start, m_end, weeks), start="2020-01-01") * 1000
    regime = derive_regime(treasuries, mbs, episodes)
    assert regime.label == label
    assert (regime.episode.id if regime.episode else None) == named
    pct = ((t_end + m_end) / (t_start + m_start) - 1) * 100
    assert regime.securities_pct == pytest.approx(pct)
    assert regime.treasury_bn == pytest.approx(t_end - t_start)
    assert regime.as_of == treasuries.index[-1].date()
    if episodes and named is None:
        assert "does not bear out" in regime.explanation


def test_ova015_regime_needs_thirteen_weeks():
    short = _weekly([1.0, 2.0, 3.0])
    regime = derive_regime(short, short, [])
    assert regime.direction == "unknown" and regime.securities_pct is None
    assert regime.label == "Unknown"  # not "Neutral": too little data is no evidence of calm
    missing = derive_regime(pd.Series(dtype="float64"), short, [])
    assert missing.direction == "unknown" and missing.label == "Unknown"
