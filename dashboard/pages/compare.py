"""Compare: any two series side by side — latest values, changes, 90-day statistics, how their
weekly changes correlate (now, rolling, and with a lead or lag), a z-scored spread view and a
scatter with its fitted line.

The URL holds the pair and the range (`/compare?a=WALCL&b=TLT&range=5Y`), so a link
reproduces the view; unknown values fall back to the defaults with a notice.
"""

from __future__ import annotations

import csv
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, clientside_callback, dcc, html

from dashboard import ids
from dashboard.analytics import compare as stats
from dashboard.catalog import SERIES, by_category, is_known
from dashboard.components import (
    freshness_panel,
    graph_config,
    live_ids,
    live_outputs,
    live_updates,
    live_values,
    register_live_updates,
    segmented_radio,
    url_notice,
)
from dashboard.data import SeriesData, get_store
from dashboard.episodes import main_episodes
from dashboard.figures import compare as figs
from dashboard.figures.common import message_figure
from dashboard.memo import BoundedMemo, series_fingerprint

dash.register_page(
    __name__, path="/compare", name="Compare", title="Compare · Fed Liquidity", order=2
)

SERIES_A = "compare-series-a"
SERIES_B = "compare-series-b"
SWAP = "compare-swap"
RANGE = "compare-range"
NOTICE = "compare-notice"
QUICK_LINKS = "compare-quick-links"
WHY = "compare-why"
SUMMARY = "compare-summary"
CORRELATIONS = "compare-correlations"
ROLLING = "compare-rolling-graph"
LEAD_LAG = "compare-leadlag-graph"
LEAD_LAG_TEXT = "compare-leadlag-text"
SPREAD = "compare-spread-graph"
SCATTER = "compare-scatter-graph"
FRESHNESS = "compare-freshness"
URL_SYNC = "compare-url-sync"
LIVE = live_ids("compare")  # the page fills itself in as background fetches land

DEFAULT_A, DEFAULT_B, DEFAULT_RANGE = "WALCL", "TLT", "5Y"
QUICK_PAIRS = (
    ("WALCL", "TLT"),
    ("WALCL", "BAMLH0A0HYM2"),
    ("WALCL", "BTC-USD"),
    ("WALCL", "LBMA_GOLD_PM_USD"),
    ("WALCL", "SPY"),
    ("NETLIQ", "BTC-USD"),
)
RANGE_LABELS = {"1Y": "1 year", "3Y": "3 years", "5Y": "5 years", "10Y": "10 years", "MAX": "All"}
PAIRS_FILE = Path(__file__).resolve().parent.parent / "reference" / "pairs.csv"
ROLLING_WEEKS = 52
MAX_LAG_WEEKS = 26


# ---- reference text ---------------------------------------------------------------------
@lru_cache(maxsize=1)
def pair_texts() -> dict[frozenset, tuple[str, str]]:
    """ "Why this pair matters" texts from reference/pairs.csv, keyed by the unordered pair."""
    with open(PAIRS_FILE, newline="", encoding="utf-8") as handle:
        return {
            frozenset((row["a"], row["b"])): (row["title"], row["text"])
            for row in csv.DictReader(handle)
        }


# ---- URL values -------------------------------------------------------------------------
def resolve_query(a: object, b: object, range_key: object) -> tuple[str, str, str, list[str]]:
    """Valid (a, b, range) from raw URL values, and the notices for anything replaced."""
    notices = []

    def pick(value: object, default: str, what: str) -> str:
        if value is None or value == "":
            return default
        if is_known(value):
            return value
        shown = str(value)[:40]
        notices.append(f"Unknown series '{shown}' for {what}; showing {default} instead.")
        return default

    series_a = pick(a, DEFAULT_A, "the first series")
    series_b = pick(b, DEFAULT_B, "the second series")
    if range_key in (None, ""):
        chosen = DEFAULT_RANGE
    elif isinstance(range_key, str) and range_key.upper() in stats.RANGES:
        chosen = range_key.upper()
    else:
        chosen = DEFAULT_RANGE
        notices.append(
            f"Unknown range '{str(range_key)[:20]}'; showing {RANGE_LABELS[DEFAULT_RANGE]}."
        )
    return series_a, series_b, chosen, notices


