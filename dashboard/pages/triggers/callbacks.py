"""The Triggers page's callbacks: gauges follow the theme, a click opens a trigger's history,
and the page fills itself in as series still being fetched land (polling stops after)."""

from __future__ import annotations

from datetime import date

from dash import ALL, Input, Output, State, callback, ctx, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.analytics import triggers as engine
from dashboard.analytics.triggers import NO_DATA
from dashboard.components import (
    freshness_panel,
    live_outputs,
    live_values,
    register_live_updates,
)
from dashboard.figures.common import message_figure
from dashboard.httpguard import allow_pattern_values
from dashboard.pages.triggers import readings
from dashboard.pages.triggers.cards import card_grid, history_details, phase_banner, summary_line
from dashboard.pages.triggers.gauges import _gauge_for
from dashboard.pages.triggers.ids import (
    FRESHNESS,
    GAUGE,
    GAUGE_AREA,
    GRID,
    HISTORY_BUTTON,
    HISTORY_CLOSE,
    HISTORY_DETAILS,
    HISTORY_GRAPH,
    HISTORY_MODAL,
    HISTORY_TITLE,
    LIVE,
    PHASE_BANNER,
    READINGS_STORE,
    SELECTED_STORE,
    SUMMARY,
)
from dashboard.theme import DARK, LIGHT

for _pattern_type in (GAUGE, GAUGE_AREA, HISTORY_BUTTON):
    # Only ids of triggers the page shows: forged ones would each cost a gauge figure.
    allow_pattern_values(_pattern_type, "trigger", lambda: [t.id for t in engine.load_triggers()])


@callback(
    Output({"type": GAUGE, "trigger": ALL}, "figure"),
    Input(ids.THEME_STORE, "data"),
    State({"type": GAUGE, "trigger": ALL}, "id"),
    State(READINGS_STORE, "data"),
)
def restyle_gauges(theme, gauge_ids, readings):
    """Redraw every gauge in the current theme from the readings already on the page."""
    if not gauge_ids or not isinstance(readings, list):
        raise PreventUpdate
    by_id = {r.get("id"): r for r in readings if isinstance(r, dict)}
    figures = []
    for gauge_id in gauge_ids:
        key = gauge_id.get("trigger") if isinstance(gauge_id, dict) else None
        reading = by_id.get(key, {}) if isinstance(key, str) else {}
        figures.append(_gauge_for(reading.get("proximity"), reading.get("status", NO_DATA), theme))
    return figures


@callback(
    Output(SELECTED_STORE, "data"),
    Output(HISTORY_MODAL, "is_open"),
    Input({"type": GAUGE_AREA, "trigger": ALL}, "n_clicks"),
    Input({"type": HISTORY_BUTTON, "trigger": ALL}, "n_clicks"),
    Input(HISTORY_CLOSE, "n_clicks"),
    prevent_initial_call=True,
)
def open_history(_gauge_clicks, _button_clicks, _close_clicks):
    """A click on a gauge or a History button opens that trigger; Close closes."""
    value = ctx.triggered[0].get("value") if ctx.triggered else None
    return history_request(ctx.triggered_id, value)


def history_request(clicked: object, clicks: object) -> tuple:
    """(selected trigger, modal open?) for a click on `clicked` (a component id) that left
    its n_clicks at `clicks`; PreventUpdate when nothing was really clicked."""
    if clicked == HISTORY_CLOSE:
        return no_update, False
    if not isinstance(clicked, dict) or clicked.get("type") not in (GAUGE_AREA, HISTORY_BUTTON):
        raise PreventUpdate
    if not clicks:
        raise PreventUpdate  # the card was (re)rendered, nobody clicked it
    return clicked.get("trigger"), True


@callback(
    Output(HISTORY_TITLE, "children"),
    Output(HISTORY_GRAPH, "figure"),
    Output(HISTORY_DETAILS, "children"),
    Input(SELECTED_STORE, "data"),
    Input(ids.THEME_STORE, "data"),
)
def render_history(trigger_id, theme):
    """The chosen trigger's history: series, threshold, fired spells, QE/QT bands."""
    if not trigger_id:
        raise PreventUpdate
    try:
        triggers = {t.id: t for t in engine.load_triggers()}
    except (OSError, ValueError) as exc:
        return "Triggers", message_figure(str(exc), theme), None
    trigger = triggers.get(trigger_id) if isinstance(trigger_id, str) else None
    if trigger is None:
        return "Unknown trigger", message_figure("There is no such trigger.", theme), None
    figure, reading, spells, datas = readings.history(trigger, theme)
    return trigger.name, figure, history_details(trigger, reading, spells, list(datas.values()))


@callback(
    Output(PHASE_BANNER, "children"),
    Output(PHASE_BANNER, "className"),
    Output(SUMMARY, "children"),
    Output(GRID, "children"),
    Output(READINGS_STORE, "data"),
    Output(FRESHNESS, "children"),
    *live_outputs(LIVE),
    Input(LIVE.landed, "data"),  # bumped when a background fetch landed (0 as the page opens)
    State(ids.THEME_STORE, "data"),
    State(LIVE.since, "data"),
)
def fill_in(landed, theme, since=None):
    """As the page opens: poll if a series it shows is still being fetched. When one lands:
    the phase, the summary, every card and gauge and the freshness again, from the new data."""
    try:
        triggers = engine.load_triggers()
    except (OSError, ValueError):
        raise PreventUpdate from None  # the layout already says the file cannot be read
    found, phase, datas = readings.gather(triggers, date.today())
    live = live_values(datas, since)
    if not landed:  # the page was just drawn from this same data: nothing to redraw
        return (no_update,) * 6 + live
    banner = phase_banner(phase)
    return (
        banner.children,
        banner.className,
        summary_line(found).children,
        card_grid(found, theme if theme in (LIGHT, DARK) else LIGHT),
        [r.to_json() for r in found],
        freshness_panel(datas.values(), notice_id=FRESHNESS).children,
        *live,
    )


register_live_updates(LIVE)
