"""The Triggers page's pieces: one card per trigger, the phase banner, the summary line and
a trigger's history details."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

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
from dashboard.components import freshness_panel, static_graph_config
from dashboard.data import SeriesData
from dashboard.pages.triggers.gauges import gauge_json
from dashboard.pages.triggers.ids import (
    CARD,
    GAUGE,
    GAUGE_AREA,
    HISTORY_BUTTON,
    PHASE_BANNER,
    SUMMARY,
)

BADGE_COLORS = {FIRING: "danger", APPROACHING: "warning", QUIET: "success", NO_DATA: "secondary"}
PHASE_STEPS = ((1, "Runoff stopped"), (2, "Bill purchases"), (3, "Full QE"))


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


def card_grid(readings: list[TriggerReading], theme: str = "light") -> list[dbc.Col]:
    """One column per trigger card, in the readings' order (the grid's children)."""
    return [
        dbc.Col(trigger_card(r, theme), xs=12, md=6, xl=4, xxl=3, className="mb-3")
        for r in readings
    ]


def trigger_link(reading: TriggerReading, class_name: str = "fw-semibold") -> html.A:
    """The trigger's name, opening its history on the Triggers page."""
    return html.A(reading.name, href=f"/triggers?open={reading.id}", className=class_name)


def proximity_text(reading: TriggerReading) -> str:
    return "n/a" if reading.proximity is None else f"{reading.proximity:.0f} %"


def phase_banner(phase: PhaseReading, id_: str = PHASE_BANNER) -> html.Div:
    """The end-of-QT phase: three steps with the current one marked, and the evidence (here
    and on the playbooks, under their own id)."""
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
        id=id_,
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


def history_details(
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
