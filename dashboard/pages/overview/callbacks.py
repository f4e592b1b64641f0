"""The Overview's callbacks: controls → chart, URL and notices; zoom → window boxes; the
series picker; cards redrawn when background fetches land; copy link; viewport width."""

from __future__ import annotations

from urllib.parse import parse_qs

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, ctx, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.analytics.overview import (
    MAIN_ID,
    MAX_OVERLAYS,
    NETLIQ_ID,
    RESET_WINDOW,
    OverviewState,
    export_basename,
    parse_state,
    state_to_query,
    window_from_relayout,
)
from dashboard.catalog import is_known
from dashboard.components import (
    freshness_panel,
    graph_config,
    live_outputs,
    live_values,
    register_live_updates,
    register_viewport,
)
from dashboard.episodes import load_episodes
from dashboard.figures.overview import NARROW_PX, overview_figure
from dashboard.pages.overview.cards import CARD_SERIES, REGIME_SERIES, build_cards
from dashboard.pages.overview.controls import day_text
from dashboard.pages.overview.ids import (
    ADD_SERIES,
    CARDS,
    COPY_LINK,
    COPY_STATUS,
    DATE_FROM,
    DATE_TO,
    FRESHNESS,
    GRAPH,
    LIVE,
    OVERLAYS,
    PLOT_NOTICE,
    RANGE,
    URL,
    VIEWPORT,
)
from dashboard.pages.overview.search import (
    add_series_options,
    as_list,
    overlay_options,
    ranked_series_options,
)
from dashboard.pages.overview.view_controls import VIEW_CONTROLS, view_control_deps, view_state
from dashboard.pages.overview.what_moved import next_release_line
from dashboard.views import load_view, next_release


# ---- callbacks -------------------------------------------------------------------------------
def same_view(search: str | None, state: OverviewState) -> bool:
    """True when the URL `search` already describes `state` (then the URL is left alone, so
    loading a page does not add a history entry)."""
    text = search.lstrip("?") if isinstance(search, str) else ""
    query = {
        k: v[0] if len(v) == 1 else v for k, v in parse_qs(text, keep_blank_values=True).items()
    }
    parsed, notices = parse_state(query, load_episodes())
    return parsed == state and not notices


def update_chart(
    overlays,
    range_,
    rebase,
    log,
    mode,
    episodes,
    netliq,
    episode,
    theme,
    _landed=None,
    search=None,
    date_from=None,
    date_to=None,
    recessions=None,
    fomc=None,
    h41=None,
    units=None,
):
    """Controls → figure, camera-button file name, URL query, notices, freshness (the chart
    callback without the window boxes and live-update outputs: for tests and benchmarks)."""
    controls = {name: value for name, value in locals().items() if name in VIEW_CONTROLS}
    return chart_for(*view_state(controls), theme, search)[0]  # controls: the parameters above


def chart_for(state: OverviewState, notices: list[str], theme, search, viewport=None):
    view, datas = load_view(state, notices=notices)
    width = viewport if isinstance(viewport, int | float) and 200 <= viewport <= 10_000 else None
    fig = overview_figure(
        view,
        theme if theme in ("light", "dark") else "light",
        plot_width_px=max(width - 120, 240) if width else 1100.0,
        narrow=bool(width and width < NARROW_PX),
    )
    config = graph_config(export_basename(view) if view.lines else "walcl")
    new_search = no_update if same_view(search, state) else state_to_query(state)
    notice = (
        dbc.Alert(" ".join(view.notices), color="info", className="py-1 px-2 small mb-2")
        if view.notices
        else None
    )
    freshness = html.Div([freshness_panel(datas.values()), next_release_line(next_release())])
    return (fig, config, new_search, notice, freshness), datas


