"""Units per series (level, changes, year-ago and 13-week changes, log): the transforms
against independent computations on the real data files, their place in the Overview's
URL, and what the prepared view and the figure say about them."""

from __future__ import annotations

import csv
import math
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from dash.exceptions import PreventUpdate

from dashboard.analytics.overview import (
    OverviewState,
    parse_state,
    state_from_controls,
    state_to_query,
)
from dashboard.analytics.units import UNITS, apply_units
from dashboard.episodes import load_episodes
from dashboard.figures.overview import GRAPH_META, overview_figure
from dashboard.views import load_view
from tests.conftest import REAL_SERIES, find_component, requires_series


def _rows(series_id: str) -> list[tuple[date, float]]:
    """The file's observations with the csv module alone ("." and blanks skipped)."""
    with open(REAL_SERIES / f"{series_id}.csv", newline="") as handle:
        rows = []
        for r in csv.DictReader(handle):
            try:
                value = float(r[series_id])
            except ValueError:
                continue
            rows.append((date.fromisoformat(r["observation_date"]), value))
    return rows


def _series(rows: list[tuple[date, float]]) -> pd.Series:
    return pd.Series(
        [v for _, v in rows], index=pd.DatetimeIndex([pd.Timestamp(d) for d, _ in rows])
    )


def _by_loop(rows, day: date, lag_days: int) -> float | None:
    """The last value on or before `day - lag_days`, by walking the rows."""
    then = None
    for d, v in rows:
        if d <= day - timedelta(days=lag_days):
            then = v
    return then


@requires_series("WALCL")
def test_unt001_walcl_year_ago_percent_by_hand():
    rows = _rows("WALCL")
    got = apply_units(_series(rows), "pc1")
    values = dict(rows)
    for day in (date(2021, 3, 3), date(2023, 1, 4), rows[-1][0]):
        then = _by_loop(rows, day, 365)
        expected = (values[day] / then - 1.0) * 100.0
        assert got[pd.Timestamp(day)] == pytest.approx(expected, rel=1e-12)
    # WALCL started 2002-12-18: a year-ago change needs a year of data
    assert got[: pd.Timestamp(rows[0][0] + timedelta(days=364))].isna().all()
    assert got[pd.Timestamp(rows[0][0] + timedelta(days=371)) :].notna().all()
    # March 2021 (QE4): the balance sheet was ~80 % bigger than a year before
    assert 70 < got[pd.Timestamp(date(2021, 3, 3))] < 90


@requires_series("BTC-USD", "RRPONTSYD")
@pytest.mark.parametrize(
    ("series_id", "code", "lag"), [("BTC-USD", "ch1", 365), ("RRPONTSYD", "c13", 91)]
)
def test_unt002_calendar_changes_match_merge_asof(series_id, code, lag):
    rows = _rows(series_id)
    frame = pd.DataFrame({"date": [d for d, _ in rows], "now": [v for _, v in rows]})
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    frame["key"] = (frame["date"] - pd.Timedelta(days=lag)).astype("datetime64[ns]")
    earlier = frame[["date", "now"]].rename(columns={"date": "key", "now": "then"})
    joined = pd.merge_asof(frame, earlier, on="key", direction="backward")
    expected = (joined["now"] - joined["then"]).to_numpy()
    got = apply_units(_series(rows), code).to_numpy()
    assert np.allclose(got, expected, equal_nan=True, rtol=0, atol=1e-9)
    assert np.isfinite(got).sum() > 0.8 * len(got)


@requires_series("WALCL")
def test_unt003_previous_observation_changes_and_log():
    rows = _rows("WALCL")
    series = _series(rows)
    chg, pch, log = (apply_units(series, c) for c in ("chg", "pch", "log"))
    for i in (1, 500, len(rows) - 1):
        (_, before), (day, now) = rows[i - 1], rows[i]
        assert chg[pd.Timestamp(day)] == pytest.approx(now - before, abs=1e-9)
        assert pch[pd.Timestamp(day)] == pytest.approx((now / before - 1) * 100, rel=1e-12)
        assert log[pd.Timestamp(day)] == pytest.approx(math.log(now), rel=1e-15)
    assert math.isnan(chg.iloc[0]) and math.isnan(pch.iloc[0])
    assert apply_units(series, "lin").equals(series)