def compare_href(a: str, b: str, range_key: str | None = None) -> str:
    query = {"a": a, "b": b} | ({"range": range_key} if range_key else {})
    return "/compare?" + urlencode(query)


# ---- layout -----------------------------------------------------------------------------
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
        id=QUICK_LINKS,
        className="d-flex flex-wrap align-items-center",
    )


def _card(title: str, body, subtitle: str | None = None, class_name: str = "mb-3") -> dbc.Card:
    header = [html.Span(title, className="fw-semibold")]
    if subtitle:
        header.append(html.Small(subtitle, className="text-muted ms-2"))
    return dbc.Card([dbc.CardHeader(header), dbc.CardBody(body)], className=class_name)


def _graph(graph_id: str, filename: str) -> dcc.Loading:
    return dcc.Loading(
        dcc.Graph(id=graph_id, config=graph_config(filename), style={"minHeight": "300px"}),
        type="circle",
        delay_show=250,
    )


def layout(a: object = None, b: object = None, **query) -> html.Div:
    series_a, series_b, range_key, notices = resolve_query(a, b, query.get("range"))
    options = _series_options()
    picker = dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label("Series A", html_for=SERIES_A, className="small text-muted mb-1"),
                    dcc.Dropdown(
                        id=SERIES_A, options=options, value=series_a, clearable=False, maxHeight=420
                    ),
                ],
                md=5,
            ),
            dbc.Col(
                dbc.Button(
                    "⇄ Swap",
                    id=SWAP,
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
                    dbc.Label("Series B", html_for=SERIES_B, className="small text-muted mb-1"),
                    dcc.Dropdown(
                        id=SERIES_B, options=options, value=series_b, clearable=False, maxHeight=420
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
                RANGE, [{"label": v, "value": k} for k, v in RANGE_LABELS.items()], range_key
            ),
        ],
        className="d-flex flex-wrap align-items-center mb-3",
    )
    return html.Div(
        [
            html.H2("Compare two series"),
            live_updates(LIVE),
            html.P(
                "How two series move together, measured on weekly changes: log changes for "
                "prices and balances, differences for rates and spreads (in basis points), "
                "each sampled as of every Wednesday (the latest observation on or before it).",
                className="text-muted",
            ),
            picker,
            _quick_links(),
            html.Div(notice, id=NOTICE),
            dbc.Row(
                [
                    dbc.Col(
                        _card(
                            "Side by side",
                            html.Div(id=SUMMARY),
                            "latest, changes to the latest observation, last 90 days",
                        ),
                        lg=7,
                    ),
                    dbc.Col(
                        [
                            _card(
                                "Correlation of weekly changes",
                                html.Div(id=CORRELATIONS),
                                "Wednesday grid",
                            ),
                            html.Div(id=WHY),
                        ],
                        lg=5,
                    ),
                ]
            ),
            _card(
                "Rolling correlation",
                _graph(ROLLING, "compare-rolling-correlation"),
                f"trailing {ROLLING_WEEKS} weeks of weekly changes, QE/QT episodes shaded",
            ),
            range_picker,
            _card(
                "Lead / lag",
                [html.P(id=LEAD_LAG_TEXT, className="mb-2"), _graph(LEAD_LAG, "compare-lead-lag")],
                f"cross-correlation of weekly changes at lags −{MAX_LAG_WEEKS}…+{MAX_LAG_WEEKS} "
                "weeks",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        _card(
                            "Spread view",
                            _graph(SPREAD, "compare-spread"),
                            "both z-scored over the range (log level for prices), and A − B",
                        ),
                        lg=7,
                    ),
                    dbc.Col(
                        _card(
                            "Scatter of weekly changes",
                            _graph(SCATTER, "compare-scatter"),
                            "least-squares line",
                        ),
                        lg=5,
                    ),
                ]
            ),
            html.Div(id=FRESHNESS, className="mb-3"),
            html.Div(id=URL_SYNC, hidden=True),
        ]
    )


