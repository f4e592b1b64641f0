"""Layout of the asset deep dive. Every number comes from the memoised study, co-movement
and trigger readings in dashboard.studies; this module only arranges them."""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.analytics import event_study as es
from dashboard.analytics.compare import period_changes
from dashboard.analytics.deep_dive import Comovement, relevant_triggers
from dashboard.analytics.triggers import (
    TriggerReading,
    format_value,
    load_triggers,
    threshold_text,
)
from dashboard.catalog import SeriesInfo, get_info, is_known
from dashboard.components import card, freshness_panel, graph_config, status_badge
from dashboard.data import SeriesData, get_store
from dashboard.figures.compare import format_change, format_level
from dashboard.pages.asset import ids
from dashboard.pages.asset.tables import claim_line, episode_table
from dashboard.pages.triggers.cards import BADGE_COLORS, proximity_text, trigger_link
from dashboard.studies import gather_comovement, gather_study, gather_triggers, memo_page

TRIGGER_COLORS = BADGE_COLORS  # a trigger's status looks the same everywhere
KIND_NAMES = {"QE": "During and after QE", "QT": "During and after QT"}
MAX_SHOWN_ID = 40


def asset_href(series_id: str) -> str:
    """The deep dive's address (ids like BTC-USD need no escaping; all are URL-safe)."""
    return f"/asset/{series_id}"


def page_title(series_id: object = None, **_path) -> str:
    if is_known(series_id):
        return f"{get_info(series_id).label} deep dive · Fed Liquidity"
    return "Asset deep dive · Fed Liquidity"


def unknown_layout(series_id: object) -> html.Div:
    shown = str(series_id)[:MAX_SHOWN_ID] if series_id not in (None, "") else ""
    text = f"Unknown series '{shown}'." if shown else "No series given."
    return html.Div(
        [
            html.H2("Asset deep dive"),
            dbc.Alert(
                [
                    text + " Pick one from the ",
                    html.A("Data page", href="/data"),
                    " or open a playbook: ",
                    html.A("QE", href="/playbook/qe"),
                    ", ",
                    html.A("QT", href="/playbook/qt"),
                    ".",
                ],
                color="warning",
                id=ids.NOTICE,
            ),
        ],
        id=ids.PAGE,
    )


# ---- header and recent changes -----------------------------------------------------------
def header(info: SeriesInfo, data: SeriesData, asset_class: es.AssetClass) -> html.Div:
    status = data.status
    as_of = f"as of {status.last_date:%Y-%m-%d}" if status.last_date else "no data"
    facts = [
        ("Units", info.units),
        ("Frequency", info.frequency),
        ("Owner", info.owner),
        ("Freshness", [f"{as_of} · {status.source} ", status_badge(status)]),
    ]
    return html.Div(
        [
            html.H2(
                [info.name, html.Small(f" {info.id}", className="text-muted fs-6")],
                className="mb-1",
            ),
            html.Div(
                [dbc.Badge(asset_class.label, color="primary", className="me-2"), info.category],
                className="mb-2 small",
            ),
            html.P(info.description, className="mb-2"),
            html.Dl(
                [
                    part
                    for label, value in facts
                    for part in (
                        html.Dt(label, className="small text-muted fw-normal mb-0"),
                        html.Dd(value, className="small mb-1"),
                    )
                ],
                className="mb-0",
            ),
        ],
        id=ids.HEADER,
        className="mb-3",
    )


def changes_table(info: SeriesInfo, values) -> dbc.Table:
    changes = period_changes(values, info.change_kind, info.units)
    obs = values.dropna()
    latest = format_level(float(obs.iloc[-1]), info.units) if not obs.empty else "n/a"
    latest_date = f"{obs.index[-1]:%Y-%m-%d}" if not obs.empty else ""
    head = [html.Th("Latest")] + [html.Th(c.label, className="text-end") for c in changes]
    cells = [html.Td([latest, html.Div(html.Small(latest_date, className="text-muted"))])]
    for change in changes:
        title = (
            f"{change.base.date:%Y-%m-%d}: {change.base.value:,.4g} → "
            f"{change.end.date:%Y-%m-%d}: {change.end.value:,.4g}"
            if change.base
            else "the series does not reach back that far"
        )
        cells.append(
            html.Td(format_change(change.change, change.unit), className="text-end", title=title)
        )
    return dbc.Table(
        [html.Thead(html.Tr(head)), html.Tbody(html.Tr(cells))],
        id=ids.CHANGES,
        size="sm",
        responsive=True,
        className="mb-0 align-middle",
    )


# ---- co-movement -------------------------------------------------------------------------
def _r_text(corr) -> str:
    if corr.n < 3 or corr.r != corr.r:
        return "n/a"
    return f"{corr.r:+.2f}{' *' if corr.significant else ''}"


def comovement_table(items: tuple[Comovement, ...], unit: str) -> html.Div:
    head = html.Thead(
        html.Tr(
            [html.Th("Against")]
            + [html.Th(f"r, {label}", className="text-end") for label in ("1Y", "3Y", "Full")]
            + [html.Th("Lead / lag peak"), html.Th("Beta", className="text-end")]
        )
    )
    rows = []
    for item in items:
        fit = item.fit
        beta = (
            "n/a"
            if fit.slope != fit.slope
            else f"{fit.slope:+.2f} {unit} per log % (R² {fit.r2:.2f}, {fit.n} weeks)"
        )
        peak = item.lead_lag
        lag = (
            "n/a"
            if peak.peak_lag is None
            else f"{peak.peak_lag:+d} weeks, r {peak.peak_r:+.2f}"
            + (" (significant)" if peak.significant else " (not significant)")
        )
        rows.append(
            html.Tr(
                [html.Td(item.base_label)]
                + [
                    html.Td(_r_text(c), className="text-end", title=f"{c.n} weeks")
                    for c in item.correlations
                ]
                + [
                    html.Td(html.Span(lag, title=item.sentence)),
                    html.Td(beta, className="text-end"),
                ]
            )
        )
    sentences = [html.Li(html.Small(item.sentence)) for item in items]
    return html.Div(
        [
            dbc.Table(
                [head, html.Tbody(rows)],
                id=ids.COMOVEMENT,
                size="sm",
                responsive=True,
                className="mb-2 align-middle",
            ),
            html.Ul(sentences, className="mb-1 text-muted"),
            html.Small(
                "Weekly changes on a Wednesday grid (as of, at most 7 days old): log % for prices "
                "and balances, bp for yields and spreads. * = outside the ±1.96/√n band (5 %). "
                "Lag > 0: the balance sheet moves first. Beta: the asset's weekly change per "
                "1 log % weekly change of the base.",
                className="text-muted",
            ),
        ]
    )


