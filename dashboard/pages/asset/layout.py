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
    APPROACHING,
    FIRING,
    NO_DATA,
    QUIET,
    TriggerReading,
    format_value,
    load_triggers,
)
from dashboard.catalog import SeriesInfo, get_info, is_known
from dashboard.components import freshness_panel, graph_config, status_badge
from dashboard.data import SeriesData, get_store
from dashboard.figures.compare import format_change, format_level
from dashboard.pages.asset import ids
from dashboard.studies import gather_comovement, gather_study, gather_triggers, memo_page

VERDICT_COLORS = {
    es.HOLDS: "success",
    es.PARTLY: "warning",
    es.FAILS: "danger",
    es.NO_DATA: "secondary",
    es.NO_CLAIM: "light",
}
TRIGGER_COLORS = {FIRING: "danger", APPROACHING: "warning", QUIET: "success", NO_DATA: "secondary"}
KIND_NAMES = {"QE": "During and after QE", "QT": "During and after QT"}
MAX_SHOWN_ID = 40


def asset_href(series_id: str) -> str:
    """The deep dive's address (ids like BTC-USD need no escaping; all are URL-safe)."""
    return f"/asset/{series_id}"


def page_title(series_id: object = None, **_path) -> str:
    if is_known(series_id):
        return f"{get_info(series_id).label} deep dive · Fed Liquidity"
    return "Asset deep dive · Fed Liquidity"


def _card(title: str, body, subtitle: str | None = None, id_: str | None = None) -> dbc.Card:
    header = [html.Span(title, className="fw-semibold")]
    if subtitle:
        header.append(html.Small(subtitle, className="text-muted ms-2"))
    extra = {"id": id_} if id_ else {}
    return dbc.Card([dbc.CardHeader(header), dbc.CardBody(body)], className="mb-3", **extra)


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


# ---- event study tables ------------------------------------------------------------------
def _cell(change: es.EventChange | None) -> html.Td:
    if change is None or not change.available:
        return html.Td(
            "n/a", className="text-end text-muted", title=change.reason if change else ""
        )
    title = (
        f"{change.start.date:%Y-%m-%d}: {change.start.value:,.4g} → "
        f"{change.end.date:%Y-%m-%d}: {change.end.value:,.4g}"
    )
    return html.Td(
        format_change(change.change, change.unit) + (" *" if change.to_date else ""),
        className="text-end",
        title=title,
        **{"data-episode": change.episode_id, "data-window": change.window},
    )


def hit_text(summary: es.KindSummary, window: str) -> str:
    hits, measured = summary.hits(window)
    if summary.claim is None or not measured:
        return "n/a"
    return f"{hits} of {measured}"


def episode_table(summary: es.KindSummary) -> dbc.Table:
    """One row per episode of the kind: start → end and +3/+6/+12 months; then the median
    and the hit rate against the direction the class claim states."""
    unit = es.change_unit(summary.asset.change_kind, summary.asset.units)[1]
    head = html.Thead(
        html.Tr(
            [html.Th("Episode"), html.Th("Dates")]
            + [html.Th(es.WINDOW_LABELS[w], className="text-end") for w in es.WINDOWS]
        )
    )
    rows = []
    for episode in summary.episodes:
        end = f"{episode.end:%Y-%m-%d}" if episode.end else "ongoing"
        rows.append(
            html.Tr(
                [
                    html.Td(html.A(episode.name, href=f"/episodes#episodes-row-{episode.id}")),
                    html.Td(
                        html.Small(f"{episode.start:%Y-%m-%d} → {end}"), className="text-nowrap"
                    ),
                ]
                + [_cell(summary.cells.get((episode.id, w))) for w in es.WINDOWS]
            )
        )
    median = [
        html.Td(format_change(summary.median(w), unit), className="text-end fw-semibold")
        for w in es.WINDOWS
    ]
    rows.append(html.Tr([html.Td("Median", className="fw-semibold"), html.Td("")] + median))
    direction = (
        ("rise" if summary.claim and summary.claim.direction > 0 else "fall")
        if summary.claim
        else ""
    )
    hit_label = f"Hit rate ({direction}, as claimed)" if summary.claim else "Hit rate (no claim)"
    rows.append(
        html.Tr(
            [html.Td(hit_label, className="fw-semibold"), html.Td("")]
            + [html.Td(hit_text(summary, w), className="text-end") for w in es.WINDOWS]
        )
    )
    return dbc.Table(
        [head, html.Tbody(rows)],
        id=f"{ids.EPISODE_TABLE}-{summary.kind.lower()}",
        size="sm",
        hover=True,
        responsive=True,
        className="mb-0 align-middle",
    )


def verdict_badge(summary: es.KindSummary) -> dbc.Badge:
    verdict = summary.verdict
    return dbc.Badge(verdict, color=VERDICT_COLORS[verdict], className="me-2")


def claim_line(summary: es.KindSummary) -> html.Div:
    """The class claim after each `kind` start in one line, with our verdict worded as the
    Episodes page words it (holds / partly / does not hold / no data)."""
    if summary.claim is None:
        return html.Div(
            [
                verdict_badge(summary),
                f"No common claim about this class after a {summary.kind} start.",
            ],
            className="mb-2",
        )
    check = summary.check
    inside = (
        f"{len(check.inside)} of {len(check.measured)} {summary.kind} episodes inside "
        f"{summary.claim.range_text()}; "
        f"{len(check.same_direction)} of {len(check.measured)} in the claimed direction."
        if check.measured
        else "no episode with data."
    )
    return html.Div(
        [
            verdict_badge(summary),
            html.Span(f"“{summary.claim.text}”", className="fw-semibold"),
            html.Div(html.Small(inside, className="text-muted")),
        ],
        className="mb-2",
        **{"data-kind": summary.kind, "data-verdict": summary.verdict},
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
        proximity = "n/a" if reading.proximity is None else f"{reading.proximity:.0f} %"
        value = format_value(reading.value, reading.units)
        items.append(
            dbc.ListGroupItem(
                [
                    html.Div(
                        [
                            html.A(
                                reading.name,
                                href=f"/triggers?open={reading.id}",
                                className="fw-semibold me-2",
                            ),
                            dbc.Badge(reading.status, color=TRIGGER_COLORS.get(reading.status)),
                            html.Small(
                                " reads this series" if link.reads_it else " matters for its class",
                                className="text-muted ms-2",
                            ),
                        ]
                    ),
                    html.Small(
                        f"Now {value} ({reading.op} {format_value(reading.threshold, reading.units)}"
                        f" fires) · proximity {proximity}",
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
        _card(
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
        _card(
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
            _card("Latest and recent changes", changes_table(info, data.values), "as Compare"),
            _card(
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
            _card(
                f"The claim for {asset_class.label.lower()}",
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
            _card(
                "How it moves with the balance sheet",
                comovement_table(gather_comovement(series_id), unit),
                "correlation of weekly changes, lead/lag and beta",
            ),
            _card(
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
