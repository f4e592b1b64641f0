"""The Overview's chart controls: range presets and typed window, episode, layout,
rebasing, overlay switches, the series picker and the display switches."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.analytics.overview import (
    DEFAULT_OVERLAYS,
    RANGE_LABELS,
    RANGE_PRESETS,
    OverviewState,
)
from dashboard.components import (
    segmented_radio,
)
from dashboard.episodes import Episode, load_episodes, main_episodes
from dashboard.pages.overview.ids import (
    ADD_SERIES,
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
)
from dashboard.pages.overview.search import add_series_options, overlay_options
from dashboard.pages.overview.units import units_controls

MODE_OPTIONS = [
    {"label": "Right axes", "value": "axes"},
    {"label": "Stacked panels", "value": "stacked"},
]
REBASE_OPTIONS = [
    {"label": "Off", "value": "off"},
    {"label": "Range start", "value": "start"},
    {"label": "Episode start", "value": "episode"},
]


def episode_options(episodes: list[Episode]) -> list[dict]:
    options = []
    for e in episodes:
        ends = "ongoing" if e.end is None else f"{e.end:%Y-%m}"
        prefix = "  ↳ " if e.is_phase else ""
        options.append({"label": f"{prefix}{e.name} ({e.start:%Y-%m} → {ends})", "value": e.id})
    return options


def episode_choice(raw: object) -> str | None:
    """The episode id a URL names (any case), if the file has it."""
    text = str(raw).strip().casefold() if isinstance(raw, str) else ""
    return next((e.id for e in load_episodes() if e.id.casefold() == text), None)


def default_episode() -> str | None:
    mains = main_episodes()
    return mains[-1].id if mains else None


def marker_switches(state: OverviewState) -> html.Div:
    """Dates marked on the chart: recessions, FOMC meetings, the next H.4.1. A group of its
    own in the first row, where it fits beside the rebase buttons; the "Show" row is full at
    1400 px and wrapping it would push the chart below the fold."""
    switches = [
        (RECESSIONS, "Recessions (NBER)", state.recessions),
        (FOMC, "FOMC meetings", state.fomc),
        (H41, "Next H.4.1", state.h41),
    ]
    return html.Div(
        [
            html.Label("Mark", className="overview-label"),
            html.Div(
                [
                    dbc.Switch(id=id_, label=label, value=value, className="me-3 mb-0")
                    for id_, label, value in switches
                ],
                className="d-flex flex-wrap",
            ),
        ],
        className="me-3 mb-2",
    )


def controls(state: OverviewState, episode_choice: str | None) -> html.Div:
    pool = list(dict.fromkeys(list(DEFAULT_OVERLAYS) + list(state.overlays)))
    ranges = [{"label": RANGE_LABELS[r], "value": r} for r in RANGE_PRESETS]
    return html.Div(
        [
            html.Div(
                [
                    html.Div(
                        [
                            html.Label("Range", className="overview-label"),
                            segmented_radio(RANGE, ranges, state.range),
                        ],
                        className="me-3 mb-2",
                    ),
                    date_inputs(state),
                    html.Div(
                        [
                            html.Label("Episode", className="overview-label"),
                            dcc.Dropdown(
                                id=EPISODE,
                                options=episode_options(list(load_episodes())),
                                value=state.episode or episode_choice or default_episode(),
                                clearable=False,
                                searchable=True,
                                className="overview-episode-dropdown",
                            ),
                        ],
                        className="me-3 mb-2",
                    ),
                    html.Div(
                        [
                            html.Label("Layout", className="overview-label"),
                            segmented_radio(MODE, MODE_OPTIONS, state.mode),
                        ],
                        className="me-3 mb-2",
                    ),
                    html.Div(
                        [
                            html.Label("Rebase to 100", className="overview-label"),
                            segmented_radio(REBASE, REBASE_OPTIONS, state.rebase),
                        ],
                        className="me-3 mb-2",
                    ),
                    marker_switches(state),
                ],
                className="d-flex flex-wrap align-items-end",
            ),
            html.Div(
                [
                    html.Div(
                        [
                            html.Label("Overlays", className="overview-label"),
                            dbc.Checklist(
                                id=OVERLAYS,
                                options=overlay_options(pool),
                                value=list(state.overlays),
                                inline=True,
                                switch=True,
                                className="overview-overlays",
                            ),
                        ],
                        className="me-3 mb-2",
                    ),
                    html.Div(
                        [
                            html.Label("Add a series", className="overview-label"),
                            dcc.Dropdown(
                                id=ADD_SERIES,
                                options=add_series_options(pool),
                                value=None,
                                placeholder="Search the catalog…",
                                searchable=True,
                                clearable=True,
                                search_order="original",
                                maxHeight=320,
                                className="overview-add-dropdown",
                            ),
                        ],
                        className="me-3 mb-2",
                    ),
                    units_controls(state),
                    html.Div(
                        [
                            html.Label("Show", className="overview-label"),
                            html.Div(
                                [
                                    dbc.Switch(
                                        id=LOG,
                                        label="Log scale",
                                        value=state.log,
                                        className="me-3 mb-0",
                                    ),
                                    dbc.Switch(
                                        id=NETLIQ,
                                        label="Net liquidity",
                                        value=state.netliq,
                                        className="me-3 mb-0",
                                    ),
                                    dbc.Switch(
                                        id=EPISODES,
                                        label="QE/QT bands",
                                        value=state.episodes,
                                        className="mb-0",
                                    ),
                                ],
                                className="d-flex flex-wrap",
                            ),
                        ],
                        className="mb-2",
                    ),
                ],
                className="d-flex flex-wrap align-items-end",
            ),
        ],
        className="overview-controls",
    )


def day_text(day) -> str:
    return f"{day:%Y-%m-%d}" if day else ""


def date_inputs(state: OverviewState) -> html.Div:
    """Typed window ends beside the presets; zooming the chart fills them in, a preset
    clears them. Text inputs (not a date picker) so "2020" or a pasted date just works."""

    def box(id_: str, label: str, value: str) -> html.Div:
        return html.Div(
            [
                html.Label(label, htmlFor=id_, className="overview-label"),
                dcc.Input(
                    id=id_,
                    type="text",
                    value=value,
                    debounce=True,
                    placeholder="YYYY-MM-DD",
                    inputMode="numeric",
                    autoComplete="off",
                    size="10",
                    className="form-control form-control-sm overview-date",
                ),
            ],
            className="me-2",
        )

    return html.Div(
        [
            box(DATE_FROM, "From", day_text(state.date_from)),
            box(DATE_TO, "To", day_text(state.date_to)),
        ],
        className="d-flex me-3 mb-2",
    )
