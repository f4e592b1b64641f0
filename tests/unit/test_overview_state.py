"""Overview view state: URL parsing with fallbacks, round trips, control values, windows."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.analytics.overview import (
    DEFAULT_OVERLAYS,
    DEFAULT_STATE,
    MAX_OVERLAYS,
    MODES,
    RANGE_PRESETS,
    OverviewState,
    parse_state,
    resolve_series_id,
    state_from_controls,
    state_to_query,
    window_for,
)
from dashboard.catalog import SERIES
from dashboard.episodes import Episode, load_episodes

EPISODES = load_episodes()


def _query(search: str) -> dict:
    """Query values the way Dash pages hands them to layout()."""
    from urllib.parse import parse_qs

    parsed = parse_qs(search.lstrip("?"), keep_blank_values=True)
    return {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}


def test_ovs001_empty_query_gives_defaults_without_notice():
    state, notices = parse_state({}, EPISODES)
    assert state == DEFAULT_STATE
    assert state.overlays == ("TLT", "BAMLH0A0HYM2", "BTC-USD", "LBMA_GOLD_PM_USD")
    assert notices == []


def test_ovs002_documented_example_url():
    state, notices = parse_state(
        _query("?overlays=TLT,BTC-USD&range=10Y&rebase=1&log=0&mode=stacked&episodes=1"), EPISODES
    )
    assert notices == []
    assert state.overlays == ("TLT", "BTC-USD")
    assert (state.range, state.rebase, state.log, state.mode, state.episodes) == (
        "10Y",
        "start",
        False,
        "stacked",
        True,
    )


def test_ovs003_friendly_aliases_resolve_to_catalog_ids():
    # The issue's own example says "BTC"; users type labels and any case.
    assert resolve_series_id("BTC") == "BTC-USD"
    assert resolve_series_id("btc-usd") == "BTC-USD"
    assert resolve_series_id("Gold") == "LBMA_GOLD_PM_USD"
    assert resolve_series_id("hy oas") == "BAMLH0A0HYM2"
    assert resolve_series_id("nope") is None
    state, notices = parse_state({"overlays": "btc,tlt"}, EPISODES)
    assert state.overlays == ("BTC-USD", "TLT") and notices == []


@pytest.mark.parametrize(
    ("search", "field", "expected"),
    [
        ("?range=7Y", "range", "MAX"),
        ("?range=", "range", "MAX"),
        ("?mode=spiral", "mode", "axes"),
        ("?log=maybe", "log", False),
        ("?episodes=2", "episodes", True),
        ("?rebase=yesterday", "rebase", "off"),
        ("?range=EPISODE&episode=QE9", "range", "MAX"),
        ("?rebase=episode", "rebase", "start"),
        ("?range=1Y&range=3Y", "range", "MAX"),
    ],
)
def test_ovs004_bad_values_fall_back_with_a_notice(search, field, expected):
    state, notices = parse_state(_query(search), EPISODES)
    assert getattr(state, field) == expected
    assert notices, "the user must be told the link was not understood"


def test_ovs005_unknown_overlays_are_dropped_and_named():
    state, notices = parse_state({"overlays": "TLT,<script>alert(1)</script>,ZZZ"}, EPISODES)
    assert state.overlays == ("TLT",)
    assert len(notices) == 1 and "ZZZ" in notices[0]
    # Only garbage: the defaults, not an empty chart.
    state, notices = parse_state({"overlays": "ZZZ"}, EPISODES)
    assert state.overlays == DEFAULT_OVERLAYS and notices


def test_ovs006_overlays_dedupe_cap_and_special_ids():
    ids = [s.id for s in SERIES if s.id not in ("WALCL", "NETLIQ")]
    state, notices = parse_state({"overlays": ",".join(["TLT", "TLT"] + ids)}, EPISODES)
    assert len(state.overlays) == MAX_OVERLAYS
    assert len(set(state.overlays)) == MAX_OVERLAYS
    assert any("At most" in n for n in notices)
    # WALCL is always drawn; NETLIQ in the list turns on the net-liquidity line.
    state, notices = parse_state({"overlays": "WALCL,NETLIQ,TLT"}, EPISODES)
    assert state.overlays == ("TLT",) and state.netliq and notices == []
    # An empty list is a valid choice: WALCL alone.
    state, notices = parse_state({"overlays": ""}, EPISODES)
    assert state.overlays == () and notices == []


def test_ovs007_mode_rebase_alias():
    state, notices = parse_state({"mode": "rebase"}, EPISODES)
    assert (state.mode, state.rebase, notices) == ("axes", "start", [])


def test_ovs008_episode_only_kept_when_used():
    state, _ = parse_state({"episode": "QT2"}, EPISODES)
    assert state.episode is None  # unused: two identical views must compare equal
    state, notices = parse_state({"range": "episode", "episode": "qt2"}, EPISODES)
    assert (state.range, state.episode, notices) == ("EPISODE", "QT2", [])


states = st.builds(
    OverviewState,
    overlays=st.lists(
        st.sampled_from([s.id for s in SERIES if s.id not in ("WALCL", "NETLIQ")]),
        unique=True,
        max_size=MAX_OVERLAYS,
    ).map(tuple),
    range=st.sampled_from([r for r in RANGE_PRESETS if r != "EPISODE"]),
    rebase=st.sampled_from(["off", "start"]),
    log=st.booleans(),
    mode=st.sampled_from(MODES),
    episodes=st.booleans(),
    netliq=st.booleans(),
    episode=st.none(),
)


@settings(max_examples=150, deadline=None)
@given(states)
def test_ovs009_query_string_round_trips(state):
    parsed, notices = parse_state(_query(state_to_query(state)), EPISODES)
    assert notices == []
    assert parsed == state


def test_ovs010_episode_state_round_trips():
    state = OverviewState(range="EPISODE", rebase="episode", episode="QE3")
    assert parse_state(_query(state_to_query(state)), EPISODES) == (state, [])


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            ["overlays", "range", "rebase", "log", "mode", "episodes", "netliq", "episode"]
        ),
        st.one_of(st.text(max_size=40), st.lists(st.text(max_size=8))),
    )
)
def test_ovs011_any_query_parses_to_a_valid_state(query):
    state, _ = parse_state(query, EPISODES)
    assert state.range in RANGE_PRESETS and state.mode in MODES
    assert state.rebase in ("off", "start", "episode")
    assert len(state.overlays) <= MAX_OVERLAYS
    assert (state.range == "EPISODE" or state.rebase == "episode") == (state.episode is not None)


def test_ovs012_controls_with_garbage_become_a_valid_state():
    state, notices = state_from_controls(None, 5, ["x"], "yes", {}, None, 3, 7, EPISODES)
    assert state.range == DEFAULT_STATE.range and state.mode == "axes"
    assert state.overlays == () and state.log is False
    state, notices = state_from_controls(
        ["TLT", 3, None], "3Y", "start", True, "stacked", True, False, "QE1", EPISODES
    )
    assert notices == []
    assert (state.overlays, state.range, state.rebase, state.log, state.mode) == (
        ("TLT",),
        "3Y",
        "start",
        True,
        "stacked",
    )


def _episode(start: date, end: date | None) -> Episode:
    return Episode("X", "X", "QE", None, start, start, end, "d", "https://example.org")


def test_ovs013_windows_are_anchored_at_the_last_observation():
    first, last = date(2002, 12, 18), date(2026, 8, 21)
    assert window_for("1Y", first, last) == (date(2025, 8, 21), last)
    assert window_for("10Y", first, last) == (date(2016, 8, 21), last)
    assert window_for("MAX", first, last) == (first, last)
    # Presets longer than the history stop at its start.
    assert window_for("10Y", date(2020, 1, 1), last) == (date(2020, 1, 1), last)
    # Around an episode: a year either side, cut at the last observation.
    episode = _episode(date(2017, 10, 1), date(2019, 7, 31))
    assert window_for("EPISODE", first, last, episode) == (date(2016, 10, 1), date(2020, 7, 31))
    ongoing = _episode(date(2025, 12, 12), None)
    assert window_for("EPISODE", first, last, ongoing) == (date(2024, 12, 12), last)
    # Leap day anchors move to the 28th rather than failing.
    assert window_for("1Y", first, date(2024, 2, 29)) == (date(2023, 2, 28), date(2024, 2, 29))
