"""Episodes: every QE/QT episode and what the Fed's balance sheet did in it; an event study of
what stocks, Treasuries, Bitcoin, gold, credit spreads, the dollar and the 10-year yield did
during and after each one; and the popular "QE lifts everything" claims checked against
those numbers.

The URL holds the chart's asset and the table's window (`/episodes?asset=BTC-USD&window=6m`).
"""

from __future__ import annotations

import math
from datetime import date

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, clientside_callback, dcc, html

from dashboard import ids
from dashboard.analytics import event_study as es
from dashboard.catalog import get_info
from dashboard.components import freshness_panel, graph_config, segmented_radio, url_notice
from dashboard.data import get_store
from dashboard.episodes import KIND_LABELS, Episode, load_episodes, main_episodes
from dashboard.figures.compare import format_change, format_level
from dashboard.figures.event_study import paths_figure

dash.register_page(
    __name__, path="/episodes", name="Episodes", title="Episodes · Fed Liquidity", order=4
)

NOTICE = "episodes-notice"
METHOD = "episodes-method"
TABLE = "episodes-table"
EVENT_TABS = "episodes-event-tabs"
EVENT_TABLE = "episodes-event-table"  # one per window: f"{EVENT_TABLE}-{window}"
ASSET = "episodes-asset"
PATHS = "episodes-paths-graph"
CLAIMS = "episodes-claims-table"
FRESHNESS = "episodes-freshness"
URL_SYNC = "episodes-url-sync"

BALANCE_SHEET = "WALCL"
STUDY_ASSETS = ("SPY", "TLT", "BTC-USD", "LBMA_GOLD_PM_USD", "BAMLH0A0HYM2", "DTWEXBGS", "DGS10")
# ETF closes from Yahoo leave out dividends (SPY) and coupons (TLT: ~2-4 % a year), which
# matters over multi-year episodes: every such column says so in its own label.
PRICE_ONLY = ("SPY", "TLT")
ASSET_LABELS = {
    "SPY": "S&P 500 (SPY)",
    "TLT": "Long Treasuries (TLT)",
    "BTC-USD": "Bitcoin",
    "LBMA_GOLD_PM_USD": "Gold",
    "BAMLH0A0HYM2": "HY OAS",
    "DTWEXBGS": "Dollar (broad)",
    "DGS10": "10Y yield",
}
DEFAULT_ASSET, DEFAULT_WINDOW = "SPY", "12m"
VERDICT_COLORS = {
    es.HOLDS: "success",
    es.PARTLY: "warning",
    es.FAILS: "danger",
    es.NO_DATA: "secondary",
}
KIND_BADGE = {
    "QE": "success",
    "QT": "danger",
    "RMP": "primary",
    "TWIST": "secondary",
    "FACILITY": "warning",
}


def row_id(episode_id: str) -> str:
    """The id of an episode's row in the episodes table (a link target)."""
    return f"episodes-row-{episode_id}"


def shown_label(asset_id: str) -> str:
    """An asset's name wherever a column, button or chart names it: price-only closes say so."""
    label = ASSET_LABELS.get(asset_id, asset_id)
    return f"{label}, price only" if asset_id in PRICE_ONLY else label


def study_assets() -> list[es.Asset]:
    return [
        es.Asset(sid, ASSET_LABELS[sid], get_info(sid).change_kind, get_info(sid).units)
        for sid in STUDY_ASSETS
    ]


def resolve_query(asset: object, window: object) -> tuple[str, str, list[str]]:
    """Valid (asset, window) from raw URL values, and notices for anything replaced."""
    notices = []
    if asset in (None, ""):
        asset = DEFAULT_ASSET
    elif asset not in STUDY_ASSETS:
        notices.append(f"Unknown asset '{str(asset)[:40]}'; showing {ASSET_LABELS[DEFAULT_ASSET]}.")
        asset = DEFAULT_ASSET
    if window in (None, ""):
        window = DEFAULT_WINDOW
    elif window not in es.WINDOWS:
        notices.append(f"Unknown window '{str(window)[:20]}'; showing +12 months.")
        window = DEFAULT_WINDOW
    return asset, window, notices


# ---- tables -----------------------------------------------------------------------------
def _kind_badge(kind: str) -> dbc.Badge:
    return dbc.Badge(
        kind, color=KIND_BADGE.get(kind, "secondary"), title=KIND_LABELS[kind], className="me-1"
    )


def _length(episode: Episode, today: date) -> str:
    days = (episode.end_or(today) - episode.start).days
    months = days / es.DAYS_PER_MONTH
    text = f"{months:.1f} months" if months < 24 else f"{months / 12:.1f} years"
    return f"{text} so far" if episode.ongoing else text