def test_unt004_no_look_ahead_and_no_division_by_nothing():
    days = pd.to_datetime(["2020-01-01", "2020-06-01", "2021-01-01", "2021-01-02", "2021-06-01"])
    values = pd.Series([10.0, 0.0, 12.0, -3.0, 6.0], index=days)
    pc1 = apply_units(values, "pc1")
    # 2021-01-01 against 2020-01-01 (365 days before, on the day): +20 %
    assert pc1["2021-01-01"] == pytest.approx(20.0)
    # 2021-06-01 against 2020-06-01, which was 0: no percentage
    assert math.isnan(pc1["2021-06-01"])
    # what comes later never changes an earlier value
    assert apply_units(values[:3], "pc1").equals(pc1[:3])
    assert math.isnan(apply_units(values, "log")["2021-01-02"])
    assert apply_units(values, "ch1")["2021-01-02"] == pytest.approx(-13.0)


def test_unt005_url_round_trip_and_links_without_units():
    episodes = load_episodes()
    state, notices = parse_state(
        {"overlays": "NETLIQ,BTC-USD,TLT", "units": "netliq:PC1,BTC:pc1,TLT:lin"}, episodes
    )
    assert notices == []
    assert state.units == (("NETLIQ", "pc1"), ("BTC-USD", "pc1"))
    assert state.unit("TLT") == "lin" and state.unit("BTC-USD") == "pc1"
    query = state_to_query(state)
    assert query.endswith("&units=NETLIQ:pc1,BTC-USD:pc1")
    again, again_notices = parse_state(
        dict(part.split("=", 1) for part in query.lstrip("?").split("&")), episodes
    )
    assert again == state and again_notices == []
    plain, _ = parse_state({"overlays": "TLT"}, episodes)
    assert plain.units == () and "units" not in state_to_query(plain)
    # every code of the table survives the trip
    for unit in UNITS[1:]:
        one, _ = parse_state({"overlays": "TLT", "units": f"TLT:{unit.code}"}, episodes)
        assert one.unit("TLT") == unit.code
        assert parse_state({"units": state_to_query(one).split("units=")[1]}, episodes)[0]


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        ("BTC-USD:yoy", "'yoy' for BTC-USD"),
        ("NOPE:pc1", "'NOPE:pc1'"),
        ("pc1", "'pc1'"),
        (":::", "':::'"),
        ("BTC-USD:" + "x" * 500, "BTC-USD"),
        ("<b>BTC</b>:pc1", "'<b>BTC</b>:pc1'"),
    ],
)
def test_unt006_bad_units_in_the_url_are_ignored_with_a_notice(raw, said):
    state, notices = parse_state({"overlays": "BTC-USD", "units": raw}, load_episodes())
    assert state.units == () and state.overlays == ("BTC-USD",)
    assert len(notices) == 1 and said in notices[0] and len(notices[0]) < 200


def test_unt007_units_of_a_series_not_drawn_and_forged_control_values():
    episodes = load_episodes()
    state, notices = parse_state({"overlays": "TLT", "units": "GLD:pc1,TLT:chg"}, episodes)
    assert state.units == (("TLT", "chg"),) and notices == []
    args = (["TLT"], "MAX", "off", False, "axes", True, False, None, episodes)
    for forged in ([1, 2], 42, {"TLT": ["pc1"]}, {3: "pc1"}, None, ""):
        forged_state, _ = state_from_controls(*args, units=forged)
        assert forged_state.units == ()
    mapped, _ = state_from_controls(*args, units={"TLT": "pc1", "WALCL": "lin"})
    assert mapped.units == (("TLT", "pc1"),)


