"""Layout of the QE and QT playbooks. Numbers come from the memoised study, trigger readings
and precedents in dashboard.studies; this module only arranges them."""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
from dash import dash_table, dcc, html

from dashboard.analytics import event_study as es
from dashboard.analytics.playbook import Precedent, impact_rows
from dashboard.analytics.triggers import TriggerReading, format_value, threshold_text
from dashboard.components import card, freshness_panel, graph_config
from dashboard.data import get_store
from dashboard.figures.compare import format_change
from dashboard.pages.asset.layout import TRIGGER_COLORS, asset_href
from dashboard.pages.asset.tables import VERDICT_COLORS
from dashboard.pages.playbook import ids
from dashboard.pages.triggers.cards import phase_banner, proximity_text, trigger_link
from dashboard.studies import (
    PHASE_SERIES,
    gather_precedents,
    gather_study,
    gather_triggers,
    memo_page,
)

BALANCE_TRIGGER = "balance_sheet_growth"
TEXT = {
    "QE": {
        "title": "QE playbook: when the Fed's balance sheet grows",
        "lead": "What stocks, bonds, credit, gold, oil, crypto and the dollar did during and "
        "after each QE (QE1, QE2, QE3, COVID QE), measured from the data, not recalled.",
        "trigger": "QE shows first as the balance sheet growing again: Fed assets up $100B or "
        "more over 13 weeks. After a QT, the phase tracker follows the usual path back: "
        "runoff stops, bill purchases start, then full QE.",
        "watch": "Triggers that fired in the six months before each QE start.",
        "events": "QE start",
    },
    "QT": {
        "title": "QT playbook: when the Fed's balance sheet shrinks",
        "lead": "What stocks, bonds, credit, gold, oil, crypto and the dollar did during and "
        "after each QT (2017–19 and 2022–25), measured from the data, not recalled.",
        "trigger": "QT shows as Fed assets falling week after week (the 13-week change below "
        "zero); it ends when funding gets tight. The phase tracker says how far the way out "
        "of the last QT has come.",
        "watch": "Triggers that fired in the six months before each QT ended: the signs that "
        "runoff had gone far enough.",
        "events": "QT end",
    },
}


# ---- the trigger and its live state ------------------------------------------------------
def trigger_block(reading: TriggerReading | None) -> html.Div:
    if reading is None:
        return html.Div(
            "The balance-sheet trigger is missing from the triggers file.", id=ids.TRIGGER
        )
    value = format_value(reading.value, reading.units, signed=True)
    as_of = f" as of {reading.as_of:%Y-%m-%d}" if reading.as_of else ""
    return html.Div(
        [
            trigger_link(reading),
            dbc.Badge(reading.status, color=TRIGGER_COLORS.get(reading.status), className="ms-2"),
            html.Div(
                f"13-week change of Fed assets: {value}{as_of}; fires at "
                f"{threshold_text(reading)}; "
                f"proximity {proximity_text(reading)}.",
                className="small",
            ),
            html.Div(html.Small(reading.why, className="text-muted")),
        ],
        id=ids.TRIGGER,
        className="mb-2",
    )


