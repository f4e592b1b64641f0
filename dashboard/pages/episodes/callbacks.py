"""Callbacks of the Episodes page: the path chart for the chosen asset, the tables redrawn when
a background fetch lands (the layout draws them first), polling while any of the page's series
is being fetched, and the address bar following the asset and the window."""

from __future__ import annotations

from dash import Input, Output, State, callback, clientside_callback

from dashboard import ids as app_ids
from dashboard.analytics import event_study as es
from dashboard.components import (
    is_phone,
    live_outputs,
    live_values,
    register_live_updates,
    register_viewport,
)
from dashboard.data import get_store
from dashboard.episodes import main_episodes
from dashboard.figures.event_study import paths_figure
from dashboard.pages.episodes import ids
from dashboard.pages.episodes.layout import study_parts
from dashboard.pages.episodes.state import (
    BALANCE_SHEET,
    DEFAULT_ASSET,
    STUDY_ASSETS,
    resolve_query,
    shown_label,
    study_assets,
)


@callback(
    Output(ids.PATHS, "figure"),
    Input(ids.ASSET, "value"),
    Input(app_ids.THEME_STORE, "data"),
    Input(ids.LIVE.landed, "data"),  # a background fetch landed: draw again
    Input(ids.VIEWPORT, "data"),
)
def update_paths(asset_id, theme, _landed=None, viewport=None):
    """The path chart for the chosen asset."""
    asset_id = asset_id if asset_id in STUDY_ASSETS else DEFAULT_ASSET
    asset = next(a for a in study_assets() if a.id == asset_id)
    values = get_store().get(asset_id).values
    episodes = main_episodes()
    paths = es.episode_paths(values, asset, episodes)
    medians = {
        kind: es.median_path(paths, [e.id for e in episodes if e.kind == kind])
        for kind in ("QE", "QT")
    }
    rebased = asset.change_kind == es.LOG
    unit = es.change_unit(asset.change_kind, asset.units)[1]
    label = asset.label if paths.dropna(how="all").empty else shown_label(asset.id)
    return paths_figure(
        paths, episodes, medians, label, rebased, unit, theme, narrow=is_phone(viewport)
    )


@callback(
    Output(ids.EPISODES_BODY, "children"),
    Output(ids.EVENT_BODY, "children"),
    Output(ids.CLAIMS_BODY, "children"),
    Output(ids.FRESHNESS, "children"),
    Input(ids.LIVE.landed, "data"),
    State(ids.EVENT_TABS, "active_tab"),
    prevent_initial_call=True,
)
def refill_tables(_landed, window):
    """The tables and the freshness panel again, with the series that have landed."""
    return study_parts(resolve_query(None, window)[1])


@callback(*live_outputs(ids.LIVE), Input(ids.ASSET, "value"), State(ids.LIVE.since, "data"))
def live_study(_asset, since=None):
    """Poll while any series of the page is being fetched (the asset only fires it on load)."""
    return live_values((BALANCE_SHEET,) + STUDY_ASSETS, since)


register_live_updates(ids.LIVE)
register_viewport(ids.VIEWPORT)


clientside_callback(
    """function(asset, windowKey) {
        if (!window.location.pathname.endsWith('/episodes')) {
            return window.dash_clientside.no_update;
        }
        const params = new URLSearchParams({asset: asset || 'SPY', window: windowKey || '12m'});
        const target = window.location.pathname + '?' + params.toString();
        if (window.location.pathname + window.location.search !== target) {
            window.history.replaceState(window.history.state, '', target + window.location.hash);
        }
        return '';
    }""",
    Output(ids.URL_SYNC, "children"),
    Input(ids.ASSET, "value"),
    Input(ids.EVENT_TABS, "active_tab"),
)
