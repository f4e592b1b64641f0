"""Event-study rules on small hand-written series and episodes: which observation is used at a
date, the windows, the units, n/a reasons, paths, medians and claim verdicts."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics import event_study as es
from dashboard.catalog import get_info, is_known
from dashboard.episodes import Episode


def _series(pairs: dict[str, float]) -> pd.Series:
    index = pd.DatetimeIndex(pd.to_datetime(list(pairs)), name="date")
    return pd.Series(list(pairs.values()), index=index, dtype="float64")


def _episode(eid="E1", kind="QE", start="2020-03-15", end="2020-06-30") -> Episode:
    return Episode(
        id=eid,
        name=eid,
        kind=kind,
        parent=None,
        announced=date.fromisoformat(start),
        start=date.fromisoformat(start),
        end=date.fromisoformat(end) if end else None,
        description="",
        source_url="https://example.invalid/",
    )


PRICE = es.Asset("PX", "Price", "log", "U.S. Dollars per share")
YIELD = es.Asset("YLD", "Yield", "diff", "Percent")


def test_evs001_observation_at_is_last_on_or_before_within_a_week():
    s = _series({"2020-03-13": 100.0, "2020-03-16": 90.0, "2020-04-30": 120.0})
    used = es.observation_at(s, date(2020, 3, 15))  # a Sunday: Friday's close
    assert (used.date, used.value) == (date(2020, 3, 13), 100.0)
    assert es.observation_at(s, date(2020, 3, 16)).value == 90.0
    assert es.observation_at(s, date(2020, 3, 12)) is None  # before the first observation
    assert es.observation_at(s, date(2020, 4, 15)) is None  # 30 days after the last one used
    assert es.observation_at(s, date(2020, 5, 1)) is None  # after the series ends
    assert es.observation_at(s, date(2020, 4, 30)).value == 120.0


def test_evs002_window_dates_use_calendar_months_and_ongoing_runs_to_the_data():
    episode = _episode(start="2020-01-31", end="2020-12-31")
    assert es.window_dates(episode, "3m", date(2026, 1, 1)) == (
        date(2020, 1, 31),
        date(2020, 4, 30),
    )
    assert es.window_dates(episode, "12m", date(2026, 1, 1))[1] == date(2021, 1, 31)
    assert es.window_dates(episode, "end", date(2026, 1, 1))[1] == date(2020, 12, 31)
    ongoing = _episode(end=None)
    assert es.window_dates(ongoing, "end", date(2026, 8, 21))[1] == date(2026, 8, 21)


def test_evs003_price_change_is_the_ratio_of_the_two_closes():
    s = _series({"2020-03-13": 80.0, "2020-06-30": 100.0, "2020-09-15": 110.0})
    change = es.event_change(s, PRICE, _episode(), "end")
    assert change.change == pytest.approx((100.0 / 80.0 - 1) * 100)
    assert change.unit == "%"
    assert (change.start.date, change.end.date) == (date(2020, 3, 13), date(2020, 6, 30))
    assert not change.to_date


def test_evs004_yield_change_is_in_basis_points():
    s = _series({"2020-03-13": 0.94, "2020-06-15": 0.71, "2020-06-30": 0.66})
    change = es.event_change(s, YIELD, _episode(), "end")
    assert change.change == pytest.approx(-28.0)
    assert change.unit == "bp"


def test_evs005_na_reasons_say_why():
    late = _series({"2021-01-04": 10.0, "2021-12-31": 20.0})
    before = es.event_change(late, PRICE, _episode(), "12m")
    assert before.change is None and "starts 2021-01-04" in before.reason
    short = _series({"2020-03-13": 10.0, "2020-07-01": 12.0})
    beyond = es.event_change(short, PRICE, _episode(), "6m")
    assert beyond.change is None and "after the last Price observation" in beyond.reason
    assert beyond.start.value == 10.0
    gap = _series({"2020-03-13": 10.0, "2020-05-01": 11.0, "2020-07-01": 12.0})
    hole = es.event_change(gap, PRICE, _episode(), "end")  # 2020-06-30: last obs 60 days old
    assert hole.change is None and "within 7 days" in hole.reason
    empty = es.event_change(pd.Series(dtype="float64"), PRICE, _episode(), "end")
    assert empty.change is None and "no Price data" in empty.reason


def test_evs006_ongoing_episode_is_measured_to_date():
    s = _series({"2025-12-12": 50.0, "2026-08-20": 55.0})
    change = es.event_change(s, PRICE, _episode(start="2025-12-12", end=None), "end")
    assert change.to_date
    assert change.end.date == date(2026, 8, 20)
    assert change.change == pytest.approx(10.0)


def test_evs007_event_study_covers_every_cell_in_order():
    episodes = [_episode("A"), _episode("B", "QT", "2021-01-04", "2021-06-30")]
    s = _series({"2020-03-13": 1.0, "2021-12-31": 2.0})
    cells = es.event_study({"PX": s}, [PRICE, YIELD], episodes)
    assert len(cells) == 2 * 2 * 4
    assert [(c.episode_id, c.asset_id, c.window) for c in cells[:5]] == [
        ("A", "PX", "end"),
        ("A", "PX", "3m"),
        ("A", "PX", "6m"),
        ("A", "PX", "12m"),
        ("A", "YLD", "end"),
    ]
    assert all(not c.available for c in cells if c.asset_id == "YLD")  # no series given
    frame = es.event_frame(cells)
    assert list(frame.columns[:3]) == ["episode", "asset", "window"]
    assert len(frame) == 16


def test_evs008_paths_rebase_to_100_and_stop_at_the_data_end():
    days = pd.date_range("2019-12-01", "2020-09-30", freq="D")
    values = np.linspace(50.0, 150.0, days.size)
    s = pd.Series(values, index=pd.DatetimeIndex(days, name="date"))
    path = es.episode_path(s, PRICE, date(2020, 3, 15))
    start_value = s.loc["2020-03-15"]
    assert path.loc[0] == pytest.approx(100.0)
    assert path.loc[30] == pytest.approx(s.loc["2020-04-14"] / start_value * 100)
    assert path.loc[-91] == pytest.approx(s.loc["2019-12-15"] / start_value * 100)
    last_day = (pd.Timestamp("2020-09-30") - pd.Timestamp("2020-03-15")).days
    assert path.loc[:last_day].notna().all()
    assert path.loc[last_day + 1 :].isna().all()
    bp = es.episode_path(s / 100, YIELD, date(2020, 3, 15))
    assert bp.loc[0] == 0
    assert bp.loc[30] == pytest.approx(s.loc["2020-04-14"] - start_value)  # /100 × 100 bp
    assert es.episode_path(s, PRICE, date(2019, 1, 1)).isna().all()


def test_evs009_median_needs_two_paths():
    paths = pd.DataFrame(
        {"A": [100.0, 110.0, np.nan], "B": [100.0, 90.0, 95.0], "C": [100.0, 130.0, np.nan]},
        index=pd.Index([0, 1, 2], name="days"),
    )
    median = es.median_path(paths, ["A", "B", "C"])
    assert median.tolist()[:2] == [100.0, 110.0]
    assert np.isnan(median.iloc[2])  # only B has data on day 2
    assert es.median_path(paths, ["A", "B"]).iloc[1] == pytest.approx(100.0)
    assert es.median_path(paths, ["Z"]).isna().all()


def _cell(eid: str, change: float | None, asset="PX", window="12m") -> es.EventChange:
    return es.EventChange(
        eid,
        asset,
        window,
        date(2020, 1, 1),
        date(2021, 1, 1),
        None,
        None,
        change,
        "%",
        "" if change is not None else "no data",
    )


def test_evs010_claim_ranges_and_verdicts():
    claim = es.Claim("c", "PX", "gains of 15–35 %", 12, 15.0, 35.0, "%")
    assert claim.contains(15.0) and claim.contains(35.0) and not claim.contains(35.01)
    holds = es.check_claim(claim, [_cell("A", 20.0), _cell("B", 30.0)])
    assert holds.verdict == es.HOLDS
    partly = es.check_claim(claim, [_cell("A", 20.0), _cell("B", 5.0), _cell("C", None)])
    assert partly.verdict == es.PARTLY
    assert [c.episode_id for c in partly.inside] == ["A"]
    assert [c.episode_id for c in partly.missing] == ["C"]
    assert (partly.low, partly.high) == (5.0, 20.0)
    assert len(partly.same_direction) == 2
    fails = es.check_claim(claim, [_cell("A", 50.0), _cell("B", -3.0)])
    assert fails.verdict == es.FAILS
    assert es.check_claim(claim, [_cell("A", None)]).verdict == es.NO_DATA
    # Cells of other assets or windows are ignored.
    assert es.check_claim(claim, [_cell("A", 20.0, window="6m")]).verdict == es.NO_DATA
    assert claim.range_text() == "+15 to +35 %"


def test_evs011_compressed_means_strictly_narrower():
    claim = es.Claim("hy", "HY", "compressed", 12, None, 0.0, "bp")
    assert claim.contains(-1.0) and not claim.contains(0.0) and not claim.contains(5.0)
    assert claim.direction == -1
    assert claim.range_text() == "below 0 bp"
    weaker = es.Claim("usd", "USD", "weaker", 12, -15.0, -5.0, "%")
    assert weaker.range_text() == "−15 to −5 %"
    assert weaker.direction == -1


def test_evs012_claims_file_parses_and_names_catalog_series(tmp_path):
    claims = es.episodes_page_claims()
    assert {c.id for c in claims} == {"spx", "btc", "gold", "dollar", "hy"}
    for claim in claims:
        assert is_known(claim.asset_id)
        unit = es.change_unit(get_info(claim.asset_id).change_kind, get_info(claim.asset_id).units)
        assert claim.unit == unit[1], claim.id
        assert claim.horizon_months == 12
    bad = tmp_path / "claims.csv"
    bad.write_text("id,asset,claim,horizon_months,low,high,unit\nx,SPY,no bounds,12,,,%\n")
    with pytest.raises(ValueError, match="needs a low or a high"):
        es.parse_claims(bad)


def test_evs013_paths_figure_labels_units_and_keeps_episode_colours():
    from dashboard.figures.event_study import paths_figure

    episodes = [
        _episode("QEa", "QE", "2020-01-01"),
        _episode("QEb", "QE", "2021-01-01"),
        _episode("QTa", "QT", "2022-01-01"),
        _episode("RMPa", "RMP", "2023-01-01"),
    ]
    index = pd.Index([-1, 0, 1], name="days")
    paths = pd.DataFrame(
        {
            "QEa": [np.nan] * 3,
            "QEb": [99.0, 100.0, 103.0],
            "QTa": [101.0, 100.0, 98.0],
            "RMPa": [100.0, 100.0, 100.0],
        },
        index=index,
    )
    medians = {"QE": es.median_path(paths, ["QEa", "QEb"]), "QT": es.median_path(paths, ["QTa"])}
    fig = paths_figure(paths, episodes, medians, "Gold", True, "%")
    names = [t.name for t in fig.data]
    assert "QEa (2020-01)" not in names  # no data, no line
    assert not any(n.startswith("Median") for n in names)  # one path is not a median
    assert "No QE or QT median" in fig.layout.annotations[0].text
    assert fig.layout.yaxis.title.text == "Gold, rebased: start = 100"
    assert fig.layout.xaxis.title.text == "Months from the episode start"
    rmp = next(t for t in fig.data if t.name.startswith("RMPa"))
    assert rmp.visible == "legendonly"
    # QEb keeps the colour of the second QE episode even though QEa has no data.
    qeb = next(t for t in fig.data if t.name.startswith("QEb"))
    both = paths.assign(QEa=[98.0, 100.0, 101.0])
    fig_both = paths_figure(both, episodes, medians, "Gold", True, "%")
    assert qeb.line.color == next(t for t in fig_both.data if t.name.startswith("QEb")).line.color
    bp = paths_figure(paths - 100, episodes, medians, "HY OAS", False, "bp")
    assert bp.layout.yaxis.title.text == "HY OAS, change from start (bp)"