# ---- pieces built by the callbacks ------------------------------------------------------
def _why(a: str, b: str) -> dbc.Alert | None:
    text = pair_texts().get(frozenset((a, b)))
    if text is None:
        return None
    title, body = text
    return _card("Why this pair matters", html.P(body, className="mb-0"), title)


def _swatch(color: str) -> html.Span:
    return html.Span(
        className="d-inline-block me-2 rounded-circle",
        style={"width": "10px", "height": "10px", "backgroundColor": color},
    )


def _changes_cell(change: stats.PeriodChange | None) -> html.Td:
    if change is None or change.change is None:
        return html.Td(
            "n/a", className="text-end text-muted", title="the series does not reach back that far"
        )
    base = change.base
    title = f"from {base.date:%Y-%m-%d} to {change.end.date:%Y-%m-%d}"
    return html.Td(
        figs.format_change(change.change, change.unit), className="text-end", title=title
    )


def summary_table(da: SeriesData, db: SeriesData) -> html.Div:
    """The side-by-side table: latest value, period changes and 90-day statistics."""
    rows: list = []
    cols = []
    for data, color in ((da, figs.COLOR_A), (db, figs.COLOR_B)):
        info, values = data.info, data.values
        cols.append(
            {
                "head": html.Th(
                    [
                        _swatch(color),
                        html.A(info.label, href=f"/asset/{info.id}", title="Deep dive"),
                        html.Div(html.Small(info.units, className="text-muted fw-normal")),
                    ],
                    className="text-end",
                ),
                "changes": {
                    c.label: c for c in stats.period_changes(values, info.change_kind, info.units)
                },
                "window": None
                if values.empty
                else stats.window_stats(values, info.change_kind, info.units),
                "info": info,
                "last": None if values.empty else (values.index[-1], float(values.iloc[-1])),
            }
        )
    head = html.Thead(html.Tr([html.Th("")] + [c["head"] for c in cols]))
    latest = [html.Td("Latest")]
    for c in cols:
        if c["last"] is None:
            latest.append(html.Td("no data", className="text-end text-muted"))
        else:
            day, value = c["last"]
            latest.append(
                html.Td(
                    [
                        html.Strong(figs.format_level(value, c["info"].units)),
                        html.Div(html.Small(f"{day:%Y-%m-%d}", className="text-muted")),
                    ],
                    className="text-end",
                )
            )
    rows.append(html.Tr(latest))
    for label, _ in stats.PERIODS:
        rows.append(
            html.Tr(
                [html.Td(f"Change {label}")]
                + [_changes_cell(c["changes"].get(label)) for c in cols]
            )
        )
    rows.append(
        html.Tr(
            html.Td(
                "Last 90 days",
                colSpan=3,
                className="small text-uppercase text-muted pt-3 fw-semibold",
            )
        )
    )
    for key, name in (("mean", "Mean"), ("min", "Min"), ("max", "Max"), ("std", "Std. dev.")):
        cells = [html.Td(name)]
        for c in cols:
            w, units = c["window"], c["info"].units
            if w is None:
                text = "n/a"
            elif key == "std":
                text = figs.format_dispersion(w.std, units)
            else:
                text = figs.format_level(getattr(w, key), units)
            cells.append(html.Td(text, className="text-end"))
        rows.append(html.Tr(cells))
    cells = [html.Td("Change over 90 days")]
    for c in cols:
        w = c["window"]
        cells.append(
            html.Td(
                "n/a" if w is None else figs.format_change(w.change, w.change_unit),
                className="text-end",
                title=""
                if w is None
                else f"{w.count} observations from {w.first:%Y-%m-%d} to {w.last:%Y-%m-%d}",
            )
        )
    rows.append(html.Tr(cells))
    return dbc.Table(
        [head, html.Tbody(rows)], size="sm", hover=True, className="mb-0", responsive=True
    )


