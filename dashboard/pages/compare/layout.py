"""The Compare page's layout: the pickers, the quick pairs, the cards the callbacks fill and
the lead-shift control. Built from the URL's values (`state.resolve_query`, `clamp_shift`).
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.analytics.lead_shift import SHIFT_LIMIT_WEEKS, clamp_shift
from dashboard.catalog import SERIES, by_category
from dashboard.components import graph_config, live_token, live_updates, segmented_radio, url_notice
from dashboard.pages.compare import ids
from dashboard.pages.compare.state import (
    MAX_LAG_WEEKS,
    QUICK_PAIRS,
    RANGE_LABELS,
    ROLLING_WEEKS,
    compare_href,
    resolve_query,
)
from dashboard.pages.compare.tables import card


def _series_options() -> list[dict]:
    options = []
    for category, infos in by_category().items():
        if not infos:
            continue
        options.append({"label": f"── {category} ──", "value": f"_{category}", "disabled": True})
        options.extend({"label": f"{info.name} ({info.id})", "value": info.id} for info in infos)
    return options


def _label(series_id: str) -> str:
    return next(s.label for s in SERIES if s.id == series_id)


def _quick_links() -> html.Div:
    links = [
        dcc.Link(
            f"{_label(a)} vs {_label(b)}",
            href=compare_href(a, b),
            className="btn btn-sm btn-outline-info me-2 mb-2",
            id={"type": "compare-quick-link", "pair": f"{a}~{b}"},
        )
        for a, b in QUICK_PAIRS
    ]
    return html.Div(
        [html.Span("Quick pairs:", className="me-2 small text-muted")] + links,
        id=ids.QUICK_LINKS,
        className="d-flex flex-wrap align-items-center",
    )


def _graph(graph_id: str, filename: str) -> dcc.Loading:
    return dcc.Loading(
        dcc.Graph(id=graph_id, config=graph_config(filename), style={"minHeight": "300px"}),
        type="circle",
        delay_show=250,
    )


def _shift_card(shift: int) -> dbc.Card:
    """The lead-shift control, what r is at that shift, and its two charts."""
    control = html.Div(
        [
            dbc.Label("Shift A later by (weeks)", html_for=ids.SHIFT, className="small mb-0"),
            dbc.Input(
                id=ids.SHIFT,
                type="number",
                value=shift,
                min=-SHIFT_LIMIT_WEEKS,
                max=SHIFT_LIMIT_WEEKS,
                step=1,
                debounce=True,
                size="sm",
                style={"width": "6rem"},
            ),
            dbc.Button(
                "Use the peak lag",
                id=ids.SHIFT_PEAK,
                color="secondary",
                outline=True,
                size="sm",
                title="Set the shift to the lag where the lead/lag correlation peaks",
            ),
            dcc.Store(id=ids.PEAK_LAG),
        ],
        className="d-flex flex-wrap align-items-center gap-2 mb-2",
    )
    return card(
        "Lead shift",
        [
            control,
            html.P(id=ids.SHIFT_TEXT, className="small mb-2"),
            dbc.Row(
                [
                    dbc.Col(_graph(ids.SHIFT_GRAPH, "compare-lead-shift"), lg=7),
                    dbc.Col(_graph(ids.SHIFT_SCATTER, "compare-lead-shift-scatter"), lg=5),
                ]
            ),
        ],
        f"A drawn N weeks later beside B, −{SHIFT_LIMIT_WEEKS}…+{SHIFT_LIMIT_WEEKS} "
        "(positive: A leads), over the range above",
    )


def layout(a: object = None, b: object = None, **query) -> html.Div:
    since = live_token()  # before anything reads data: see components.live_values
    series_a, series_b, range_key, notices = resolve_query(a, b, query.get("range"))
    shift, shift_notice = clamp_shift(query.get("shift"))
    notices += [shift_notice] if shift_notice else []
    options = _series_options()
    picker = dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label("Series A", html_for=ids.SERIES_A, className="small text-muted mb-1"),
                    dcc.Dropdown(
                        id=ids.SERIES_A,
                        options=options,
                        value=series_a,
                        clearable=False,
                        maxHeight=420,
                    ),
                ],
                md=5,
            ),
            dbc.Col(
                dbc.Button(
                    "⇄ Swap",
                    id=ids.SWAP,
                    color="secondary",
                    size="sm",
                    className="w-100",
                    title="Swap A and B",
                ),
                md=1,
                className="d-flex align-items-end pb-1",
            ),
            dbc.Col(
                [
                    dbc.Label("Series B", html_for=ids.SERIES_B, className="small text-muted mb-1"),
                    dcc.Dropdown(
                        id=ids.SERIES_B,
                        options=options,
                        value=series_b,
                        clearable=False,
                        maxHeight=420,
                    ),
                ],
                md=5,
            ),
        ],
        className="g-2 mb-2",
    )
    notice = url_notice([html.Div(n) for n in notices])
    range_picker = html.Div(
        [
            html.Span("Range for lead/lag, spread and scatter:", className="me-2 small"),
            segmented_radio(
                ids.RANGE, [{"label": v, "value": k} for k, v in RANGE_LABELS.items()], range_key
            ),
        ],
        className="d-flex flex-wrap align-items-center mb-3",
    )
    return html.Div(
        [
            html.H2("Compare two series"),
            live_updates(ids.LIVE, since),
            html.P(
                "How two series move together, measured on weekly changes: log changes for "
                "prices and balances, differences for rates and spreads (in basis points), "
                "each sampled as of every Wednesday (the latest observation on or before it).",
                className="text-muted",
            ),
            picker,
            _quick_links(),
            html.Div(notice, id=ids.NOTICE),
            dbc.Row(
                [
                    dbc.Col(
                        card(
                            "Side by side",
                            html.Div(id=ids.SUMMARY),
                            "latest, changes to the latest observation, last 90 days",
                        ),
                        lg=7,
                    ),
                    dbc.Col(
                        [
                            card(
                                "Correlation of weekly changes",
                                html.Div(id=ids.CORRELATIONS),
                                "Wednesday grid",
                            ),
                            html.Div(id=ids.WHY),
                        ],
                        lg=5,
                    ),
                ]
            ),
            card(
                "Rolling correlation",
                _graph(ids.ROLLING, "compare-rolling-correlation"),
                f"trailing {ROLLING_WEEKS} weeks of weekly changes, QE/QT episodes shaded",
            ),
            range_picker,
            card(
                "Lead / lag",
                [
                    html.P(id=ids.LEAD_LAG_TEXT, className="mb-2"),
                    _graph(ids.LEAD_LAG, "compare-lead-lag"),
                ],
                f"cross-correlation of weekly changes at lags −{MAX_LAG_WEEKS}…+{MAX_LAG_WEEKS} "
                "weeks",
            ),
            _shift_card(shift),
            dbc.Row(
                [
                    dbc.Col(
                        card(
                            "Spread view",
                            _graph(ids.SPREAD, "compare-spread"),
                            "both z-scored over the range (log level for prices), and A − B",
                        ),
                        lg=7,
                    ),
                    dbc.Col(
                        card(
                            "Scatter of weekly changes",
                            _graph(ids.SCATTER, "compare-scatter"),
                            "least-squares line",
                        ),
                        lg=5,
                    ),
                ]
            ),
            html.Div(id=ids.FRESHNESS, className="mb-3"),
            html.Div(id=ids.URL_SYNC, hidden=True),
            dcc.Store(id=ids.VIEWPORT),  # the window's width: phone layout of the charts
        ]
    )