@requires_series("WALCL", "WTREGEN", "RRPONTSYD", "BTC-USD")
def test_unt008_the_yoy_view_draws_what_the_units_say(snapshot_store):
    state = OverviewState(
        overlays=("BTC-USD",),
        netliq=True,
        units=(("NETLIQ", "pc1"), ("BTC-USD", "pc1")),
        range="5Y",
        rebase="start",
        log=True,
    )
    view, datas = load_view(state, snapshot_store)
    lines = {line.series_id: line for line in view.lines}
    btc = lines["BTC-USD"]
    assert btc.units == "% change from a year ago" and btc.unit == "pc1"
    # the plotted Bitcoin points are the year-ago % changes of the served daily closes
    served = apply_units(datas["BTC-USD"].values, "pc1")
    assert np.allclose(btc.values.to_numpy(), served.reindex(btc.values.index).to_numpy())
    # WALCL stays a level: rebased; the transformed lines are not, and the notice says so
    assert lines["WALCL"].units.startswith("Index, 100")
    assert any("Not rebased" in n and "Bitcoin" in n for n in view.notices)
    assert any("log scale applies to levels only" in n for n in view.notices)
    fig = overview_figure(view, validate=True).to_plotly_json()
    titles = {
        k: v["title"]["text"]
        for k, v in fig["layout"].items()
        if k.startswith("yaxis") and "title" in v
    }
    assert "Levels rebased, index, 100 = " in titles["yaxis"]
    assert "Net liquidity, % change from a year ago" in titles.values()
    assert "Bitcoin, % change from a year ago" in titles.values()
    assert fig["layout"]["yaxis"]["type"] == "log"
    assert all(fig["layout"][k]["type"] == "linear" for k in titles if k != "yaxis")
    hovers = [t["hovertemplate"] for t in fig["data"] if t.get("meta") == GRAPH_META]
    assert sum("% change from a year ago" in h for h in hovers) == 2


@requires_series("WALCL")
def test_unt009_a_change_of_walcl_reads_in_billions(snapshot_store):
    view, datas = load_view(OverviewState(overlays=(), units=(("WALCL", "c13"),)), snapshot_store)
    main = view.main
    assert main.units == "13-week change, Billions of U.S. Dollars"
    # millions in the file → billions on the axis
    raw = apply_units(datas["WALCL"].values, "c13") / 1e3
    day = main.values.index[-1]
    assert main.values[day] == pytest.approx(raw[day])
    fig = overview_figure(view, validate=True)
    assert fig.layout.yaxis.title.text == "Fed balance sheet (WALCL), 13-week change, $ billions"


@pytest.fixture
def page(dash_app, snapshot_store):
    import importlib

    return importlib.import_module("dashboard.pages.overview")


def _controls(overlays: list[str], range_: str, netliq: bool = False) -> tuple:
    """The Overview's control values in callback order: rebasing, log, layout, bands, net
    liquidity, episode, theme."""
    return (overlays, range_, "off", False, "axes", True, netliq, None, "light")


def _query(search: str) -> dict:
    return dict(part.split("=", 1) for part in search.lstrip("?").split("&"))


@requires_series("WALCL", "WTREGEN", "RRPONTSYD", "BTC-USD")
def test_unt010_the_units_menu_and_the_chart_callback(page):
    # the page opened from a link: the menu shows the first series with a unit
    tree = page.layout(overlays="NETLIQ,BTC-USD", units="NETLIQ:pc1,BTC-USD:pc1")
    assert find_component(tree, "overview-units-series").value == "NETLIQ"
    assert find_component(tree, "overview-units").value == "pc1"
    assert find_component(tree, "overview-units-store").data == {"NETLIQ": "pc1", "BTC-USD": "pc1"}

    # picking a unit for a series: stored; picking another series shows its own unit
    call = page.units_choice
    store, shown = call("overview-units", "BTC-USD", "ch1", {"NETLIQ": "pc1"})
    assert store == {"NETLIQ": "pc1", "BTC-USD": "ch1"}
    assert call("overview-units-series", "NETLIQ", "ch1", store)[1] == "pc1"
    assert call("overview-units", "BTC-USD", "lin", store)[0] == {"NETLIQ": "pc1"}
    forged_calls = (
        ("overview-units", "BTC-USD", "yoy", store),
        ("overview-units", 3, "pc1", []),
        ("overview-units", ["BTC-USD"], "pc1", store),
        ("overview-units", "BTC-USD", ["pc1"], {"x": [1]}),
    )
    for forged in forged_calls:
        with pytest.raises(PreventUpdate):
            call(*forged)
    # a forged store never reaches the menu or the chart
    assert call("overview-units-series", "BTC-USD", None, {"BTC-USD": {"a": 1}})[1] == "lin"
    assert call("overview-units", "TLT", "chg", {"BTC-USD": [1], 5: "pc1"})[0] == {"TLT": "chg"}
    options, value = page.units_series(["TLT"], False, "BTC-USD")
    assert [o["value"] for o in options] == ["WALCL", "TLT"] and value == "WALCL"
    # the chart follows the store and writes the units into the URL
    fig, _, search, notice, _ = page.update_chart(
        *_controls(["BTC-USD"], "5Y", netliq=True), units={"NETLIQ": "pc1", "BTC-USD": "pc1"}
    )
    assert _query(search)["units"] == "NETLIQ:pc1,BTC-USD:pc1"
    titles = [a.title.text for a in (fig.layout.yaxis2, fig.layout.yaxis3)]
    assert titles == [
        "Net liquidity, % change from a year ago",
        "Bitcoin, % change from a year ago",
    ]


