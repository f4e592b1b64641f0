"""The Episodes page's layout: built from the data at request time (the tables need the
event study), with the path chart filled by a callback."""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.analytics import event_study as es
from dashboard.catalog import get_info
from dashboard.components import (
    freshness_panel,
    graph_config,
    live_token,
    live_updates,
    segmented_radio,
    url_notice,
)
from dashboard.data import get_store
from dashboard.episodes import load_episodes, main_episodes
from dashboard.pages.episodes import ids
from dashboard.pages.episodes.state import (
    BALANCE_SHEET,
    STUDY_ASSETS,
    resolve_query,
    shown_label,
    study_assets,
)
from dashboard.pages.episodes.tables import claims_table, episodes_table, event_table


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


def study_parts(window: str) -> tuple:
    """What the page shows from the data, read from the store now: the episodes table, the
    event-study tabs (`window` open), the claims table and the freshness panel."""
    today = date.today()
    datas = get_store().get_many((BALANCE_SHEET,) + STUDY_ASSETS)
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
        id=ids.EVENT_TABS,
        active_tab=window,
        className="mb-2",
    )
    return (
        episodes_table(walcl, today),
        tabs,
        claims_table(checks),
        freshness_panel(datas.values()),
    )


def layout(asset: object = None, window: object = None, **_query) -> html.Div:
    since = live_token()  # before anything reads data: see components.live_values
    asset, window, notices = resolve_query(asset, window)
    episodes, tabs, claims, freshness = study_parts(window)
    asset_picker = segmented_radio(
        ids.ASSET, [{"label": shown_label(a), "value": a} for a in STUDY_ASSETS], asset, "flex-wrap"
    )
    qe_names = ", ".join(e.name for e in main_episodes() if e.kind == "QE")
    return html.Div(
        [
            html.H2("QE and QT episodes"),
            live_updates(ids.LIVE, since),
            html.P(
                "What the Fed did in each episode, and what markets did during and after it. "
                "The episodes and their dates come from the FOMC statements linked in the table.",
                className="text-muted",
            ),
            html.Div(url_notice([html.Div(n) for n in notices]), id=ids.NOTICE),
            _card(
                "Episodes",
                html.Div(episodes, id=ids.EPISODES_BODY),
                "WALCL (Fed total assets) from the start to the end of each episode",
            ),
            _card(
                "Event study",
                [
                    html.Div(tabs, id=ids.EVENT_BODY),
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
                            id=ids.PATHS,
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
                    html.Div(claims, id=ids.CLAIMS_BODY),
                ],
                "S&P 500, Bitcoin, gold, the dollar and HY spreads, 12 months after each QE start",
            ),
            _card(
                "How the numbers are measured",
                html.Ul(METHOD_TEXT, className="small mb-0", id=ids.METHOD),
                None,
            ),
            html.Div(freshness, id=ids.FRESHNESS, className="mb-3"),
            html.Div(id=ids.URL_SYNC, hidden=True),
            dcc.Store(id=ids.VIEWPORT),  # the window's width: phone layout of the charts
        ]
    )