def _observation_title(change: es.EventChange) -> str:
    if not change.available:
        return change.reason
    if not all(map(math.isfinite, (change.start.value, change.end.value))):
        return "no number"
    return (
        f"{change.start.date:%Y-%m-%d}: {change.start.value:,.4g} → "
        f"{change.end.date:%Y-%m-%d}: {change.end.value:,.4g}"
        + (" (to date)" if change.to_date else "")
    )


def episodes_table(walcl_changes: dict[str, es.EventChange], today: date) -> dbc.Table:
    """Every episode in the episodes file (sub-phases indented under their episode)."""
    head = html.Thead(
        html.Tr(
            [
                html.Th("Episode"),
                html.Th("Kind"),
                html.Th("Announced"),
                html.Th("Start"),
                html.Th("End"),
                html.Th("Length"),
                html.Th("WALCL at start", className="text-end"),
                html.Th("WALCL change, $", className="text-end"),
                html.Th("WALCL change, %", className="text-end"),
            ]
        )
    )
    rows = []
    for episode in load_episodes():
        walcl = walcl_changes.get(episode.id)
        name = [
            html.A(
                episode.name, href=episode.source_url, target="_blank", title=episode.description
            )
        ]
        if episode.is_phase:
            name = [html.Span("↳ ", className="text-muted")] + name
        if walcl is None or not walcl.available:
            money = [
                html.Td("n/a", className="text-end text-muted", title=walcl.reason if walcl else "")
            ] * 3
        else:
            note = " to date" if walcl.to_date else ""
            money = [
                html.Td(
                    format_level(walcl.start.value, "Millions of U.S. Dollars"),
                    className="text-end",
                    title=f"as of {walcl.start.date:%Y-%m-%d}",
                ),
                html.Td(
                    format_change(walcl.end.value - walcl.start.value, "Millions of U.S. Dollars")
                    + note,
                    className="text-end",
                    title=_observation_title(walcl),
                ),
                html.Td(
                    format_change(walcl.change, "%") + note,
                    className="text-end",
                    title=_observation_title(walcl),
                ),
            ]
        rows.append(
            html.Tr(
                [
                    html.Td(name, className="ps-4" if episode.is_phase else ""),
                    html.Td(_kind_badge(episode.kind)),
                    html.Td(f"{episode.announced:%Y-%m-%d}"),
                    html.Td(f"{episode.start:%Y-%m-%d}"),
                    html.Td(
                        f"{episode.end:%Y-%m-%d}"
                        if episode.end
                        else dbc.Badge("ongoing", color="info")
                    ),
                    html.Td(_length(episode, today)),
                    *money,
                ],
                id=row_id(episode.id),
                className="small text-muted" if episode.is_phase else "",
            )
        )
    return dbc.Table(
        [head, html.Tbody(rows)],
        id=TABLE,
        size="sm",
        hover=True,
        responsive=True,
        className="mb-0 align-middle",
    )


def event_table(changes: list[es.EventChange], window: str, assets: list[es.Asset]) -> dbc.Table:
    """Rows: main episodes; columns: assets; cells: the change over `window`."""
    cells = {(c.episode_id, c.asset_id): c for c in changes if c.window == window}
    head = html.Thead(
        html.Tr(
            [html.Th("Episode")]
            + [
                html.Th(
                    [
                        html.A(shown_label(a.id), href=f"/asset/{a.id}", title="Deep dive"),
                        html.Div(
                            html.Small(
                                es.change_unit(a.change_kind, a.units)[1],
                                className="text-muted fw-normal",
                            )
                        ),
                    ],
                    className="text-end",
                )
                for a in assets
            ]
        )
    )
    rows = []
    for episode in main_episodes():
        row = [
            html.Td(
                [_kind_badge(episode.kind), html.A(episode.name, href=f"#{row_id(episode.id)}")]
            )
        ]
        for asset in assets:
            cell = cells.get((episode.id, asset.id))
            if cell is None or not cell.available:
                row.append(
                    html.Td(
                        "n/a", className="text-end text-muted", title=cell.reason if cell else ""
                    )
                )
                continue
            text = format_change(cell.change, cell.unit) + (" *" if cell.to_date else "")
            row.append(
                html.Td(
                    text,
                    className="text-end",
                    title=_observation_title(cell),
                    **{"data-episode": episode.id, "data-asset": asset.id},
                )
            )
        rows.append(html.Tr(row))
    return dbc.Table(
        [head, html.Tbody(rows)],
        id=f"{EVENT_TABLE}-{window}",
        size="sm",
        hover=True,
        responsive=True,
        className="mb-0 align-middle",
    )


def _episode_link(change: es.EventChange, name: str) -> html.A:
    return html.A(
        f"{name} {format_change(change.change, change.unit)}",
        href=f"#{row_id(change.episode_id)}",
        title=_observation_title(change),
        className="me-2 text-nowrap",
    )