# ---- triggers ----------------------------------------------------------------------------
def trigger_list(series_id: str, asset_class: str, readings: dict[str, TriggerReading]):
    links = relevant_triggers(series_id, asset_class, load_triggers())
    if not links:
        return html.P("No trigger reads this series or is listed for its class.", id=ids.TRIGGERS)
    items = []
    for link in links:
        reading = readings.get(link.trigger_id)
        if reading is None:
            continue
        value = format_value(reading.value, reading.units)
        items.append(
            dbc.ListGroupItem(
                [
                    html.Div(
                        [
                            trigger_link(reading, "fw-semibold me-2"),
                            dbc.Badge(reading.status, color=TRIGGER_COLORS.get(reading.status)),
                            html.Small(
                                " reads this series" if link.reads_it else " matters for its class",
                                className="text-muted ms-2",
                            ),
                        ]
                    ),
                    html.Small(
                        f"Now {value} ({threshold_text(reading)} fires) · proximity "
                        f"{proximity_text(reading)}",
                        className="text-muted",
                    ),
                ],
                id=f"asset-trigger-{reading.id}",
            )
        )
    return dbc.ListGroup(items, id=ids.TRIGGERS, flush=True)


def contributions_card(series_id: str) -> list:
    """For net liquidity: what moved it each week (the Overview's "What moved it" chart)."""
    if series_id != "NETLIQ":
        return []
    graph = dcc.Graph(
        id=ids.CONTRIBUTIONS,
        config=graph_config("netliq-weekly-contributions"),
        style={"minHeight": "360px"},
    )
    return [
        card(
            "What moved it: weekly change by component",
            [
                dcc.Loading(graph, type="circle", delay_show=250),
                html.Small(
                    "Net liquidity = WALCL − TGA − RRP, so each week's change is ΔWALCL − ΔTGA "
                    "− ΔRRP (Wednesday values; RRP as of the Wednesday), in $ bn.",
                    className="text-muted",
                ),
            ],
            "last 52 weeks; green added liquidity, red drained it",
        )
    ]


# ---- the page ----------------------------------------------------------------------------
def layout(series_id: object = None, **_query) -> html.Div:
    if not is_known(series_id):
        return unknown_layout(series_id)
    return memo_page(("asset", series_id), lambda: build_layout(series_id))


def build_layout(series_id: str) -> html.Div:
    info = get_info(series_id)
    study, _ = gather_study()
    data = get_store().get(series_id)
    asset_class = es.class_of(series_id)
    readings, _phase = gather_triggers(date.today())
    unit = es.change_unit(info.change_kind, info.units)[1]
    summaries = [study.summary(series_id, kind) for kind in es.STUDY_KINDS]
    tables = [
        card(
            KIND_NAMES[s.kind],
            episode_table(s),
            f"change of {info.label} in {unit}; n/a where the data does not reach",
        )
        for s in summaries
    ]
    return html.Div(
        [
            dcc.Store(id=ids.SERIES_STORE, data=series_id),
            header(info, data, asset_class),
            card("Latest and recent changes", changes_table(info, data.values), "as Compare"),
            card(
                f"{info.label} against the Fed balance sheet",
                dcc.Loading(
                    dcc.Graph(
                        id=ids.GRAPH,
                        config=graph_config(f"{info.id.lower()}-vs-walcl"),
                        style={"minHeight": "420px"},
                    ),
                    type="circle",
                    delay_show=250,
                ),
                "QE, QT and other episodes shaded",
            ),
            *contributions_card(series_id),
            card(
                f"The claim: {asset_class.label}",  # labels hold proper nouns (Fed, Bitcoin)
                [claim_line(s) for s in summaries]
                + [
                    html.Small(
                        "Verdict: holds if every episode with data is inside the claimed range "
                        "12 months after the start, partly if some are, does not hold if none is "
                        "(the Episodes page's rule).",
                        className="text-muted",
                    )
                ],
                id_=ids.CLAIMS,
            ),
            *tables,
            card(
                "How it moves with the balance sheet",
                comovement_table(gather_comovement(series_id), unit),
                "correlation of weekly changes, lead/lag and beta",
            ),
            card(
                "Triggers to watch",
                trigger_list(series_id, asset_class.id, readings),
                "current state and proximity; click for the history",
            ),
            html.Div(
                [
                    html.A("QE playbook", href="/playbook/qe", className="me-3"),
                    html.A("QT playbook", href="/playbook/qt", className="me-3"),
                    html.A("All episodes", href="/episodes", className="me-3"),
                    html.A("Compare with WALCL", href=f"/compare?a=WALCL&b={info.id}"),
                ],
                className="mb-3 small",
            ),
            html.Div(freshness_panel([data]), id=ids.FRESHNESS, className="mb-3"),
        ],
        id=ids.PAGE,
    )