def correlation_table(windows: list[stats.Correlation], unit_a: str, unit_b: str) -> html.Div:
    body = []
    for corr in windows:
        if corr.n == 0 or pd.isna(corr.r):
            body.append(
                html.Tr([html.Td(corr.label), html.Td("n/a", colSpan=3, className="text-muted")])
            )
            continue
        mark = (
            dbc.Badge("significant", color="success", className="ms-1")
            if corr.significant
            else dbc.Badge("not significant", color="secondary", className="ms-1")
        )
        body.append(
            html.Tr(
                [
                    html.Td(corr.label),
                    html.Td(html.Strong(f"{corr.r:+.2f}"), className="text-end"),
                    html.Td(f"{corr.n}", className="text-end"),
                    html.Td(
                        [f"{corr.first:%Y-%m-%d} → {corr.last:%Y-%m-%d}", mark], className="small"
                    ),
                ]
            )
        )
    head = html.Thead(
        html.Tr(
            [
                html.Th("Window"),
                html.Th("r", className="text-end"),
                html.Th("Weeks", className="text-end"),
                html.Th("Period"),
            ]
        )
    )
    return html.Div(
        [
            dbc.Table([head, html.Tbody(body)], size="sm", className="mb-2"),
            html.Small(
                f"Pearson r of weekly changes (A in {unit_a}, B in {unit_b}), weeks where both "
                "exist. Significant: |r| > 1.96/√n, the 5 % band for no relation.",
                className="text-muted",
            ),
        ]
    )


# ---- callbacks --------------------------------------------------------------------------
def _load(a: str, b: str) -> tuple[SeriesData, SeriesData]:
    store = get_store()
    return store.get(a if is_known(a) else DEFAULT_A), store.get(b if is_known(b) else DEFAULT_B)


def _changes(da: SeriesData, db: SeriesData) -> pd.DataFrame:
    return stats.pair_weekly_changes(
        da.values,
        da.info.change_kind,
        da.info.units,
        db.values,
        db.info.change_kind,
        db.info.units,
    )


@callback(
    Output(SUMMARY, "children"),
    Output(CORRELATIONS, "children"),
    Output(ROLLING, "figure"),
    Output(WHY, "children"),
    Output(FRESHNESS, "children"),
    Input(SERIES_A, "value"),
    Input(SERIES_B, "value"),
    Input(ids.THEME_STORE, "data"),
    Input(LIVE.landed, "data"),  # a background fetch landed: draw again
)
def update_pair(a, b, theme, _landed=None):
    """Everything that depends on the pair only: summary, correlations, rolling chart."""
    da, db = _load(a, b)
    changes = _changes(da, db)
    unit_a = stats.weekly_change_unit(da.info.change_kind, da.info.units)
    unit_b = stats.weekly_change_unit(db.info.change_kind, db.info.units)
    rolling = stats.rolling_correlation(changes, ROLLING_WEEKS)
    rolling_fig = figs.rolling_correlation_figure(
        rolling, main_episodes(), da.info.label, db.info.label, date.today(), theme, ROLLING_WEEKS
    )
    return (
        summary_table(da, db),
        correlation_table(stats.correlation_windows(changes), unit_a, unit_b),
        rolling_fig,
        _why(da.info.id, db.info.id),
        freshness_panel([da, db]),
    )


