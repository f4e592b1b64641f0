"""Data: every catalog series with its units, source, owner, freshness and status.

This is where users check how fresh each number is and who owns it (attribution).
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html

from dashboard.catalog import SERIES, SeriesInfo
from dashboard.components import status_badge
from dashboard.data import SeriesData, get_store

dash.register_page(__name__, path="/data", name="Data", title="Data · Fed Liquidity", order=5)

TABLE = "data-table"
REFRESH_BUTTON = "data-refresh-button"
REFRESH_NOTE = "data-refresh-note"

SOURCE_NAMES = {"fred": "FRED", "yahoo": "Yahoo Finance", "lbma": "LBMA", "derived": "derived"}


def _row(info: SeriesInfo, data: SeriesData) -> html.Tr:
    status = data.status
    return html.Tr(
        [
            html.Td(html.A(html.Code(info.id), href=f"/asset/{info.id}", title="Deep dive")),
            html.Td([html.Div(info.name), html.Small(info.description, className="text-muted")]),
            html.Td(info.category),
            html.Td(info.units),
            html.Td(info.frequency),
            html.Td(f"{SOURCE_NAMES[info.source]} {info.source_id}"),
            html.Td(f"{status.last_date:%Y-%m-%d}" if status.last_date else "—"),
            html.Td(f"{len(data.values):,}"),
            html.Td(
                [status_badge(status), html.Div(html.Small(status.source))]
                + (
                    [html.Div(html.Small(status.message, className="text-muted"))]
                    if status.message
                    else []
                )
            ),
            html.Td(html.Small(info.owner)),
        ],
        id={"type": "data-row", "series": info.id},
    )


def build_table() -> dbc.Table:
    store = get_store()
    header = html.Thead(
        html.Tr(
            [
                html.Th(h)
                for h in (
                    "ID",
                    "Series",
                    "Category",
                    "Units",
                    "Freq.",
                    "Source",
                    "Last obs.",
                    "Rows",
                    "Status",
                    "Owner / attribution",
                )
            ]
        )
    )
    rows = [_row(info, store.get(info.id)) for info in SERIES]
    return dbc.Table(
        [header, html.Tbody(rows)], bordered=False, hover=True, responsive=True, size="sm", id=TABLE
    )


def layout(**_query) -> html.Div:
    store = get_store()
    mode = "offline (DASHBOARD_OFFLINE=1)" if store.settings.offline else "online"
    folder = store.settings.data_dir or "not set"
    return html.Div(
        [
            html.H2("Data"),
            html.P(
                [
                    f"Mode: {mode}. Data folder: {folder}. ",
                    "Each series comes from the newest of: the cache of live fetches, the data "
                    "folder, or the bundled Federal Reserve snapshot.",
                ],
                className="text-muted",
            ),
            html.Div(
                [
                    dbc.Button(
                        "Refresh from sources",
                        id=REFRESH_BUTTON,
                        size="sm",
                        color="secondary",
                        disabled=store.settings.offline,
                        title=(
                            "Off: the app runs offline (DASHBOARD_OFFLINE=1)"
                            if store.settings.offline
                            else "Fetch every series from its source now"
                        ),
                    ),
                    html.Span(id=REFRESH_NOTE, className="ms-2 small"),
                ],
                className="mb-2",
            ),
            build_table(),
            html.P(
                "ICE, Moody's, S&P, LBMA and Yahoo data belong to their owners and may not be "
                "republished; Federal Reserve data is public domain (credit the Board of "
                "Governors, the New York Fed and FRED).",
                className="small text-muted",
            ),
        ]
    )


@callback(
    Output(REFRESH_NOTE, "children"), Input(REFRESH_BUTTON, "n_clicks"), prevent_initial_call=True
)
def request_refresh(n_clicks):
    """Queue a background refresh; the page never waits on the network."""
    store = get_store()
    if store.settings.offline:
        return "Offline mode: nothing to refresh."
    store.request_refresh([s.id for s in SERIES if s.source != "derived"])
    return "Refresh started in the background; reload this page in a minute."