# ---- market impact -----------------------------------------------------------------------
IMPACT_COLUMNS = [
    {"id": "asset", "name": "Asset", "presentation": "markdown"},
    {"id": "class", "name": "Class"},
    {"id": "during", "name": "Median, start → end", "type": "numeric"},
    {"id": "after", "name": "Median, +12 months", "type": "numeric"},
    {"id": "unit", "name": "Unit"},
    {"id": "hit_rate", "name": "Hit rate, %", "type": "numeric"},
    {"id": "hits", "name": "Episodes as claimed"},
    {"id": "verdict", "name": "Verdict"},
]
VERDICT_TEXT_COLORS = {
    es.HOLDS: "var(--bs-success)",
    es.PARTLY: "var(--bs-warning)",
    es.FAILS: "var(--bs-danger)",
}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def impact_table(study: es.Study, kind: str) -> dash_table.DataTable:
    """One row per asset, sortable by any column (native sort: no server round trip)."""
    rows = [
        {
            "asset": f"[{row.label}]({asset_href(row.series_id)})",
            "id": row.series_id,
            "class": row.asset_class,
            "during": _round(row.median_during),
            "after": _round(row.median_12m),
            "unit": row.unit
            if row.unit in ("%", "bp")
            else "index pts"
            if row.unit.startswith("Index")
            else row.unit,
            "hit_rate": _round(row.hit_rate),
            "hits": f"{row.hits} of {row.measured}" if row.measured else "n/a",
            "verdict": row.verdict,
        }
        for row in impact_rows(study, kind, es.load_asset_classes())
    ]
    return dash_table.DataTable(
        id=ids.IMPACT,
        columns=IMPACT_COLUMNS,
        data=rows,
        sort_action="native",
        sort_mode="single",
        export_format="csv",  # an "Export" button: the table as shown (sorted), as CSV
        export_headers="display",
        markdown_options={"link_target": "_self"},
        tooltip_data=[
            {"verdict": {"value": row.claim or "no common claim", "type": "text"}}
            for row in impact_rows(study, kind, es.load_asset_classes())
        ],
        tooltip_duration=None,
        style_as_list_view=True,
        style_table={"overflowX": "auto"},
        style_header={
            "backgroundColor": "var(--bs-tertiary-bg)",
            "color": "var(--bs-body-color)",
            "fontWeight": "600",
            "whiteSpace": "normal",
        },
        style_cell={
            "backgroundColor": "var(--bs-body-bg)",
            "color": "var(--bs-body-color)",
            "fontFamily": "inherit",
            "fontSize": "0.85rem",
            "textAlign": "left",
            "padding": "4px 8px",
            "borderBottom": "1px solid var(--bs-border-color)",
        },
        style_cell_conditional=[
            {"if": {"column_id": c}, "textAlign": "right"} for c in ("during", "after", "hit_rate")
        ],
        style_data_conditional=[
            {
                "if": {"filter_query": f'{{verdict}} = "{verdict}"', "column_id": "verdict"},
                "color": color,
                "fontWeight": "600",
            }
            for verdict, color in VERDICT_TEXT_COLORS.items()
        ],
        css=[{"selector": "p", "rule": "margin: 0;"}],
    )


# ---- what to watch -----------------------------------------------------------------------
def _mark(fired: bool | None) -> html.Td:
    text, cls = {True: ("fired", "text-success"), False: ("—", "text-muted")}.get(
        fired, ("n/a", "text-muted")
    )
    return html.Td(text, className=f"text-center {cls}")


def watch_table(
    precedents: tuple[Precedent, ...], readings: dict[str, TriggerReading]
) -> dbc.Table:
    points = [p for p, _ in precedents[0].fired] if precedents else []
    head = html.Thead(
        html.Tr(
            [html.Th("Trigger"), html.Th("Now"), html.Th("Proximity", className="text-end")]
            + [html.Th(p.name, className="text-center") for p in points]
            + [html.Th("Preceded"), html.Th("Fires on, all weeks", className="text-end")]
        )
    )
    rows = []
    for precedent in precedents:
        reading = readings.get(precedent.trigger_id)
        if reading is None:
            continue
        base = "n/a" if precedent.base_rate is None else f"{precedent.base_rate:.0f} %"
        rows.append(
            html.Tr(
                [
                    html.Td(trigger_link(reading)),
                    html.Td(dbc.Badge(reading.status, color=TRIGGER_COLORS.get(reading.status))),
                    html.Td(proximity_text(reading), className="text-end"),
                ]
                + [_mark(f) for _, f in precedent.fired]
                + [
                    html.Td(
                        f"{precedent.hits} of {precedent.measured}" if precedent.measured else "n/a"
                    ),
                    html.Td(base, className="text-end"),
                ],
                id=f"playbook-watch-{precedent.trigger_id}",
            )
        )
    return dbc.Table(
        [head, html.Tbody(rows)],
        id=ids.WATCH,
        size="sm",
        hover=True,
        responsive=True,
        className="mb-0 align-middle",
    )


