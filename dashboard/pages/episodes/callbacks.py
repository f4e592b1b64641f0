"""Callbacks of the Episodes page: the path chart for the chosen asset, and the address bar
following the asset and the window."""

from __future__ import annotations

from dash import Input, Output, callback, clientside_callback

from dashboard import ids as app_ids
from dashboard.analytics import event_study as es
from dashboard.data import get_store
from dashboard.episodes import main_episodes
from dashboard.figures.event_study import paths_figure
from dashboard.pages.episodes.ids import ASSET, EVENT_TABS, PATHS, URL_SYNC
from dashboard.pages.episodes.state import DEFAULT_ASSET, STUDY_ASSETS, shown_label, study_assets


@callback(Output(PATHS, "figure"), Input(ASSET, "value"), Input(app_ids.THEME_STORE, "data"))
def update_paths(asset_id, theme):
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
    return paths_figure(paths, episodes, medians, label, rebased, unit, theme)


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
    Output(URL_SYNC, "children"),
    Input(ASSET, "value"),
    Input(EVENT_TABS, "active_tab"),
)
