"""The controls that describe an Overview view, named as `state_from_controls` takes them:
one list for the chart callback, the export callback and the functions tests call."""

from __future__ import annotations

from dash import Input

from dashboard.analytics.overview import OverviewState, state_from_controls
from dashboard.episodes import load_episodes
from dashboard.pages.overview.ids import (
    DATE_FROM,
    DATE_TO,
    EPISODE,
    EPISODES,
    FOMC,
    H41,
    LOG,
    MODE,
    NETLIQ,
    OVERLAYS,
    RANGE,
    REBASE,
    RECESSIONS,
    UNITS_STORE,
)

# name -> (component id, property)
VIEW_CONTROLS: dict[str, tuple[str, str]] = {
    "overlays": (OVERLAYS, "value"),
    "range_": (RANGE, "value"),
    "rebase": (REBASE, "value"),
    "log": (LOG, "value"),
    "mode": (MODE, "value"),
    "episodes": (EPISODES, "value"),
    "netliq": (NETLIQ, "value"),
    "episode": (EPISODE, "value"),
    "date_from": (DATE_FROM, "value"),
    "date_to": (DATE_TO, "value"),
    "recessions": (RECESSIONS, "value"),
    "fomc": (FOMC, "value"),
    "h41": (H41, "value"),
    "units": (UNITS_STORE, "data"),
}


def view_control_deps(kind=Input) -> dict:
    """The controls as a group of callback dependencies (Input, or State for a callback that
    only reads them); the callback receives them as one dict."""
    return {name: kind(*ref) for name, ref in VIEW_CONTROLS.items()}


def view_state(controls: dict) -> tuple[OverviewState, list[str]]:
    """The view the control values describe (raw values from the browser: anything invalid
    falls back to the default, with a notice)."""
    values = controls if isinstance(controls, dict) else {}
    return state_from_controls(
        **{name: values.get(name) for name in VIEW_CONTROLS}, known_episodes=load_episodes()
    )
