"""The Overview's own window (URL `from`/`to`, typed dates, zoom): parsing, the relayout
events Plotly sends, the window it gives, and rebasing at its start, on hand-written series."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics.overview import (
    RESET_WINDOW,
    OverviewState,
    SeriesInput,
    parse_day,
    parse_state,
    prepare_view,
    state_from_controls,
    state_to_query,
    window_for,
    window_from_relayout,
)
from dashboard.catalog import get_info


def _weekly(values, start="2012-01-04") -> pd.Series:
    index = pd.date_range(start, periods=len(values), freq="7D", name="date")
    return pd.Series(np.asarray(values, dtype="float64"), index=index)


def _daily(start: str, end: str, first: float = 100.0) -> pd.Series:
    index = pd.bdate_range(start, end, name="date")
    return pd.Series(first + np.arange(len(index), dtype="float64"), index=index)


def _input(series_id: str, values: pd.Series) -> SeriesInput:
    return SeriesInput(get_info(series_id), values, values.index[-1].date(), "fresh", "test")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2020-03-15", date(2020, 3, 15)),
        ("2020-3-5", date(2020, 3, 5)),
        ("2020-03", date(2020, 3, 1)),
        ("2020", date(2020, 1, 1)),
        (" 2020-01-31 ", date(2020, 1, 31)),
        ("2020-01-06 12:34:56.789", date(2020, 1, 6)),  # what Plotly reports after a drag
        ("2020-02-30", None),
        ("1066-10-14", None),
        ("9999-01-01", None),
        ("yesterday", None),
        ("", None),
        (None, None),
        (20200101, None),
    ],
)
def test_ovw001_typed_dates(raw, expected):
    assert parse_day(raw) == expected


def test_ovw002_from_and_to_round_trip_through_the_url():
    state, notices = parse_state({"from": "2020", "to": "2024-06-30", "rebase": "1"}, [])
    assert notices == []
    assert (state.date_from, state.date_to) == (date(2020, 1, 1), date(2024, 6, 30))
    query = state_to_query(state)
    assert "&from=2020-01-01&to=2024-06-30" in query
    again, _ = parse_state(dict(p.split("=") for p in query.lstrip("?").split("&")), [])
    assert again == state
    # No window in the URL: none written, so old links stay as they were.
    assert "from=" not in state_to_query(OverviewState())


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"from": "soon"}, "from='soon'"),
        ({"to": "1800-01-01"}, "to='1800-01-01'"),
        ({"from": "2024-01-01", "to": "2020-01-01"}, "start must come before the end"),
        ({"from": "2020-01-01", "to": "2020-01-01"}, "start must come before the end"),
    ],
)
def test_ovw003_bad_windows_are_dropped_with_a_notice(query, words):
    state, notices = parse_state(query, [])
    assert state.date_from is None and state.date_to is None
    assert any(words in n for n in notices)


def test_ovw004_typed_values_go_through_the_same_checks():
    state, notices = state_from_controls(
        ["TLT"], "MAX", "off", False, "axes", True, False, None, [], "2020-01", "garbage"
    )
    assert state.date_from == date(2020, 1, 1) and state.date_to is None
    assert any("to='garbage'" in n for n in notices)


@pytest.mark.parametrize(
    ("relayout", "expected"),
    [
        (
            {"xaxis.range[0]": "2020-01-02 03:04:05", "xaxis.range[1]": "2021-05-06"},
            (date(2020, 1, 2), date(2021, 5, 6)),
        ),
        (
            {"xaxis.range": ["2019-12-31", "2022-01-01 00:00:00.5"]},
            (date(2019, 12, 31), date(2022, 1, 1)),
        ),
        (
            {"xaxis3.range[0]": "2018-01-01", "xaxis3.range[1]": "2019-01-01"},
            (date(2018, 1, 1), date(2019, 1, 1)),
        ),  # a zoom in a stacked panel
        ({"xaxis.autorange": True}, RESET_WINDOW),
        ({"xaxis.autorange": True, "yaxis.autorange": True}, RESET_WINDOW),
        ({"autosize": True}, None),
        ({"yaxis.range[0]": 1, "yaxis.range[1]": 2}, None),
        ({"xaxis.range[0]": "2021-01-01", "xaxis.range[1]": "2020-01-01"}, None),
        ({"xaxis.range[0]": "nonsense", "xaxis.range[1]": 5}, None),
        ({"xaxis.range": "2020"}, None),
        (None, None),
        ([1, 2], None),
    ],
)
def test_ovw005_zoom_and_range_slider_events(relayout, expected):
    assert window_from_relayout(relayout) == expected


def test_ovw006_window_replaces_the_preset_and_stays_within_the_data():
    first, last = date(2002, 12, 18), date(2026, 8, 21)
    assert window_for("MAX", first, last, None, date(2020, 1, 1), None) == (date(2020, 1, 1), last)
    assert window_for("1Y", first, last, None, date(2020, 1, 1), date(2021, 1, 1)) == (
        date(2020, 1, 1),
        date(2021, 1, 1),
    )
    assert window_for("MAX", first, last, None, date(1990, 1, 1), date(2030, 1, 1)) == (first, last)
    # Entirely after the data: the preset again.
    assert window_for("5Y", first, last, None, date(2027, 1, 1), None) == window_for(
        "5Y", first, last
    )


def test_ovw007_rebase_at_the_visible_start_names_what_cannot_be_rebased():
    """Max + rebase, zoomed to 2013: WALCL is 100 on the first week of 2013, and Bitcoin
    (first price 2014-09-17 in Yahoo's history) is named and left out, not silently
    rebased elsewhere. Zoomed to 2020, Bitcoin is back, 100 at its first 2020 close."""
    walcl = _weekly(np.linspace(3e6, 8e6, 760))  # 2012-01-04 .. 2026-07
    btc = _daily("2014-09-17", "2026-07-01", first=400.0)
    inputs = {"WALCL": _input("WALCL", walcl), "BTC-USD": _input("BTC-USD", btc)}

    state = OverviewState(overlays=("BTC-USD",), rebase="start", date_from=date(2013, 1, 1))
    view = prepare_view(inputs, state, [])
    assert view.start == date(2013, 1, 1) and view.rebase_date == date(2013, 1, 1)
    assert [line.series_id for line in view.lines] == ["WALCL"]
    base = float(walcl[walcl.index >= "2013-01-01"].iloc[0]) / 1e6
    assert view.lines[0].values.iloc[0] == pytest.approx(100.0)
    expected_last = round(float(walcl.iloc[-1]) / 1e6 * 100 / base, 4)
    assert view.lines[0].values.iloc[-1] == pytest.approx(expected_last)
    assert any("Bitcoin cannot be rebased at 2013-01-01" in n for n in view.notices)

    state = OverviewState(
        overlays=("BTC-USD",), rebase="start", date_from=date(2020, 1, 1), date_to=date(2021, 1, 1)
    )
    view = prepare_view(inputs, state, [])
    main, bitcoin = view.lines
    assert bitcoin.values.index[0] == pd.Timestamp("2020-01-01")
    assert bitcoin.values.iloc[0] == pytest.approx(100.0)
    assert bitcoin.values.index[-1] <= pd.Timestamp("2021-01-01")
    # A one-year window is short: daily points, not the weekly thinning of long windows.
    assert bitcoin.sampling == "as published"
    assert len(bitcoin.values) == len(
        btc[(btc.index >= "2020-01-01") & (btc.index <= "2021-01-01")]
    )


def test_ovw008_a_window_with_no_data_says_so_and_shows_the_preset():
    walcl = _weekly(np.linspace(3e6, 8e6, 300))  # 2012 .. 2017
    view = prepare_view(
        {"WALCL": _input("WALCL", walcl)},
        OverviewState(overlays=(), range="1Y", date_from=date(2020, 1, 1)),
        [],
    )
    assert view.end == walcl.index[-1].date()
    assert any("No data between 2020-01-01" in n and "1Y range" in n for n in view.notices)
