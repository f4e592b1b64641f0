"""Net liquidity explained on the Overview: the "What moved it" button on the net-liquidity
card opens the weekly change split into WALCL, TGA and RRP (stacked bars), and the line
under the chart that says when the next H.4.1 is expected."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import ids as app_ids
from dashboard.analytics.releases import SCHEDULE_URL, ExpectedRelease
from dashboard.components import graph_config
from dashboard.figures.liquidity import contributions_figure
from dashboard.pages.overview.ids import (
    CONTRIBUTIONS,
    CONTRIBUTIONS_HOLDER,
    LIVE,
    WHAT_MOVED,
    WHAT_MOVED_COLLAPSE,
)
from dashboard.views import load_contributions

WEEKS = 26


def what_moved_button() -> dbc.Button:
    """On the net-liquidity card: opens (and closes) the contribution chart below the cards."""
    return dbc.Button(
        "What moved it ▾",
        id=WHAT_MOVED,
        color="secondary",
        outline=True,
        size="sm",
        className="mt-1 py-0",
        title="Net liquidity's weekly change split into WALCL, TGA and RRP",
    )


def what_moved_panel() -> dbc.Collapse:
    """Closed at first; the chart is built only when it is opened (no hidden, empty plot
    on the page before that)."""
    return dbc.Collapse(
        dbc.Card(
            [
                dbc.CardHeader(
                    [
                        html.Strong("What moved net liquidity"),
                        html.Small(
                            f" · weekly change over the last {WEEKS} weeks, $ bn: ΔWALCL − ΔTGA"
                            " − ΔRRP (Wednesday values; RRP as of the Wednesday)",
                            className="text-muted",
                        ),
                    ]
                ),
                dbc.CardBody(html.Div(id=CONTRIBUTIONS_HOLDER, style={"minHeight": "360px"})),
            ],
            className="mb-3",
        ),
        id=WHAT_MOVED_COLLAPSE,
        is_open=False,
    )


def next_release_line(release: ExpectedRelease) -> html.Small:
    """ "Next H.4.1 (expected): Thu 2026-12-03, 4:30 p.m. ET", linked to the Fed's schedule."""
    moved = " (moved by a holiday)" if release.moved else ""
    return html.Small(
        [
            f"Next H.4.1 (expected): {release.text()}{moved} · ",
            html.A("Fed release schedule", href=SCHEDULE_URL, target="_blank", rel="noopener"),
        ],
        className="text-muted d-block mt-1",
        id="overview-next-h41",
    )


@callback(
    Output(WHAT_MOVED_COLLAPSE, "is_open"),
    Input(WHAT_MOVED, "n_clicks"),
    State(WHAT_MOVED_COLLAPSE, "is_open"),
    prevent_initial_call=True,
)
def toggle_what_moved(clicks, is_open):
    if not isinstance(clicks, int) or clicks < 1:  # a redrawn card starts at no clicks
        return no_update
    return not bool(is_open)


@callback(
    Output(CONTRIBUTIONS_HOLDER, "children"),
    Input(WHAT_MOVED_COLLAPSE, "is_open"),
    Input(app_ids.THEME_STORE, "data"),
    Input(LIVE.landed, "data"),  # newer data landed: draw again
)
def draw_what_moved(is_open, theme, _landed=None):
    """The contribution bars, built only while the panel is open."""
    if is_open is not True:
        return no_update
    theme = theme if theme in ("light", "dark") else "light"
    return dcc.Graph(
        id=CONTRIBUTIONS,
        figure=contributions_figure(load_contributions(WEEKS), theme),
        config=graph_config("netliq-weekly-contributions"),
    )