@callback(
    Output(LEAD_LAG, "figure"),
    Output(LEAD_LAG_TEXT, "children"),
    Output(SPREAD, "figure"),
    Output(SCATTER, "figure"),
    Input(SERIES_A, "value"),
    Input(SERIES_B, "value"),
    Input(RANGE, "value"),
    Input(ids.THEME_STORE, "data"),
    Input(LIVE.landed, "data"),
)
def update_range_views(a, b, range_key, theme, _landed=None):
    """Lead/lag, spread view and scatter over the chosen range (memoised per data version:
    building the three figures costs ~90 ms and every visit asks for the default pair)."""
    da, db = _load(a, b)
    range_key = (
        range_key if isinstance(range_key, str) and range_key in stats.RANGES else DEFAULT_RANGE
    )
    today = date.today()
    key = (
        range_key,
        theme if isinstance(theme, str) else repr(theme),  # the browser may send anything
        today,
        main_episodes(),
        series_fingerprint(da),
        series_fingerprint(db),
    )
    return _RANGE_MEMO.get_or_compute(key, lambda: _range_views(da, db, range_key, theme, today))


# Outputs of `update_range_views` by (range, theme, day, episodes, both series' data). The
# figures are shared between requests: Dash only serialises them, nobody alters them.
RANGE_MEMO_SIZE = 16
_RANGE_MEMO = BoundedMemo(RANGE_MEMO_SIZE)


def _range_views(da: SeriesData, db: SeriesData, range_key: str, theme, today: date) -> tuple:
    changes = _changes(da, db)
    label_a, label_b = da.info.label, db.info.label
    unit_a = stats.weekly_change_unit(da.info.change_kind, da.info.units)
    unit_b = stats.weekly_change_unit(db.info.change_kind, db.info.units)
    if changes.empty:
        empty = message_figure("These two series do not overlap in time.", theme)
        return empty, "No overlapping weeks.", empty, empty
    start = stats.range_start(changes.index[-1], range_key, changes.index[0])
    visible = changes[changes.index >= start]
    lead_lag = stats.cross_correlation(visible, MAX_LAG_WEEKS)
    sentence = stats.lead_lag_sentence(lead_lag, label_a, label_b)
    period = f" Range: {start:%Y-%m-%d} → {changes.index[-1]:%Y-%m-%d}."
    z = stats.zscore_spread(
        da.values, da.info.change_kind, db.values, db.info.change_kind, start, changes.index[-1]
    )
    return (
        figs.lead_lag_figure(lead_lag, label_a, label_b, theme),
        sentence + period,
        figs.spread_figure(z, label_a, label_b, main_episodes(), today, theme),
        figs.scatter_figure(
            visible, stats.linear_fit(visible), label_a, unit_a, label_b, unit_b, theme
        ),
    )


@callback(*live_outputs(LIVE), Input(SERIES_A, "value"), Input(SERIES_B, "value"))
def live_pair(a, b):
    """Poll while either series of the pair is being fetched."""
    da, db = _load(a, b)
    return live_values([da.info.id, db.info.id])


register_live_updates(LIVE)


@callback(
    Output(SERIES_A, "value"),
    Output(SERIES_B, "value"),
    Input(SWAP, "n_clicks"),
    State(SERIES_A, "value"),
    State(SERIES_B, "value"),
    prevent_initial_call=True,
)
def swap(_clicks, a, b):
    return b, a


# The address bar follows the pickers without a page reload (replaceState does not notify
# Dash's router), so copying the URL reproduces the view.
clientside_callback(
    """function(a, b, range) {
        if (!a || !b) { return window.dash_clientside.no_update; }
        const params = new URLSearchParams({a: a, b: b, range: range || '5Y'});
        const target = window.location.pathname + '?' + params.toString();
        if (window.location.pathname.endsWith('/compare') &&
            window.location.pathname + window.location.search !== target) {
            window.history.replaceState(window.history.state, '', target);
        }
        return '';
    }""",
    Output(URL_SYNC, "children"),
    Input(SERIES_A, "value"),
    Input(SERIES_B, "value"),
    Input(RANGE, "value"),
)
