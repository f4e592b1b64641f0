"""Net liquidity explained: the weekly WALCL, TGA and RRP contributions add up to the weekly
change of the app's own NETLIQ, and match a computation from the data files with the csv
module for chosen weeks; the figure stacks them in $ bn with the net change as a line."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics.liquidity import net_liquidity_contributions
from dashboard.figures.liquidity import AXIS_TITLE, CONTRIBUTION_META, contributions_figure
from tests.conftest import newest_offline_rows

SERIES = ("WALCL", "WTREGEN", "RRPONTSYD")


def _inputs(store):
    datas = store.get_many(SERIES)
    return [datas[sid].values for sid in SERIES]


def test_liq001_contributions_sum_to_the_weekly_change_of_netliq(snapshot_store):
    frame = net_liquidity_contributions(*_inputs(snapshot_store), weeks=520)
    assert len(frame) >= 300  # ten years of weeks, bar a few gaps
    netliq = snapshot_store.get("NETLIQ").values
    weekly = (netliq - netliq.shift(1))[netliq.index.to_series().diff().dt.days == 7] / 1000.0
    assert frame.index.isin(weekly.index).all()
    np.testing.assert_allclose(frame["net"], weekly.loc[frame.index], atol=1e-9)
    parts = frame[["walcl", "tga", "rrp"]].sum(axis=1)
    np.testing.assert_allclose(parts, frame["net"], atol=1e-9)
    assert frame.index[-1] == netliq.index[-1]  # ends on the latest week the app shows


def _rows(series_id):
    return {date.fromisoformat(d): v for d, v in newest_offline_rows(series_id)[1]}


def _rrp_asof(rrp: dict, wednesday: date) -> float:
    """RRP in $ bn as of `wednesday`: the latest operation in the week ending then, else 0."""
    recent = [d for d in rrp if wednesday - timedelta(days=6) <= d <= wednesday]
    return rrp[max(recent)] if recent else 0.0


@pytest.mark.parametrize(
    "wednesday",
    ["2020-03-25", "2021-12-29", "2022-06-15", "2023-03-15", "2024-04-17", "2025-12-31"],
)
def test_liq002_weeks_match_the_files(snapshot_store, wednesday):
    """ΔWALCL, −ΔTGA and −ΔRRP for a week, from the files read with the csv module."""
    day = date.fromisoformat(wednesday)
    before = day - timedelta(days=7)
    walcl, tga, rrp = (_rows(sid) for sid in SERIES)
    if day not in walcl or day not in tga:
        pytest.skip(f"the data at hand does not reach {day}")
    expected = {
        "walcl": (walcl[day] - walcl[before]) / 1000.0,
        "tga": -(tga[day] - tga[before]) / 1000.0,
        "rrp": -(_rrp_asof(rrp, day) - _rrp_asof(rrp, before)),
    }
    expected["net"] = sum(expected.values())
    frame = net_liquidity_contributions(*_inputs(snapshot_store), weeks=2000)
    row = frame.loc[pd.Timestamp(day)]
    for column, value in expected.items():
        assert row[column] == pytest.approx(value, abs=1e-6), column


def test_liq003_a_missing_week_is_a_gap_not_a_two_week_change():
    weeks = pd.date_range("2024-01-03", periods=5, freq="7D", name="date")
    walcl = pd.Series([7e6, 7.01e6, 7.02e6, 7.03e6, 7.05e6], index=weeks)
    tga = pd.Series([7e5, 6.9e5, np.nan, 7.2e5, 7.0e5], index=weeks)
    rrp = pd.Series([500.0, 480.0, 470.0, 450.0], index=weeks[[0, 1, 3, 4]])  # $ bn
    frame = net_liquidity_contributions(walcl, tga, rrp, weeks=10)
    assert list(frame.index) == [weeks[1], weeks[4]]
    assert frame.loc[weeks[1]].to_dict() == pytest.approx(
        {"walcl": 10.0, "tga": 10.0, "rrp": 20.0, "net": 40.0}
    )
    assert frame.loc[weeks[4], "rrp"] == pytest.approx(20.0)  # 470 → 450 bn drained less
    assert net_liquidity_contributions(walcl, tga, rrp, weeks=1).index.tolist() == [weeks[4]]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_liq004_figure_stacks_three_bars_and_the_net_line(theme):
    weeks = pd.date_range("2026-07-01", periods=3, freq="7D", name="date")
    frame = pd.DataFrame(
        {"walcl": [-11.0, 11.0, 7.4], "tga": [38.5, -106.2, 17.8], "rrp": [3.5, -2.3, 3.2]},
        index=weeks,
    )
    frame["net"] = frame.sum(axis=1)
    fig = contributions_figure(frame, theme)
    bars = [t for t in fig.data if t.type == "bar"]
    assert [t.meta for t in bars] == [CONTRIBUTION_META] * 3 and fig.layout.barmode == "relative"
    walcl, tga, _rrp = bars
    # colour follows the effect on liquidity: WALCL fell (drain) then rose (add)
    assert walcl.marker.color[0] != walcl.marker.color[1]
    assert tga.marker.color[1] != tga.marker.color[0]
    net = next(t for t in fig.data if t.type == "scatter")
    assert list(net.y) == pytest.approx(list(frame["net"]))
    assert fig.layout.yaxis.title.text == AXIS_TITLE
    empty = contributions_figure(frame.iloc[0:0], theme)
    assert not empty.data and "No weekly change" in empty.layout.annotations[0].text


def test_liq005_net_liquidity_deep_dive_shows_a_year_of_contributions(dash_app, snapshot_store):
    from dashboard.pages.asset.callbacks import update_contributions
    from dashboard.pages.asset.ids import CONTRIBUTIONS
    from dashboard.pages.asset.layout import contributions_card

    assert contributions_card("TLT") == []  # only net liquidity's page has it
    (card,) = contributions_card("NETLIQ")
    assert CONTRIBUTIONS in card.to_plotly_json().__repr__()
    fig = update_contributions("NETLIQ", "dark")
    bars = [t for t in fig["data"] if t["type"] == "bar"]
    assert len(bars) == 3 and {len(t["x"]) for t in bars} == {52}
    netliq = snapshot_store.get("NETLIQ").values
    assert bars[0]["x"][-1] == f"{netliq.index[-1]:%Y-%m-%d}"
