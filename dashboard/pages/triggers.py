"""Triggers: the signals that push the Fed back into expanding its balance sheet, one gauge
each, showing how close each is to firing, how fast it moves and when it last fired; the
end-of-QT phase as a banner; a trigger's history on click.

`/triggers?open=<trigger id>` opens that trigger's history, so a link reproduces the view.
Thresholds live in `dashboard/reference/triggers.csv`; the numbers come from
`dashboard.analytics.triggers`, the same readings as `python -m dashboard triggers --json`
and `GET /api/triggers`.
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate
from plotly.io.json import to_json_plotly

from dashboard import ids
from dashboard.analytics import triggers as engine
from dashboard.analytics.triggers import (
    APPROACHING,
    FIRING,
    NO_DATA,
    QUIET,
    PhaseReading,
    Trigger,
    TriggerReading,
)
from dashboard.components import freshness_panel, graph_config, static_graph_config, url_notice
from dashboard.data import SeriesData, get_store
from dashboard.episodes import main_episodes
from dashboard.figures import triggers as figs
from dashboard.figures.common import message_figure
from dashboard.httpguard import allow_pattern_values
from dashboard.memo import BoundedMemo, series_fingerprint

dash.register_page(
    __name__, path="/triggers", name="Triggers", title="Triggers · Fed Liquidity", order=3
)

NOTICE = "triggers-notice"
PHASE_BANNER = "triggers-phase-banner"
SUMMARY = "triggers-summary"
GRID = "triggers-grid"
READINGS_STORE = "triggers-readings"
SELECTED_STORE = "triggers-selected"
FRESHNESS = "triggers-freshness"
HISTORY_MODAL = "triggers-history-modal"
HISTORY_TITLE = "triggers-history-title"
HISTORY_GRAPH = "triggers-history-graph"
HISTORY_DETAILS = "triggers-history-details"
HISTORY_CLOSE = "triggers-history-close"
# Types of the pattern-matching ids repeated once per trigger: {"type": ..., "trigger": id}.
CARD = "triggers-card"
GAUGE = "triggers-gauge"
GAUGE_AREA = "triggers-gauge-area"
HISTORY_BUTTON = "triggers-history-button"
for _pattern_type in (GAUGE, GAUGE_AREA, HISTORY_BUTTON):
    # Only ids of triggers the page shows: forged ones would each cost a gauge figure.
    allow_pattern_values(_pattern_type, "trigger", lambda: [t.id for t in engine.load_triggers()])

PHASE_SERIES = ("WALCL", "TREAST", "WSHOMCB")
BADGE_COLORS = {FIRING: "danger", APPROACHING: "warning", QUIET: "success", NO_DATA: "secondary"}
PHASE_STEPS = ((1, "Runoff stopped"), (2, "Bill purchases"), (3, "Full QE"))


# ---- gathering (the only place the page reads data) --------------------------------------
# Evaluating the triggers and the phase costs ~50 ms; the data behind them changes a few times
# a day. So readings are memoised on the identity of the data: the triggers, `today` and a
# fingerprint of every input series (its observations and its status). New or revised data,
# a new day or an edited triggers file gives a new key, hence fresh readings.
MEMO_SIZE = 8  # a handful of keys: one per data version still being served

HISTORY_MEMO_SIZE = 24  # one history view per trigger and theme (a figure is ~0.5 MB)

_memo = BoundedMemo(MEMO_SIZE)
_history_memo = BoundedMemo(HISTORY_MEMO_SIZE)


def gather(
    triggers: tuple[Trigger, ...], today: date
) -> tuple[list[TriggerReading], PhaseReading, dict[str, SeriesData]]:
    """Readings, the phase and the series behind them, from the data layer (readings and
    phase memoised per data version, see above)."""
    store = get_store()
    datas = store.get_many(
        engine.required_series(triggers) + list(PHASE_SERIES) + engine.bills_ids()
    )
    episodes = main_episodes()
    key = (triggers, today, episodes, tuple(series_fingerprint(d) for d in datas.values()))

    def compute() -> tuple[tuple[TriggerReading, ...], PhaseReading]:
        readings = engine.evaluate_all(triggers, datas, today)
        bills = datas.get(engine.BILLS_SERIES)
        phase = engine.phase_tracker(
            datas["WALCL"].values,
            datas["TREAST"].values,
            datas["WSHOMCB"].values,
            episodes,
            bills=bills.values if bills is not None else None,
        )
        return tuple(readings), phase

    readings, phase = _memo.get_or_compute(key, compute)
    return list(readings), phase, datas


# Building a Plotly figure object costs 5–10 ms (validation); a page draws a dozen gauges and a
# placeholder, from a few distinct inputs. So each is built once, kept as its JSON text, and
# every use gets a fresh dict parsed from it (~0.1 ms; no caller can alter the cached one).
@lru_cache(maxsize=512)
def _gauge_text(proximity: float | None, status: str, theme: str) -> str:
    return to_json_plotly(figs.gauge_figure(proximity, status, theme))


def gauge_json(proximity: float | None, status: str, theme: str = "light") -> dict:
    """The gauge of `figs.gauge_figure` as figure JSON (a private copy)."""
    return json.loads(_gauge_text(proximity, status, theme))


# The theme callback must hand back figure objects; these are shared between requests and
# only ever serialised by Dash, never altered.
@lru_cache(maxsize=512)
def _shared_gauge(proximity: float | None, status: str, theme: str):
    return figs.gauge_figure(proximity, status, theme)


def _gauge_for(proximity: object, status: object, theme: object):
    """A gauge for values that came back from the browser (they may be anything)."""
    try:
        return _shared_gauge(proximity, status, theme)
    except TypeError:  # unhashable junk: draw it uncached, as before
        return figs.gauge_figure(proximity, status, theme)


@lru_cache(maxsize=8)
def _message_text(message: str) -> str:
    return to_json_plotly(message_figure(message))


def message_json(message: str) -> dict:
    """`message_figure(message)` (light theme) as figure JSON (a private copy)."""
    return json.loads(_message_text(message))


# ---- layout pieces -----------------------------------------------------------------------
def _fact(label: str, value, value_class: str = "") -> html.Div:
    return html.Div(
        [
            html.Span(label, className="triggers-fact-label"),
            html.Span(value, className=value_class),
        ],
        className="triggers-fact",
    )


def _freshness_line(reading: TriggerReading) -> html.Div:
    as_of = f"as of {reading.as_of:%Y-%m-%d}" if reading.as_of else "no data"
    parts: list = [html.Span(as_of)]
    if reading.freshness:
        parts.append(html.Span(f" · {reading.freshness}"))
    if reading.stale:
        age = f" ({reading.age_days} days old)" if reading.age_days is not None else ""
        parts.append(dbc.Badge(f"stale{age}", color="warning", className="ms-1", text_color="dark"))
    return html.Small(parts, className="text-muted d-block triggers-freshness-line")


def trigger_card(reading: TriggerReading, theme: str = "light") -> dbc.Card:
    """One trigger: status, gauge, value, threshold, distance, ETA, last fired, freshness."""
    key = {"trigger": reading.id}
    value = engine.format_value(
        reading.value, reading.units, signed=reading.lookback_weeks is not None
    )
    change = f" over {reading.lookback_weeks} weeks" if reading.lookback_weeks else ""
    header = dbc.CardHeader(
        [
            html.Span(reading.name, className="triggers-card-title", title=reading.why),
            dbc.Badge(
                reading.status, color=BADGE_COLORS[reading.status], className="ms-2", pill=True
            ),
        ],
        className="d-flex justify-content-between align-items-start",
    )
    gauge = html.Div(
        dcc.Graph(
            id={"type": GAUGE, **key},
            figure=gauge_json(reading.proximity, reading.status, theme),
            config=static_graph_config(),
            className="triggers-gauge",
        ),
        id={"type": GAUGE_AREA, **key},
        n_clicks=0,
        role="button",
        title=f"Open the history of: {reading.name}",
        **{"aria-label": f"Open the history of: {reading.name}"},
        className="triggers-gauge-area",
    )
    spells = reading.spells_counted
    body = dbc.CardBody(
        [
            gauge,
            html.Div(
                [
                    html.Span(value, className="triggers-value"),
                    html.Small(change, className="text-muted"),
                ],
                className="text-center mb-2",
            ),
            _fact("Threshold", engine.threshold_text(reading)),
            _fact("Distance", engine.distance_text(reading)),
            _fact("ETA (13-wk pace)", engine.eta_text(reading)),
            _fact("Last fired", engine.last_fired_text(reading)),
            _fact(
                f"Since {reading.counts_from:%Y-%m-%d}",
                f"fired {spells} time{'s' if spells != 1 else ''}",
            ),
            _freshness_line(reading),
            html.Small(reading.message, className="text-danger") if reading.message else None,
        ],
        className="pt-2",
    )
    footer = dbc.CardFooter(
        dbc.Button(
            "History",
            id={"type": HISTORY_BUTTON, **key},
            n_clicks=0,
            size="sm",
            color="primary",
            outline=True,
            className="w-100",
        ),
        className="bg-transparent border-0 pt-0",
    )
    return dbc.Card(
        [header, body, footer],
        id={"type": CARD, **key},
        className=f"h-100 shadow-sm triggers-card triggers-card-{reading.status.replace(' ', '-')}",
    )


def phase_banner(phase: PhaseReading) -> html.Div:
    """The end-of-QT phase: three steps with the current one marked, and the evidence."""
    steps = []
    for number, label in PHASE_STEPS:
        state = "current" if number == phase.phase else ("done" if number < phase.phase else "")
        steps.append(
            html.Div(
                [html.Span(str(number), className="triggers-step-number"), html.Span(label)],
                className=f"triggers-step {state}".strip(),
            )
        )
    evidence = [
        html.Li(
            [
                html.Span(
                    "✓" if e.met else "✗", className=f"triggers-check {'met' if e.met else ''}"
                ),
                html.Span(e.label),
                html.Span(f" — {e.detail}", className="text-muted") if e.detail else None,
            ]
        )
        for e in phase.evidence
    ]
    since = (
        f"since {phase.since:%Y-%m-%d} · as of {phase.as_of:%Y-%m-%d} · 13-week changes in the "
        "Fed's H.4.1 balance sheet"
        if phase.as_of
        else "no balance-sheet data"
    )
    return html.Div(
        [
            html.Div(
                [
                    html.Div(
                        [
                            html.Div("End-of-QT phase tracker", className="triggers-kicker"),
                            html.H4(phase.name, className="mb-0 mt-1"),
                            html.Small(since, className="text-muted"),
                        ],
                        className="me-4",
                    ),
                    html.Div(steps, className="triggers-steps"),
                ],
                className="d-flex flex-wrap align-items-center justify-content-between gap-3",
            ),
            html.Ul(evidence, className="triggers-evidence small mb-0 mt-2"),
            html.Div(phase.note, className="small text-muted mt-1") if phase.note else None,
        ],
        id=PHASE_BANNER,
        role="status",
        className=f"triggers-phase triggers-phase-{phase.phase} mb-3",
    )


def summary_line(readings: list[TriggerReading]) -> html.Div:
    counts = {
        s: sum(r.status == s for r in readings) for s in (FIRING, APPROACHING, QUIET, NO_DATA)
    }
    badges = [
        dbc.Badge(f"{counts[s]} {s}", color=BADGE_COLORS[s], className="me-2", pill=True)
        for s in (FIRING, APPROACHING, QUIET, NO_DATA)
        if counts[s] or s != NO_DATA
    ]
    legend = html.Small(
        [
            "Needle: proximity — how far each value has travelled from its calm level (median "
            "of the last 5 years) toward the threshold. ",
            html.Span("Green to 75 %", className="triggers-legend-quiet"),
            " quiet · ",
            html.Span("amber 75–100 %", className="triggers-legend-approaching"),
            " approaching · ",
            html.Span("red mark", className="triggers-legend-firing"),
            " fires. Distance in typical weeks = distance ÷ median weekly move of the last 3 "
            "years. Click a gauge for its history. Feed: ",
            html.A(html.Code("/api/triggers"), href="/api/triggers", target="_blank"),
            " or ",
            html.Code("python -m dashboard triggers --json"),
            ".",
        ],
        className="text-muted",
    )
    return html.Div([html.Div(badges, className="mb-1"), legend], id=SUMMARY, className="mb-3")


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
    grid = dbc.Row(
        [dbc.Col(trigger_card(r), xs=12, md=6, xl=4, xxl=3, className="mb-3") for r in readings],
        id=GRID,
        className="g-3",
    )
    return html.Div(
        head
        + [
            html.Div(notice, id=NOTICE),
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


# ---- callbacks ---------------------------------------------------------------------------
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
    datas = get_store().get_many(trigger.inputs)
    today = date.today()
    episodes = main_episodes()
    key = (
        trigger,
        today,
        theme if isinstance(theme, str) else repr(theme),  # the browser may send anything
        episodes,
        tuple(series_fingerprint(d) for d in datas.values()),
    )
    # The figure is shared between requests with the same data: Dash only serialises it.
    figure, reading, spells = _history_memo.get_or_compute(
        key, lambda: _history_view(trigger, datas, today, theme, episodes)
    )
    return trigger.name, figure, _history_details(trigger, reading, spells, list(datas.values()))


def _history_view(
    trigger: Trigger, datas: dict[str, SeriesData], today: date, theme, episodes
) -> tuple:
    """(history figure, reading, fired spells) of one trigger; ~50 ms, hence memoised."""
    values = engine.trigger_values(trigger, {k: d.values for k, d in datas.items()})
    reading = engine.evaluate_all((trigger,), datas, today)[0]
    spells = engine.fired_spells(values, trigger.fires(values))
    figure = figs.history_figure(
        values,
        trigger.threshold,
        trigger.op,
        trigger.units,
        spells,
        episodes,
        today,
        theme,
        calm=reading.calm,
        value_label=trigger.name,
        axis_note=f"change over {trigger.lookback_weeks} weeks" if trigger.is_change else "",
    )
    return figure, reading, tuple(spells)


def _history_details(
    trigger: Trigger, reading: TriggerReading, spells: list, datas: list[SeriesData]
) -> html.Div:
    recent = list(reversed(spells))[:8]
    rows = [
        html.Tr(
            [
                html.Td(f"{s.start:%Y-%m-%d}"),
                html.Td("ongoing" if s.ongoing else f"{s.end:%Y-%m-%d}"),
                html.Td(f"{s.days:,}"),
            ]
        )
        for s in recent
    ]
    table = (
        dbc.Table(
            [
                html.Thead(html.Tr([html.Th("Fired from"), html.Th("to"), html.Th("days")])),
                html.Tbody(rows),
            ],
            size="sm",
            className="mb-0",
        )
        if rows
        else html.P("It has not fired in the data we hold.", className="small")
    )
    calm = engine.format_value(reading.calm, reading.units)
    return dbc.Row(
        [
            dbc.Col(
                [
                    html.P(trigger.why),
                    html.P(
                        [
                            html.Code(trigger.formula),
                            f" {trigger.op} {engine.format_value(trigger.threshold, trigger.units)}"
                            f" ({trigger.units}). Calm reference {calm}: {reading.calm_note}. ",
                            engine.spells_text(reading) + ".",
                        ],
                        className="small text-muted",
                    ),
                    freshness_panel(datas),
                ],
                md=7,
            ),
            dbc.Col([html.H6("Latest spells"), table], md=5),
        ],
        className="mt-2",
    )