@requires_series("WALCL", "BTC-USD")
def test_unt011_the_server_side_csv_export_honours_the_units(page):
    import base64

    data, _ = page.export_download("csv", *_controls(["BTC-USD"], "3Y"), units={"BTC-USD": "pc1"})
    text = base64.b64decode(data["content"]).decode()
    rows = [r for r in csv.reader(text.splitlines()) if r and not r[0].startswith("#")]
    assert rows[0][2] == "BTC-USD (% change from a year ago)"
    btc = _rows("BTC-USD")
    expected = apply_units(_series(btc), "pc1")
    checked = 0
    for row in rows[1:]:
        if row[2]:
            assert float(row[2]) == pytest.approx(expected[pd.Timestamp(row[0])], rel=1e-12)
            checked += 1
    assert checked > 300


@requires_series("WALCL", "BTC-USD")
def test_unt012_the_export_command_takes_units(snapshot_store, tmp_path, capsys):
    from dashboard.__main__ import main as cli_main

    out = tmp_path / "yoy.csv"
    args = ["export", "--overlays", "BTC-USD", "--range", "3Y", "--out", str(out)]
    assert cli_main(args + ["--units", "BTC-USD:pc1"]) == 0
    header = next(line for line in out.read_text().splitlines() if line.startswith("date,"))
    assert header.endswith("BTC-USD (% change from a year ago)")
    assert cli_main(args + ["--units", "BTC-USD:yoy"]) == 2
    assert "'yoy' for BTC-USD" in capsys.readouterr().err


@requires_series("WALCL")
def test_unt013_nothing_is_called_rebased_when_no_line_is_a_level(snapshot_store):
    from dashboard.export import chart_title, view_csv

    changed = OverviewState(overlays=(), rebase="start", units=(("WALCL", "pc1"),))
    view, _ = load_view(changed, snapshot_store)
    assert view.rebase_date is None and view.main.units == "% change from a year ago"
    assert "# Rebased" not in view_csv(view) and "rebased" not in chart_title(view)
    assert view.notices == (
        "Not rebased (rebasing applies to levels only): Fed balance sheet (% change from a "
        "year ago).",
    )
    level, _ = load_view(OverviewState(overlays=(), rebase="start"), snapshot_store)
    assert level.rebase_date is not None and "# Rebased" in view_csv(level)


@requires_series("WALCL", "BTC-USD")
def test_unt014_the_file_name_says_which_lines_are_not_levels(page):
    data, _ = page.export_download("csv", *_controls(["BTC-USD"], "3Y"), units={"BTC-USD": "pc1"})
    assert data["filename"].startswith("walcl-vs-btc-pc1-") and data["filename"].endswith(".csv")
    data, _ = page.export_download("csv", *_controls(["BTC-USD"], "3Y"), units={"WALCL": "c13"})
    assert data["filename"].startswith("walcl-c13-vs-btc-")
    data, _ = page.export_download("csv", *_controls(["BTC-USD"], "3Y"))
    assert data["filename"].startswith("walcl-vs-btc-2")  # levels: the name as before