def claims_table(checks: list[es.ClaimCheck]) -> dbc.Table:
    names = {e.id: e.name for e in load_episodes()}
    head = html.Thead(
        html.Tr(
            [
                html.Th("Claim"),
                html.Th("Claimed"),
                html.Th("Measured, each QE episode"),
                html.Th("Measured range"),
                html.Th("Inside the claim"),
                html.Th("Verdict"),
            ]
        )
    )
    rows = []
    for check in checks:
        claim = check.claim
        measured = [_episode_link(c, names.get(c.episode_id, c.episode_id)) for c in check.measured]
        missing = [
            html.Div(
                html.Small(
                    f"{names.get(c.episode_id, c.episode_id)}: n/a ({c.reason})",
                    className="text-muted",
                )
            )
            for c in check.missing
        ]
        if check.values:
            low = min(check.measured, key=lambda c: c.change)
            high = max(check.measured, key=lambda c: c.change)
            spread = (
                [
                    html.A(
                        format_change(low.change, low.unit),
                        href=f"#{row_id(low.episode_id)}",
                        title=names.get(low.episode_id),
                    ),
                    " to ",
                    html.A(
                        format_change(high.change, high.unit),
                        href=f"#{row_id(high.episode_id)}",
                        title=names.get(high.episode_id),
                    ),
                ]
                if len(check.values) > 1
                else [format_change(low.change, low.unit)]
            )
        else:
            spread = ["n/a"]
        inside_names = [names.get(c.episode_id, c.episode_id) for c in check.inside]
        inside = [
            f"{len(check.inside)} of {len(check.measured)}",
            html.Div(html.Small(", ".join(inside_names) or "none", className="text-muted")),
            html.Div(
                html.Small(
                    f"{len(check.same_direction)} of {len(check.measured)} in the claimed direction",
                    className="text-muted",
                )
            ),
        ]
        verdict = [dbc.Badge(check.verdict, color=VERDICT_COLORS[check.verdict])]
        if 0 < len(check.measured) < 2:
            verdict.append(html.Div(html.Small("one episode only", className="text-muted")))
        rows.append(
            html.Tr(
                [
                    html.Td(claim.text),
                    html.Td(claim.range_text(), className="text-nowrap"),
                    html.Td(measured + missing),
                    html.Td(spread, className="text-nowrap"),
                    html.Td(inside),
                    html.Td(verdict),
                ],
                id=f"episodes-claim-{claim.id}",
            )
        )
    return dbc.Table(
        [head, html.Tbody(rows)],
        id=CLAIMS,
        size="sm",
        responsive=True,
        className="mb-0 align-middle",
    )


# ---- layout -----------------------------------------------------------------------------
def _card(title: str, body, subtitle: str | None = None) -> dbc.Card:
    header = [html.Span(title, className="fw-semibold")]
    if subtitle:
        header.append(html.Small(subtitle, className="text-muted ms-2"))
    return dbc.Card([dbc.CardHeader(header), dbc.CardBody(body)], className="mb-3")


METHOD_TEXT = [
    html.Li(
        [
            html.Strong("Value at a date: "),
            "the last observation dated on or before that date (as of), if it is at most "
            f"{es.MAX_AGE_DAYS} days older; otherwise n/a. A date after a series' last "
            "observation is n/a, never filled with the latest value. Example: COVID QE started on "
            "Sunday 2020-03-15, so its SPY start value is the close of Friday 2020-03-13.",
        ]
    ),
    html.Li(
        [
            html.Strong("Windows: "),
            "start → end of the episode (an ongoing one to the latest observation, marked *), "
            "and +3, +6, +12 calendar months after the start (2020-03-15 → 2021-03-15). The "
            "start value is the close of the start day, which already holds the first reaction "
            "to a same-day announcement.",
        ]
    ),
    html.Li(
        [
            html.Strong("Units: "),
            "percent change for prices (SPY and TLT marked price only: their closes leave out "
            "dividends and coupons, which add up over multi-year episodes; the LBMA gold PM fix, "
            "Bitcoin, the Fed's broad dollar index); basis points for the HY spread and the "
            "10-year yield. Hover a cell for the two observations used.",
        ]
    ),
]