# ---- how often it played out -------------------------------------------------------------
def episodes_table(study: es.Study, kind: str) -> dbc.Table:
    walcl = study.summary("WALCL", kind)
    head = html.Thead(
        html.Tr(
            [
                html.Th("Episode"),
                html.Th("Start"),
                html.Th("End"),
                html.Th("Months", className="text-end"),
                html.Th("Fed assets, start → end", className="text-end"),
            ]
        )
    )
    rows = []
    for episode in walcl.episodes if walcl else ():
        months = ((episode.end or date.today()) - episode.start).days / es.DAYS_PER_MONTH
        change = walcl.cells[(episode.id, "end")]
        rows.append(
            html.Tr(
                [
                    html.Td(html.A(episode.name, href=f"/episodes#episodes-row-{episode.id}")),
                    html.Td(f"{episode.start:%Y-%m-%d}"),
                    html.Td(f"{episode.end:%Y-%m-%d}" if episode.end else "ongoing"),
                    html.Td(f"{months:.0f}", className="text-end"),
                    html.Td(format_change(change.change, change.unit), className="text-end"),
                ]
            )
        )
    return dbc.Table(
        [head, html.Tbody(rows)],
        id=ids.EPISODES,
        size="sm",
        responsive=True,
        className="mb-0 align-middle",
    )


def verdict_counts(study: es.Study, kind: str) -> html.Div:
    counts: dict[str, int] = {}
    for asset in study.assets:
        verdict = study.summary(asset.id, kind).verdict
        counts[verdict] = counts.get(verdict, 0) + 1
    return html.Div(
        [
            dbc.Badge(f"{verdict}: {n}", color=VERDICT_COLORS[verdict], className="me-2")
            for verdict, n in sorted(counts.items())
        ],
        className="mb-2",
    )


# ---- the page ----------------------------------------------------------------------------
def playbook_layout(kind: str) -> html.Div:
    text = TEXT[kind]
    study, _ = gather_study()
    readings, phase = gather_triggers(date.today())
    precedents = gather_precedents(kind)
    datas = get_store().get_many(PHASE_SERIES)
    n_episodes = len(study.summary("WALCL", kind).episodes)
    other = "qt" if kind == "QE" else "qe"
    return html.Div(
        [
            dcc.Store(id=ids.KIND_STORE, data=kind),
            html.H2(text["title"]),
            html.P(
                [
                    text["lead"],
                    " ",
                    html.A(f"The {other.upper()} playbook", href=f"/playbook/{other}"),
                    ".",
                ],
                className="text-muted",
            ),
            card(
                "The trigger and where it stands",
                [
                    html.P(text["trigger"], className="small"),
                    trigger_block(readings.get(BALANCE_TRIGGER)),
                    phase_banner(phase, id_=ids.PHASE),
                ],
                "live, from the Triggers page's engine",
            ),
            card(
                "Market impact",
                [
                    verdict_counts(study, kind),
                    impact_table(study, kind),
                    html.Small(
                        f"Median over the {n_episodes} {kind} episodes with data, in percent for "
                        "prices and balances and basis points for yields and spreads (index "
                        "points for stress indices). Hit rate: share of episodes whose +12-month "
                        "move went the way the class claim says. Verdict: holds if every episode "
                        "is inside the claim's range at +12 months, partly if some are, does not "
                        "hold if none is. Click a column to sort, an asset for its deep dive.",
                        className="text-muted",
                    ),
                ],
                "one row per asset",
            ),
            card(
                "What to watch",
                [html.P(text["watch"], className="small"), watch_table(precedents, readings)],
                "fired = on at least one observation in the six months before",
            ),
            card(
                "How often it played out",
                [
                    episodes_table(study, kind),
                    dcc.Loading(
                        dcc.Graph(
                            id=ids.GRAPH,
                            config=graph_config(f"playbook-{kind.lower()}-balance-sheet"),
                            style={"minHeight": "420px"},
                        ),
                        type="circle",
                        delay_show=250,
                    ),
                ],
                f"{n_episodes} {kind} episodes since 2008",
            ),
            html.Div(freshness_panel(datas.values()), id=ids.FRESHNESS, className="mb-3"),
        ],
        id=ids.PAGE,
    )


def qe_layout(**_query) -> html.Div:
    return memo_page(("playbook", "QE"), lambda: playbook_layout("QE"))


def qt_layout(**_query) -> html.Div:
    return memo_page(("playbook", "QT"), lambda: playbook_layout("QT"))