@callback(
    output=[
        Output(GRAPH, "figure"),
        Output(GRAPH, "config"),
        Output(URL, "search"),
        Output(PLOT_NOTICE, "children"),
        Output(FRESHNESS, "children"),
        *live_outputs(LIVE),
        Output(DATE_FROM, "value"),
        Output(DATE_TO, "value"),
    ],
    inputs={
        "controls": view_control_deps(),
        "theme": Input(ids.THEME_STORE, "data"),
        "viewport": Input(VIEWPORT, "data"),
        "_landed": Input(LIVE.landed, "data"),  # a background fetch landed: draw again
    },
    state={"search": State(URL, "search"), "since": State(LIVE.since, "data")},
)
def update_view(controls, theme, viewport, _landed=None, search=None, since=None):
    """The chart callback, plus the window boxes: a preset clears them (and they, filled by
    typing or by `zoom_to_window`, narrow the preset)."""
    trigger = ctx.triggered_id
    controls = dict(controls) if isinstance(controls, dict) else {}
    if trigger == RANGE:
        controls["date_from"], controls["date_to"] = "", ""
    date_from, date_to = controls.get("date_from"), controls.get("date_to")
    state, notices = view_state(controls)
    outputs, datas = chart_for(state, notices, theme, search, viewport)
    # Write the boxes only when their text changes: rewriting what a user is typing into
    # would clobber it.
    typed = (date_from or "", date_to or "")
    shown = [day_text(state.date_from), day_text(state.date_to)]
    if trigger != RANGE:
        shown = [no_update if new == old else new for new, old in zip(shown, typed, strict=True)]
    live = live_values((*CARD_SERIES, *REGIME_SERIES, *datas), since)
    return (*outputs, *live, *shown)


@callback(Output(CARDS, "children"), Input(LIVE.landed, "data"), prevent_initial_call=True)
def redraw_cards(_landed):
    """The headline cards again, once a background fetch has brought newer data."""
    return build_cards().children


register_live_updates(LIVE)


@callback(
    Output(ADD_SERIES, "options", allow_duplicate=True),
    Input(ADD_SERIES, "search_value"),
    State(OVERLAYS, "options"),
    prevent_initial_call=True,
)
def search_series(query, overlay_opts):
    """Typing in "Add a series" ranks the catalog (see `ranked_series_options`); a cleared
    box brings back the grouped list."""
    pool = [
        o["value"]
        for o in as_list(overlay_opts)
        if isinstance(o, dict) and is_known(o.get("value"))
    ]
    text = query.strip()[:60] if isinstance(query, str) else ""
    if not text:
        return add_series_options(pool)
    return ranked_series_options(text, pool)


@callback(
    Output(DATE_FROM, "value", allow_duplicate=True),
    Output(DATE_TO, "value", allow_duplicate=True),
    Input(GRAPH, "relayoutData"),
    prevent_initial_call=True,
)
def zoom_to_window(relayout):
    """A zoom, pan or range-slider drag writes its dates into From/To (which redraws the
    chart and the URL); a double-click (autoscale) clears them. A callback of its own: a
    resize event here must not cancel a redraw already on its way."""
    window = window_from_relayout(relayout)
    if window is None:
        raise PreventUpdate
    if window == RESET_WINDOW:
        return "", ""
    return day_text(window[0]), day_text(window[1])


@callback(
    Output(OVERLAYS, "options"),
    Output(OVERLAYS, "value"),
    Output(ADD_SERIES, "value"),
    Output(ADD_SERIES, "options"),
    Input(ADD_SERIES, "value"),
    State(OVERLAYS, "options"),
    State(OVERLAYS, "value"),
    prevent_initial_call=True,
)
def add_series(series_id, options, selected):
    """A series picked in the search box joins the overlay toggles, switched on."""
    if not is_known(series_id) or series_id in (MAIN_ID, NETLIQ_ID):
        return no_update, no_update, None, no_update
    pool = [
        o["value"] for o in as_list(options) if isinstance(o, dict) and is_known(o.get("value"))
    ]
    selected = [s for s in as_list(selected) if is_known(s)]
    if series_id not in pool:
        pool.append(series_id)
    if series_id not in selected and len(selected) < MAX_OVERLAYS:
        selected.append(series_id)
    return overlay_options(pool), selected, None, add_series_options(pool)


# Copy link: the URL already holds the whole view (the chart callback keeps it in step).
# The link is also put in the status text, so it can be copied by hand where the browser
# refuses clipboard access (plain http on another host, some privacy settings).
clientside_callback(
    """async function(n) {
        if (!n) { return window.dash_clientside.no_update; }
        const link = window.location.href;
        try {
            await navigator.clipboard.writeText(link);
            return 'Link copied';
        } catch (e) {
            return 'Copy this link: ' + link;
        }
    }""",
    Output(COPY_STATUS, "children"),
    Input(COPY_LINK, "n_clicks"),
    prevent_initial_call=True,
)


# The viewport width: under NARROW_PX the chart takes its phone layout.
register_viewport(VIEWPORT, Input(URL, "pathname"))
