"""Callbacks of the playbooks: the balance-sheet chart with the episode bands, per theme."""

from __future__ import annotations

from dash import Input, Output, callback

from dashboard import ids as app_ids
from dashboard.analytics.overview import OverviewState
from dashboard.figures.overview import overview_figure
from dashboard.pages.playbook import ids
from dashboard.studies import memo_page
from dashboard.views import load_view

CHART_STATE = OverviewState(overlays=(), range="MAX", netliq=True)


def playbook_figure(theme: object):
    """WALCL and net liquidity over their whole history with every episode shaded."""
    theme = theme if theme in ("light", "dark") else "light"

    def build():
        view, _ = load_view(CHART_STATE)
        return overview_figure(view, theme)

    return memo_page(("playbook-figure", theme), build)


@callback(
    Output(ids.GRAPH, "figure"), Input(ids.KIND_STORE, "data"), Input(app_ids.THEME_STORE, "data")
)
def update_graph(_kind, theme):
    return playbook_figure(theme)
