"""Layout of the Scenarios page: parameters and presets on the left, the figures on the right.
Every control starts from the URL (see `state`), so a link reproduces the view."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.analytics import scenarios as sc
from dashboard.components import graph_config, segmented_radio, url_notice
from dashboard.pages.scenarios import ids
from dashboard.pages.scenarios.state import (
    ALT_CHOICES,
    BASELINE_CHOICES,
    NONE,
    Controls,
    from_query,
)

CAVEAT = (
    "The model is a calibration, not a forecast: it scales today's assumed effect of the "
    "Fed's holdings (C) along each path. The term premium and the yield below move for many "
    "other reasons."
)

PRESET_NOTES = {
    sc.BILL_ONLY: "coupons rolled over, MBS paydowns reinvested in bills, so longer-term "
    "holdings fall at today's MBS paydown pace (last 26 weeks).",
    sc.QT: "Treasury coupons run off at the cap each month; MBS pay down as today.",
    sc.QE: "the amount a month for N months (MBS paydowns reinvested meanwhile), then MBS run "
    "off again.",
    sc.MEMO_2010: "our own transcription of the 2010 memo's choice between running off and "
    "selling: hold a year, then sell in a straight line to x̄ over five years. A shape, not "
    "the memo's numbers.",
    sc.CUSTOM: "your values, spread evenly from today to T.",
}
FINAL_RUNOFF_NOTE = (
    "Every path reaches x̄ at T: after a preset's own phase, the remaining gap is closed in "
    "equal steps. Holdings in % of nominal GDP growing at the rate above."
)


def _options(choices) -> list[dict]:
    labels = sc.PRESET_LABELS | {NONE: "— none —"}
    return [{"label": labels[c], "value": c} for c in choices]


def _number(id_, label, value, step, help_text, min_=None, max_=None, placeholder=None):
    return dbc.Col(
        [
            dbc.Label(label, html_for=id_, className="small mb-0"),
            dbc.Input(id=id_, type="number", value=value, step=step, min=min_, max=max_,
                      size="sm", debounce=True, placeholder=placeholder),
            dbc.FormText(help_text, className="small"),
        ],
        xs=6,
        className="mb-2",
    )


def _card(title: str, body, subtitle: str | None = None) -> dbc.Card:
    header = [html.Span(title, className="fw-semibold")]
    if subtitle:
        header.append(html.Small(f" · {subtitle}", className="text-muted"))
    return dbc.Card([dbc.CardHeader(header), dbc.CardBody(body)], className="mb-3")


def _graph(graph_id: str, filename: str) -> dcc.Loading:
    return dcc.Loading(
        dcc.Graph(id=graph_id, config=graph_config(filename), style={"minHeight": "380px"}),
        type="circle",
        delay_show=250,
    )


def controls_panel(c: Controls) -> html.Div:
    model = dbc.Row(
        [
            _number(ids.BETA, "β (a quarter)", c.beta, 0.001, "discount, in (0, 1]", 0, 1),
            _number(ids.NORMAL, "x̄ (% of GDP)", c.normal, 0.5, "normal holdings", 0.01),
            _number(ids.CALIBRATION, "C (bp)", c.c_bp, 5, "effect priced today (30–80)"),
            _number(ids.HORIZON, "T (quarters)", c.horizon, 1, "paths reach x̄ at T", 1,
                    sc.MAX_HORIZON_Q),
            _number(ids.GROWTH, "GDP growth (%/yr)", c.growth, 0.1,
                    "blank: last four quarters", placeholder="last 4 quarters"),
        ],
        className="g-2",
    )
    paths = [
        dbc.Label("Baseline (what markets expect)", html_for=ids.BASELINE, className="small mb-0"),
        dcc.Dropdown(id=ids.BASELINE, options=_options(BASELINE_CHOICES), value=c.baseline,
                     clearable=False, className="mb-2"),
    ]
    for i, (alt_id, value) in enumerate(zip(ids.ALTERNATIVES, (c.alt1, c.alt2, c.alt3)), 1):
        paths += [
            dbc.Label(f"Alternative {i}", html_for=alt_id, className="small mb-0"),
            dcc.Dropdown(id=alt_id, options=_options(ALT_CHOICES), value=value,
                         clearable=False, className="mb-2"),
        ]
    paths.append(html.Details(
        [
            html.Summary("What the presets do", className="small"),
            html.Ul([html.Li(f"{sc.PRESET_LABELS[k]}: {v}") for k, v in PRESET_NOTES.items()],
                    className="small mb-1 ps-3"),
            html.P(FINAL_RUNOFF_NOTE, className="small mb-0"),
        ],
        className="mt-1",
    ))
    presets = dbc.Row(
        [
            _number(ids.QT_CAP, "QT cap ($bn/month)", c.qt_cap, 5, "Treasuries run off", 0),
            _number(ids.QE_AMOUNT, "QE ($bn/month)", c.qe_amount, 10, "purchases", 0),
            _number(ids.QE_MONTHS, "QE months", c.qe_months, 1, "then runoff", 0, 120),
            dbc.Col(
                [
                    dbc.Label("QE buys", className="small mb-0 d-block"),
                    segmented_radio(ids.QE_MIX, [
                        {"label": "coupons", "value": "coupons"},
                        {"label": "MBS", "value": "mbs"},
                        {"label": "both", "value": "both"},
                    ], c.qe_mix),
                ],
                xs=6,
                className="mb-2",
            ),
            dbc.Col(
                [
                    dbc.Label("Custom path (% of GDP)", html_for=ids.CUSTOM_POINTS,
                              className="small mb-0"),
                    dbc.Input(id=ids.CUSTOM_POINTS, type="text", value=c.custom, size="sm",
                              debounce=True, maxLength=400),
                    dbc.FormText("values spread evenly from today to T, then x̄",
                                 className="small"),
                ],
                xs=12,
            ),
        ],
        className="g-2",
    )
    return html.Div(
        [
            _card("Model", model, "Fed staff portfolio-balance model, 2010"),
            _card("Paths", paths, "quarterly to T"),
            _card("Preset settings", presets),
        ]
    )


def results_panel() -> html.Div:
    return html.Div(
        [
            html.Div(id=ids.MESSAGES),
            _card("Term-premium effect on announcement", html.Div(id=ids.IMPACT_TABLE),
                  "baseline minus alternative; + = the term premium rises"),
            _card("Portfolio-balance effect (PBE) by path", _graph(ids.PBE, "scenarios-pbe"),
                  "bp of term premium held down by the Fed's expected holdings"),
            _card("Impact of each alternative", _graph(ids.IMPACT, "scenarios-impact"),
                  "bp over time; shaded: C from 30 to 80 bp"),
            _card("Holdings paths", _graph(ids.HOLDINGS_PATHS, "scenarios-holdings-paths"),
                  "longer-term holdings, % of nominal GDP"),
            dbc.Button("Download paths (CSV)", id=ids.EXPORT_CSV, color="secondary", size="sm",
                       outline=True, className="mb-3"),
            dcc.Download(id=ids.DOWNLOAD),
        ]
    )


def layout(**query) -> html.Div:
    controls, notices = from_query(query)
    return html.Div(
        [
            html.H2("Scenario lab: balance-sheet paths and the term premium"),
            html.P(
                "What a path for the Fed's longer-term holdings does to the term premium, in "
                "the Fed staff's portfolio-balance model (FOMC memo, April 2010): the effect "
                "depends on the discounted sum of expected holdings above their normal level "
                "x̄, calibrated so that the baseline path is worth C basis points today.",
                className="text-muted",
            ),
            html.Div(url_notice([html.Div(n) for n in notices]), id=ids.NOTICE),
            _card(
                "History: longer-term holdings",
                [html.Div(id=ids.SOURCE_NOTES), _graph(ids.HISTORY, "scenarios-history")],
                "SOMA securities other than bills, % of nominal GDP; QE/QT shaded",
            ),
            dbc.Row(
                [
                    dbc.Col([html.Div(id=ids.START_FACTS), controls_panel(controls)], lg=4),
                    dbc.Col(results_panel(), lg=8),
                ]
            ),
            _card(
                "For context: term premium and 10-year yield",
                [dbc.Alert(CAVEAT, color="info", className="py-2 small"),
                 _graph(ids.CONTEXT, "scenarios-context")],
                "Kim-Wright (THREEFYTP10) and DGS10, percent",
            ),
            html.Div(id=ids.FRESHNESS, className="mb-3"),
            html.Div(id=ids.URL_SYNC, hidden=True),
        ]
    )
