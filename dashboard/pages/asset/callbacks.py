"""Callbacks of the asset deep dive: the chart against WALCL, redrawn for the theme."""

from __future__ import annotations

from dash import Input, Output, callback
from dash.exceptions import PreventUpdate

from dashboard import ids as app_ids
from dashboard.analytics.overview import OverviewState
from dashboard.catalog import is_known
from dashboard.figures.common import message_figure
from dashboard.figures.liquidity import contributions_figure
from dashboard.figures.overview import overview_figure
from dashboard.pages.asset import ids
from dashboard.studies import memo_page
from dashboard.views import load_contributions, load_view

MAIN_ID = "WALCL"
NETLIQ_ID = "NETLIQ"
CONTRIBUTION_WEEKS = 52


def chart_state(series_id: str) -> OverviewState:
    """The Overview's state for this asset: WALCL with the asset on its own axis (net
    liquidity on WALCL's axis; WALCL alone for WALCL), full history, episodes shaded."""
    if series_id == MAIN_ID:
        return OverviewState(overlays=(), range="MAX")
    if series_id == NETLIQ_ID:
        return OverviewState(overlays=(), range="MAX", netliq=True)
    return OverviewState(overlays=(series_id,), range="MAX")


def asset_figure(series_id: object, theme: object):
    theme = theme if theme in ("light", "dark") else "light"
    if not is_known(series_id):
        return message_figure("Unknown series.", theme)

    def build():
        view, _ = load_view(chart_state(series_id))
        return overview_figure(view, theme)

    return memo_page(("asset-figure", series_id, theme), build)


@callback(
    Output(ids.GRAPH, "figure"), Input(ids.SERIES_STORE, "data"), Input(app_ids.THEME_STORE, "data")
)
def update_graph(series_id, theme):
    return asset_figure(series_id, theme)


@callback(
    Output(ids.CONTRIBUTIONS, "figure"),
    Input(ids.SERIES_STORE, "data"),
    Input(app_ids.THEME_STORE, "data"),
)
def update_contributions(series_id, theme):
    """Net liquidity's deep dive only: a year of weekly changes split by component."""
    if series_id != NETLIQ_ID:
        raise PreventUpdate
    theme = theme if theme in ("light", "dark") else "light"
    return memo_page(
        ("netliq-contributions", theme),
        lambda: contributions_figure(load_contributions(CONTRIBUTION_WEEKS), theme),
    )
