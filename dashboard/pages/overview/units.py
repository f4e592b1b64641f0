"""Units per series on the Overview chart, as FRED's graphs offer them (level, changes,
year-ago and 13-week changes, log): the menu (pick a drawn series, then its unit) and the
callbacks that keep it, a {series: unit} store and the chart in step."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.analytics.overview import OverviewState
from dashboard.analytics.units import LEVEL, UNITS_BY_CODE
from dashboard.analytics.units import UNITS as UNIT_TABLE
from dashboard.catalog import get_info, is_known
from dashboard.pages.overview.ids import NETLIQ, OVERLAYS, UNITS, UNITS_SERIES, UNITS_STORE
from dashboard.pages.overview.search import as_list

UNIT_OPTIONS = [{"label": u.label, "value": u.code} for u in UNIT_TABLE]


def units_series_options(drawn: list[str]) -> list[dict]:
    return [{"label": get_info(sid).label, "value": sid} for sid in drawn if is_known(sid)]


def units_controls(state: OverviewState) -> html.Div:
    """Units per series, as FRED's graphs offer them: pick a drawn series, then its unit.
    Native selects: one tab stop each, the phone's own picker, labels read out."""
    drawn = state.drawn()
    chosen = next(
        (sid for sid, _ in state.units), state.overlays[0] if state.overlays else drawn[0]
    )
    return html.Div(
        [
            html.Label("Units of", htmlFor=UNITS_SERIES, className="overview-label"),
            html.Label("Units", htmlFor=UNITS, className="visually-hidden"),
            html.Div(
                [
                    dbc.Select(
                        id=UNITS_SERIES,
                        options=units_series_options(drawn),
                        value=chosen,
                        size="sm",
                        className="overview-units-series me-1",
                    ),
                    dbc.Select(
                        id=UNITS,
                        options=UNIT_OPTIONS,
                        value=state.unit(chosen),
                        size="sm",
                        className="overview-units",
                    ),
                ],
                className="d-flex",
            ),
            dcc.Store(id=UNITS_STORE, data=dict(state.units)),
        ],
        className="me-3 mb-2",
    )


@callback(
    Output(UNITS_SERIES, "options"),
    Output(UNITS_SERIES, "value"),
    Input(OVERLAYS, "value"),
    Input(NETLIQ, "value"),
    State(UNITS_SERIES, "value"),
    prevent_initial_call=True,
)
def units_series(overlays, netliq, chosen):
    """The units menu lists the drawn series; it keeps its choice while that is drawn."""
    drawn = OverviewState(
        overlays=tuple(s for s in as_list(overlays) if is_known(s)), netliq=netliq is True
    ).drawn()
    return units_series_options(drawn), chosen if chosen in drawn else drawn[0]


@callback(
    Output(UNITS_STORE, "data"),
    Output(UNITS, "value"),
    Input(UNITS_SERIES, "value"),
    Input(UNITS, "value"),
    State(UNITS_STORE, "data"),
    prevent_initial_call=True,
)
def choose_units(series_id, code, chosen):
    """Picking a series shows its unit; picking a unit sets it for that series (the store
    feeds the chart, which writes the URL)."""
    return units_choice(ctx.triggered_id, series_id, code, chosen)


def units_choice(trigger, series_id, code, chosen) -> tuple:
    """(store, unit shown) after `trigger` (the series or the unit menu) changed; anything
    forged or unchanged updates nothing."""
    chosen = {
        k: v
        for k, v in (chosen.items() if isinstance(chosen, dict) else ())
        if is_known(k) and isinstance(v, str) and v in UNITS_BY_CODE
    }
    if not is_known(series_id):
        raise PreventUpdate
    if trigger == UNITS_SERIES:
        return no_update, chosen.get(series_id, LEVEL)
    if (
        not isinstance(code, str)
        or code not in UNITS_BY_CODE
        or chosen.get(series_id, LEVEL) == code
    ):
        raise PreventUpdate
    chosen[series_id] = code
    return {k: v for k, v in chosen.items() if v != LEVEL}, no_update