def layout(asset: object = None, window: object = None, **_query) -> html.Div:
    asset, window, notices = resolve_query(asset, window)
    store = get_store()
    today = date.today()
    datas = store.get_many((BALANCE_SHEET,) + STUDY_ASSETS)
    assets = study_assets()
    series = {sid: d.values for sid, d in datas.items()}
    changes = es.event_study(series, assets, main_episodes())
    walcl_asset = es.Asset(BALANCE_SHEET, "WALCL", "log", get_info(BALANCE_SHEET).units)
    walcl = {
        e.id: es.event_change(series[BALANCE_SHEET], walcl_asset, e, "end") for e in load_episodes()
    }
    qe_ids = [e.id for e in main_episodes() if e.kind == "QE"]
    qe_changes = [c for c in changes if c.episode_id in qe_ids]
    checks = [es.check_claim(claim, qe_changes) for claim in es.episodes_page_claims()]
    tabs = dbc.Tabs(
        [
            dbc.Tab(event_table(changes, w, assets), label=es.WINDOW_LABELS[w], tab_id=w)
            for w in es.WINDOWS
        ],
        id=EVENT_TABS,
        active_tab=window,
        className="mb-2",
    )
    asset_picker = segmented_radio(
        ASSET, [{"label": shown_label(a), "value": a} for a in STUDY_ASSETS], asset, "flex-wrap"
    )
    qe_names = ", ".join(e.name for e in main_episodes() if e.kind == "QE")
    return html.Div(
        [
            html.H2("QE and QT episodes"),
            html.P(
                "What the Fed did in each episode, and what markets did during and after it. "
                "The episodes and their dates come from the FOMC statements linked in the table.",
                className="text-muted",
            ),
            html.Div(url_notice([html.Div(n) for n in notices]), id=NOTICE),
            _card(
                "Episodes",
                episodes_table(walcl, today),
                "WALCL (Fed total assets) from the start to the end of each episode",
            ),
            _card(
                "Event study",
                [
                    tabs,
                    html.Small(
                        "* ongoing episode: measured to the latest observation.",
                        className="text-muted",
                    ),
                ],
                "change of each asset over each episode; n/a where the data does not reach",
            ),
            _card(
                "Paths around the start",
                [
                    html.Div(asset_picker, className="mb-2"),
                    dcc.Loading(
                        dcc.Graph(
                            id=PATHS,
                            config=graph_config("episodes-paths"),
                            style={"minHeight": "480px"},
                        ),
                        type="circle",
                        delay_show=250,
                    ),
                    html.Small(
                        "Prices rebased to 100 at the start; yields and spreads as the change from "
                        "the start in basis points. The thick lines are the median across QE "
                        f"episodes ({qe_names}) and across QT episodes, drawn where at least two "
                        "have data. Other episodes are in the legend (click to show).",
                        className="text-muted",
                    ),
                ],
                "−3 to +12 months, one line per episode",
            ),
            _card(
                "Claims check",
                [
                    html.P(
                        [
                            "Commercial pages say every major QE came with these moves in the "
                            "following 12 months. Measured from each QE start (",
                            qe_names,
                            ") to 12 months later, by the rules below. ",
                            html.Strong("Verdict: "),
                            "holds if every QE episode with data is inside the claimed range, partly "
                            "if some are, does not hold if none is. Reserve-management bill purchases "
                            "(2019, 2025) are not QE by the Fed's account and are not counted.",
                        ],
                        className="small",
                    ),
                    claims_table(checks),
                ],
                "S&P 500, Bitcoin, gold, the dollar and HY spreads, 12 months after each QE start",
            ),
            _card(
                "How the numbers are measured",
                html.Ul(METHOD_TEXT, className="small mb-0", id=METHOD),
                None,
            ),
            html.Div(freshness_panel(datas.values()), id=FRESHNESS, className="mb-3"),
            html.Div(id=URL_SYNC, hidden=True),
        ]
    )


# ---- callbacks --------------------------------------------------------------------------
@callback(Output(PATHS, "figure"), Input(ASSET, "value"), Input(ids.THEME_STORE, "data"))
def update_paths(asset_id, theme):
    """The path chart for the chosen asset."""
    asset_id = asset_id if asset_id in STUDY_ASSETS else DEFAULT_ASSET
    asset = next(a for a in study_assets() if a.id == asset_id)
    values = get_store().get(asset_id).values
    episodes = main_episodes()
    paths = es.episode_paths(values, asset, episodes)
    medians = {
        kind: es.median_path(paths, [e.id for e in episodes if e.kind == kind])
        for kind in ("QE", "QT")
    }
    rebased = asset.change_kind == es.LOG
    unit = es.change_unit(asset.change_kind, asset.units)[1]
    label = asset.label if paths.dropna(how="all").empty else shown_label(asset.id)
    return paths_figure(paths, episodes, medians, label, rebased, unit, theme)


clientside_callback(
    """function(asset, windowKey) {
        if (!window.location.pathname.endsWith('/episodes')) {
            return window.dash_clientside.no_update;
        }
        const params = new URLSearchParams({asset: asset || 'SPY', window: windowKey || '12m'});
        const target = window.location.pathname + '?' + params.toString();
        if (window.location.pathname + window.location.search !== target) {
            window.history.replaceState(window.history.state, '', target + window.location.hash);
        }
        return '';
    }""",
    Output(URL_SYNC, "children"),
    Input(ASSET, "value"),
    Input(EVENT_TABS, "active_tab"),
)
