"""The Scenarios page's controls: URL values and wrong-typed browser values fall back to
defaults with a notice; a valid URL round-trips; the callbacks answer junk with a message."""

from __future__ import annotations

import importlib

import pytest


@pytest.fixture(autouse=True)
def state(dash_app):
    """The page's state module (importing the page package needs the app first)."""
    return importlib.import_module("dashboard.pages.scenarios.state")


def test_defaults_from_an_empty_url(state):
    controls, notices = state.from_query({})
    assert controls == state.DEFAULTS and notices == []


def test_url_round_trip(state):
    wanted = state.Controls(beta=0.98, normal=5.0, c_bp=30.0, horizon=60, growth=4.5,
                            alt1="memo2010", alt2="none", alt3="custom", qt_cap=40.0,
                            qe_amount=120.0, qe_months=18, qe_mix="mbs", custom="20 15")
    from urllib.parse import parse_qsl

    query = dict(parse_qsl(state.to_query(wanted)))
    assert query["c"] == "30" and query["T"] == "60" and "base" not in query
    controls, notices = state.from_query(query)
    assert controls == wanted and notices == []


@pytest.mark.parametrize(
    "raw,field,words",
    [
        ({"beta": "7"}, "beta", "β '7'"),
        ({"beta": "0"}, "beta", "β"),
        ({"T": "abc"}, "horizon", "T 'abc'"),
        ({"T": "12.5"}, "horizon", "T"),
        ({"alt1": "helicopter"}, "alt1", "helicopter"),
        ({"base": "custom"}, "baseline", "baseline"),
        ({"qemix": ["a", "b"]}, "qe_mix", "QE mix"),
        ({"normal": "nan"}, "normal", "x̄"),
        ({"growth": "1e400"}, "growth", "GDP growth"),
        ({"custom": "9" * 500}, "custom", "custom path"),
    ],
)
def test_bad_values_fall_back_with_a_notice(state, raw, field, words):
    controls, notices = state.from_query(raw)
    assert getattr(controls, field) == getattr(state.DEFAULTS, field)
    assert len(notices) == 1 and words in notices[0]


@pytest.mark.parametrize("junk", [None, True, [], {}, {"a": 1}, [1, 2], "", "x" * 1000, -1e308])
def test_every_control_survives_junk(state, junk):
    raw = {name: junk for name in state.URL_KEYS}
    controls, notices = state.resolve(raw)
    assert isinstance(controls, state.Controls)
    assert all(isinstance(n, str) for n in notices)


def test_callbacks_answer_junk_without_raising(snapshot_store):
    from dashboard.pages.scenarios import callbacks

    junk = ({"x": 1}, [1], "abc", None, True, 3, "zzz", None, [], -5, "1e999", 0.5, 7, 12)
    messages, table, *figures = callbacks.update_results(*junk, {"theme": 1})
    assert len(figures) == 3
    for fig in figures:
        assert fig.to_plotly_json()["data"] is not None
    history = callbacks.update_history(["bad"], None)
    assert len(history) == 5
