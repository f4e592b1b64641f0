"""The Triggers page's layout: phase banner, summary, one card per trigger, the history
modal (opened at once by `?open=<trigger id>`) and the freshness panel."""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.analytics import triggers as engine
from dashboard.components import freshness_panel, graph_config, live_token, live_updates, url_notice
from dashboard.pages.triggers.cards import card_grid, phase_banner, summary_line
from dashboard.pages.triggers.gauges import message_json
from dashboard.pages.triggers.ids import (
    FRESHNESS,
    GRID,
    HISTORY_CLOSE,
    HISTORY_DETAILS,
    HISTORY_GRAPH,
    HISTORY_MODAL,
    HISTORY_TITLE,
    LIVE,
    NOTICE,
    READINGS_STORE,
    SELECTED_STORE,
)
from dashboard.pages.triggers.readings import gather


def _history_modal(selected: str | None) -> dbc.Modal:
    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle(id=HISTORY_TITLE)),
            dbc.ModalBody(
                [
                    dcc.Loading(
                        dcc.Graph(
                            id=HISTORY_GRAPH,
                            figure=message_json("Choose a trigger."),
                            config=graph_config("trigger-history"),
                        ),
                        type="default",
                    ),
                    html.Div(id=HISTORY_DETAILS),
                ]
            ),
            dbc.ModalFooter(dbc.Button("Close", id=HISTORY_CLOSE, color="secondary", n_clicks=0)),
        ],
        id=HISTORY_MODAL,
        is_open=selected is not None,
        size="xl",
        scrollable=True,
    )


def layout(open: str | None = None, **_query) -> html.Div:  # noqa: A002 - the URL key
    """The page; `open` (URL `?open=`) names a trigger whose history opens at once."""
    since = live_token()  # before anything reads data: see components.live_values
    head = [
        html.H2("Liquidity triggers"),
        html.P(
            "The signals that have pushed the Fed back into expanding its balance sheet: how "
            "close each is to firing, how fast it is moving, and when it last fired.",
            className="text-muted",
        ),
    ]
    try:
        triggers = engine.load_triggers()
    except (OSError, ValueError) as exc:
        return html.Div(
            head
            + [dbc.Alert(f"The triggers file could not be read: {exc}", color="danger", id=NOTICE)]
        )
    known = {t.id for t in triggers}
    notice = None
    selected = open if isinstance(open, str) and open in known else None
    if open is not None and selected is None:
        shown = str(open)[:40]
        notice = url_notice(f"There is no trigger '{shown}'; showing all triggers.")
    readings, phase, datas = gather(triggers, date.today())
    grid = dbc.Row(card_grid(readings), id=GRID, className="g-3")
    return html.Div(
        head
        + [
            html.Div(notice, id=NOTICE),
            live_updates(LIVE, since),  # "Fetching 2 of 5: …" while a shown series is on its way
            phase_banner(phase),
            summary_line(readings),
            grid,
            dcc.Store(id=READINGS_STORE, data=[r.to_json() for r in readings]),
            dcc.Store(id=SELECTED_STORE, data=selected),
            _history_modal(selected),
            html.H6("Freshness", className="mt-3"),
            freshness_panel(datas.values(), notice_id=FRESHNESS),
        ]
    )
