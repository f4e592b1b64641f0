"""Overview: the Fed's balance sheet (WALCL) against the assets users trade, with every QE and
QT episode shaded, headline liquidity numbers, and chart export.

The view lives in the URL (`/?overlays=TLT,BTC-USD&range=10Y&rebase=1&log=0&mode=stacked&
episodes=1`): `layout(**query)` sets the controls from it, and the chart callback writes the
controls back into it, so a copied link reproduces the view.
"""

from __future__ import annotations

import base64
import math
from urllib.parse import parse_qs

import dash
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import Input, Output, State, callback, clientside_callback, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import ids
from dashboard.analytics.overview import (
    DEFAULT_OVERLAYS,
    MAIN_ID,
    MAX_OVERLAYS,
    NETLIQ_ID,
    RANGE_LABELS,
    RANGE_PRESETS,
    RESET_WINDOW,
    Headline,
    OverviewState,
    Regime,
    derive_regime,
    export_basename,
    headline_cards,
    parse_state,
    state_from_controls,
    state_to_query,
    window_from_relayout,
)
from dashboard.analytics.search import rank as rank_series
from dashboard.catalog import CATEGORIES, SERIES, by_category, get_info, is_known
from dashboard.celery_app import job_renderer, user_message
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
from dashboard.data import get_store
from dashboard.episodes import KIND_LABELS, Episode, load_episodes, main_episodes
from dashboard.export import ExportError, export_view
from dashboard.figures.bands import KIND_LINE_COLORS
from dashboard.figures.overview import CHART_HEIGHT, NARROW_PX, overview_figure
from dashboard.theme import plotly_template
from dashboard.views import load_view

dash.register_page(__name__, path="/", name="Overview", title="Overview · Fed Liquidity", order=1)

URL = "overview-url"
NOTICE = "overview-notice"
CARDS = "overview-cards"
GRAPH = "overview-graph"
OVERLAYS = "overview-overlays"
ADD_SERIES = "overview-add-series"
RANGE = "overview-range"
EPISODE = "overview-episode"
DATE_FROM = "overview-from"
DATE_TO = "overview-to"
VIEWPORT = "overview-viewport"
GRAPH_PLACEHOLDER = "overview-graph-placeholder"
COPY_LINK = "overview-copy-link"
COPY_STATUS = "overview-copy-status"
MODE = "overview-mode"
REBASE = "overview-rebase"
LOG = "overview-log"
NETLIQ = "overview-netliq"
EPISODES = "overview-episodes"
RECESSIONS = "overview-recessions"
PLOT_NOTICE = "overview-plot-notice"
FRESHNESS = "overview-freshness"
EXPORT_MENU = "overview-export-menu"
EXPORT_PNG = "overview-export-png"
EXPORT_SVG = "overview-export-svg"
EXPORT_PDF = "overview-export-pdf"
EXPORT_CSV = "overview-export-csv"
EXPORT_STATUS = "overview-export-status"
EXPORT_PROGRESS = "overview-export-progress"
EXPORT_CANCEL = "overview-export-cancel"
DOWNLOAD = "overview-download"
SVG_BUTTON = "overview-svg-button"
SVG_DONE = "overview-svg-done"
LIVE = live_ids("overview")  # the page fills itself in as background fetches land
EXPORT_FORMATS = {EXPORT_PNG: "png", EXPORT_SVG: "svg", EXPORT_PDF: "pdf", EXPORT_CSV: "csv"}

MODE_OPTIONS = [
    {"label": "Right axes", "value": "axes"},
    {"label": "Stacked panels", "value": "stacked"},
]
REBASE_OPTIONS = [
    {"label": "Off", "value": "off"},
    {"label": "Range start", "value": "start"},
    {"label": "Episode start", "value": "episode"},
]
MAX_SEARCH_RESULTS = 12
LIQUIDITY_DRAINS = ("WTREGEN", "RRPONTSYD")
NETLIQ_FORMULA = "= WALCL − TGA − RRP (Wednesday values)"
CARD_SERIES = ("WALCL", "WRESBAL", "RRPONTSYD", "WTREGEN", "NETLIQ")
REGIME_SERIES = ("TREAST", "WSHOMCB")
REGIME_COLORS = {
    "QE": "success",
    "QT": "danger",
    "Reserve management": "info",
    "Neutral": "secondary",
    "Unknown": "light",
}


# ---- formatting ------------------------------------------------------------------------------
def signed(value: float, digits: int = 0) -> str:
    """+12 / −3.4 with a real minus sign; "—" for a value that is not a number."""
    if not math.isfinite(value):
        return "—"
    text = f"{abs(value):,.{digits}f}"
    return ("−" if value < 0 and float(text.replace(",", "")) != 0 else "+") + text


def money(value: float, units: str) -> str:
    """ "$6.75 tn", "$412 bn": digits chosen for the magnitude; "—" for no number."""
    if not math.isfinite(value):
        return "—"
    scale = units.replace("$ ", "")
    digits = 2 if scale == "tn" else (1 if abs(value) < 100 else 0)
    return f"${value:,.{digits}f} {scale}"


def change_text(days: int) -> str:
    return {7: "1 wk", 91: "13 wk"}.get(days, f"{days} d")


# ---- layout pieces ---------------------------------------------------------------------------
def headline_card(card: Headline) -> dbc.Col:
    if card.value is None:
        body = [html.Div("no data", className="overview-card-value text-muted")]
    else:
        changes = []
        # Colour by the effect on liquidity, not the sign: a growing TGA or reverse repo
        # takes cash out of bank reserves, so it is red.
        drains = card.series_id in LIQUIDITY_DRAINS
        for change in card.changes:
            adds = change.absolute < 0 if drains else change.absolute > 0
            color = (
                "text-muted"
                if change.absolute == 0
                else ("text-success" if adds else "text-danger")
            )
            pct = (
                f" ({signed(change.percent, 1)}%)"
                if change.percent is not None and card.units == "$ tn"
                else ""
            )
            changes.append(
                html.Span(
                    [
                        html.Span(change_text(change.days) + " ", className="text-muted"),
                        html.Span(
                            f"{signed(change.absolute, 1 if abs(change.absolute) < 10 else 0)}"
                            f" bn{pct}",
                            className=color,
                        ),
                    ],
                    className="me-2 d-inline-block",
                )
            )
        body = [
            html.Div(money(card.value, card.units), className="overview-card-value"),
            html.Div(changes, className="overview-card-change small"),
        ]
    as_of = f"as of {card.as_of:%Y-%m-%d}" if card.as_of else "no observation"
    return dbc.Col(
        dbc.Card(
            dbc.CardBody(
                [
                    html.Div(
                        [card.title, html.Code(card.series_id, className="ms-1 small")],
                        className="overview-card-title",
                    )
                ]
                + body
                + (
                    [html.Div(NETLIQ_FORMULA, className="small text-muted")]
                    if card.series_id == NETLIQ_ID
                    else []
                )
                + [html.Div(as_of, className="overview-card-asof small text-muted")]
            ),
            className="overview-card h-100",
            id={"type": "overview-card", "series": card.series_id},
        ),
        xs=6,
        md=4,
        xl=2,
        className="mb-3",
    )


def regime_card(regime: Regime) -> dbc.Col:
    episode = (
        html.Div(f"Matches {regime.episode.name}", className="small") if regime.episode else None
    )
    as_of = f"as of {regime.as_of:%Y-%m-%d}" if regime.as_of else "no observation"
    return dbc.Col(
        dbc.Card(
            dbc.CardBody(
                [
                    html.Div("Current regime", className="overview-card-title"),
                    html.Div(
                        dbc.Badge(
                            regime.label,
                            color=REGIME_COLORS.get(regime.label, "secondary"),
                            className="overview-regime-badge",
                        ),
                        className="overview-card-value",
                    ),
                    html.Div(regime.explanation, className="small text-muted overview-regime-why"),
                    episode,
                    html.Div(as_of, className="overview-card-asof small text-muted"),
                ]
            ),
            className="overview-card h-100",
            id="overview-regime-card",
        ),
        xs=12,
        md=8,
        xl=2,
        className="mb-3",
    )


def build_cards() -> dbc.Row:
    store = get_store()
    datas = store.get_many(CARD_SERIES + REGIME_SERIES)
    cards = headline_cards({sid: d.values for sid, d in datas.items()})
    regime = derive_regime(datas["TREAST"].values, datas["WSHOMCB"].values, load_episodes())
    return dbc.Row(
        [headline_card(c) for c in cards] + [regime_card(regime)], id=CARDS, className="g-3"
    )


def _as_list(value) -> list:
    """A callback value that should be a list; anything else (a forged request) is empty."""
    return value if isinstance(value, list) else []


def add_series_options(pool: list[str]) -> list[dict]:
    """Dropdown options grouped by category: a disabled header per group, then its members.
    While searching, headers drop out (Enter must pick a series, not a header), so each
    member also names its category."""
    options: list[dict] = []
    groups = by_category()
    for category in CATEGORIES:
        members = [
            i
            for i in groups.get(category, [])
            if i.id not in pool and i.id not in (MAIN_ID, NETLIQ_ID)
        ]
        if not members:
            continue
        options.append(
            {
                "label": html.Span(category, className="overview-group-label"),
                "value": f"group:{category}",
                "disabled": True,
                "search": category,
            }
        )
        options += [
            _series_option(info, f"{info.id} {info.label} {info.name} {category}")
            for info in members
        ]
    return options


def _series_option(info, search: str) -> dict:
    """One catalog series as a picker option: label, name, units and category."""
    label = html.Span(
        [
            html.Span(info.label, className="fw-semibold"),
            html.Span(
                f" {info.name} · {info.units} · {info.category}", className="text-muted small"
            ),
        ]
    )
    return {"label": label, "value": info.id, "search": search}


def ranked_series_options(query: str, pool: list[str]) -> list[dict]:
    """Options for a typed search, best match first (so Enter picks it): ranked by id, label,
    name, the catalog's aliases and words ("10y", "treasury yield", "gold", "btc"). Each
    option's search text starts with the query, so the dropdown's own filter keeps them all."""
    infos = [i for i in SERIES if i.id not in pool and i.id not in (MAIN_ID, NETLIQ_ID)]
    return [
        _series_option(info, f"{query} {info.id} {info.label} {info.name}")
        for info in rank_series(query, infos)[:MAX_SEARCH_RESULTS]
    ]


def overlay_options(pool: list[str]) -> list[dict]:
    return [{"label": get_info(sid).label, "value": sid} for sid in pool if is_known(sid)]


def episode_options(episodes: list[Episode]) -> list[dict]:
    options = []
    for e in episodes:
        ends = "ongoing" if e.end is None else f"{e.end:%Y-%m}"
        prefix = "  ↳ " if e.is_phase else ""
        options.append({"label": f"{prefix}{e.name} ({e.start:%Y-%m} → {ends})", "value": e.id})
    return options


def episode_choice(raw: object) -> str | None:
    """The episode id a URL names (any case), if the file has it."""
    text = str(raw).strip().casefold() if isinstance(raw, str) else ""
    return next((e.id for e in load_episodes() if e.id.casefold() == text), None)


def default_episode() -> str | None:
    mains = main_episodes()
    return mains[-1].id if mains else None


def placeholder_figure(theme: str = "light") -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        template=plotly_template(theme),
        height=CHART_HEIGHT,
        xaxis={"visible": False},
        yaxis={"visible": False},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return fig


def controls(state: OverviewState, episode_choice: str | None) -> html.Div:
    pool = list(dict.fromkeys(list(DEFAULT_OVERLAYS) + list(state.overlays)))
    ranges = [{"label": RANGE_LABELS[r], "value": r} for r in RANGE_PRESETS]
    return html.Div(
        [
            html.Div(
                [
                    html.Div(
                        [
                            html.Label("Range", className="overview-label"),
                            segmented_radio(RANGE, ranges, state.range),
                        ],
                        className="me-3 mb-2",
                    ),
                    date_inputs(state),
                    html.Div(
                        [
                            html.Label("Episode", className="overview-label"),
                            dcc.Dropdown(
                                id=EPISODE,
                                options=episode_options(list(load_episodes())),
                                value=state.episode or episode_choice or default_episode(),
                                clearable=False,
                                searchable=True,
                                className="overview-episode-dropdown",
                            ),
                        ],
                        className="me-3 mb-2",
                    ),
                    html.Div(
                        [
                            html.Label("Layout", className="overview-label"),
                            segmented_radio(MODE, MODE_OPTIONS, state.mode),
                        ],
                        className="me-3 mb-2",
                    ),
                    html.Div(
                        [
                            html.Label("Rebase to 100", className="overview-label"),
                            segmented_radio(REBASE, REBASE_OPTIONS, state.rebase),
                        ],
                        className="me-3 mb-2",
                    ),
                ],
                className="d-flex flex-wrap align-items-end",
            ),
            html.Div(
                [
                    html.Div(
                        [
                            html.Label("Overlays", className="overview-label"),
                            dbc.Checklist(
                                id=OVERLAYS,
                                options=overlay_options(pool),
                                value=list(state.overlays),
                                inline=True,
                                switch=True,
                                className="overview-overlays",
                            ),
                        ],
                        className="me-3 mb-2",
                    ),
                    html.Div(
                        [
                            html.Label("Add a series", className="overview-label"),
                            dcc.Dropdown(
                                id=ADD_SERIES,
                                options=add_series_options(pool),
                                value=None,
                                placeholder="Search the catalog…",
                                searchable=True,
                                clearable=True,
                                search_order="original",
                                maxHeight=320,
                                className="overview-add-dropdown",
                            ),
                        ],
                        className="me-3 mb-2",
                    ),
                    html.Div(
                        [
                            html.Label("Show", className="overview-label"),
                            html.Div(
                                [
                                    dbc.Switch(
                                        id=LOG,
                                        label="Log scale",
                                        value=state.log,
                                        className="me-3 mb-0",
                                    ),
                                    dbc.Switch(
                                        id=NETLIQ,
                                        label="Net liquidity",
                                        value=state.netliq,
                                        className="me-3 mb-0",
                                    ),
                                    dbc.Switch(
                                        id=EPISODES,
                                        label="QE/QT bands",
                                        value=state.episodes,
                                        className="me-3 mb-0",
                                    ),
                                    dbc.Switch(
                                        id=RECESSIONS,
                                        label="Recessions (NBER)",
                                        value=state.recessions,
                                        className="mb-0",
                                    ),
                                ],
                                className="d-flex flex-wrap",
                            ),
                        ],
                        className="mb-2",
                    ),
                ],
                className="d-flex flex-wrap align-items-end",
            ),
        ],
        className="overview-controls",
    )


def day_text(day) -> str:
    return f"{day:%Y-%m-%d}" if day else ""


def date_inputs(state: OverviewState) -> html.Div:
    """Typed window ends beside the presets; zooming the chart fills them in, a preset
    clears them. Text inputs (not a date picker) so "2020" or a pasted date just works."""

    def box(id_: str, label: str, value: str) -> html.Div:
        return html.Div(
            [
                html.Label(label, htmlFor=id_, className="overview-label"),
                dcc.Input(
                    id=id_,
                    type="text",
                    value=value,
                    debounce=True,
                    placeholder="YYYY-MM-DD",
                    inputMode="numeric",
                    autoComplete="off",
                    size="10",
                    className="form-control form-control-sm overview-date",
                ),
            ],
            className="me-2",
        )

    return html.Div(
        [
            box(DATE_FROM, "From", day_text(state.date_from)),
            box(DATE_TO, "To", day_text(state.date_to)),
        ],
        className="d-flex me-3 mb-2",
    )


def export_controls() -> html.Div:
    return html.Div(
        [
            html.Span(id=COPY_STATUS, className="me-2 small", role="status"),
            dbc.Button(
                "Copy link",
                id=COPY_LINK,
                size="sm",
                color="secondary",
                outline=True,
                className="me-2",
                title="Copy a link to this exact view (window, overlays, rebasing)",
            ),
            dbc.Button(
                "SVG",
                id=SVG_BUTTON,
                size="sm",
                color="secondary",
                outline=True,
                className="me-2",
                title="Download the chart as you see it, as SVG",
            ),
            dbc.DropdownMenu(
                [
                    dbc.DropdownMenuItem("PNG image (2×)", id=EXPORT_PNG),
                    dbc.DropdownMenuItem("SVG vector image", id=EXPORT_SVG),
                    dbc.DropdownMenuItem("PDF document", id=EXPORT_PDF),
                    dbc.DropdownMenuItem(divider=True),
                    dbc.DropdownMenuItem("CSV of the plotted data", id=EXPORT_CSV),
                ],
                label="Export",
                id=EXPORT_MENU,
                size="sm",
                color="primary",
                align_end=True,
            ),
            dcc.Download(id=DOWNLOAD),
            dcc.Store(id=SVG_DONE),
        ],
        className="d-flex align-items-center",
    )


def layout(**query) -> html.Div:
    state, notices = parse_state(query, load_episodes())
    notice = url_notice(
        [
            html.Strong("Some link settings were not understood: "),
            " ".join(notices),
            " Showing defaults for those.",
        ]
        if notices
        else None
    )
    return html.Div(
        [
            dcc.Location(id=URL, refresh=False),
            dcc.Store(id=VIEWPORT),
            html.Div(
                [
                    html.H2("Fed balance sheet vs. markets", className="mb-0"),
                    html.P(
                        "The Federal Reserve's total assets (WALCL) against long Treasuries, credit "
                        "spreads, Bitcoin and gold, with every QE and QT episode shaded.",
                        className="text-muted mb-2",
                    ),
                ]
            ),
            html.Div(notice, id=NOTICE),
            live_updates(LIVE),
            build_cards(),
            dbc.Card(
                [
                    dbc.CardHeader(
                        html.Div(
                            [
                                html.Div(
                                    [
                                        html.Strong("WALCL against overlays"),
                                        html.Span(id=EXPORT_STATUS, className="ms-3 small"),
                                        html.Span(id=EXPORT_PROGRESS, className="d-none"),
                                        dbc.Button(
                                            "Cancel export",
                                            id=EXPORT_CANCEL,
                                            size="sm",
                                            color="link",
                                            className="d-none",
                                        ),
                                    ]
                                ),
                                export_controls(),
                            ],
                            className="d-flex justify-content-between align-items-center",
                        )
                    ),
                    dbc.CardBody(
                        [
                            controls(state, episode_choice(query.get("episode"))),
                            html.Div(id=PLOT_NOTICE),
                            html.Div(
                                [
                                    # Plain HTML, shown until the first line is drawn (CSS
                                    # :has in overview.css): plotly.js alone is 1.4 MB.
                                    html.Div(
                                        "Loading the chart…",
                                        id=GRAPH_PLACEHOLDER,
                                        className="overview-graph-placeholder",
                                        role="status",
                                    ),
                                    dcc.Loading(
                                        dcc.Graph(
                                            id=GRAPH,
                                            figure=placeholder_figure(),
                                            config=graph_config("walcl"),
                                            className="overview-graph",
                                        ),
                                        delay_show=400,
                                        type="dot",
                                    ),
                                ],
                                className="overview-graph-wrap",
                            ),
                            html.Div(id=FRESHNESS, className="mt-2"),
                            html.P(
                                [
                                    "Daily series are shown weekly (the last observation of each week "
                                    "ending Wednesday) when the range is longer than five years; nothing "
                                    "is interpolated. Bands: ",
                                    *[
                                        html.Span(
                                            [
                                                html.Span(
                                                    "■ ", style={"color": KIND_LINE_COLORS[k]}
                                                ),
                                                KIND_LABELS[k],
                                                " ",
                                            ],
                                            className="me-2",
                                        )
                                        for k in KIND_LABELS
                                    ],
                                    "Hover a band for what the Fed did; click its label for the FOMC "
                                    "statement.",
                                ],
                                className="small text-muted mt-2 mb-0",
                            ),
                        ]
                    ),
                ],
                className="mb-3",
            ),
        ],
        className="overview-page",
    )


# ---- callbacks -------------------------------------------------------------------------------
def same_view(search: str | None, state: OverviewState) -> bool:
    """True when the URL `search` already describes `state` (then the URL is left alone, so
    loading a page does not add a history entry)."""
    text = search.lstrip("?") if isinstance(search, str) else ""
    query = {
        k: v[0] if len(v) == 1 else v for k, v in parse_qs(text, keep_blank_values=True).items()
    }
    parsed, notices = parse_state(query, load_episodes())
    return parsed == state and not notices


def update_chart(
    overlays,
    range_,
    rebase,
    log,
    mode,
    episodes,
    netliq,
    episode,
    theme,
    _landed=None,
    search=None,
    date_from=None,
    date_to=None,
    recessions=None,
):
    """Controls → figure, camera-button file name, URL query, notices, freshness (the chart
    callback without the window boxes and live-update outputs: for tests and benchmarks)."""
    return chart_for(
        *state_from_controls(
            overlays,
            range_,
            rebase,
            log,
            mode,
            episodes,
            netliq,
            episode,
            load_episodes(),
            date_from,
            date_to,
            recessions,
        ),
        theme,
        search,
    )[0]


def chart_for(state: OverviewState, notices: list[str], theme, search, viewport=None):
    view, datas = load_view(state, notices=notices)
    width = viewport if isinstance(viewport, int | float) and 200 <= viewport <= 10_000 else None
    fig = overview_figure(
        view,
        theme if theme in ("light", "dark") else "light",
        plot_width_px=max(width - 120, 240) if width else 1100.0,
        narrow=bool(width and width < NARROW_PX),
    )
    config = graph_config(export_basename(view) if view.lines else "walcl")
    new_search = no_update if same_view(search, state) else state_to_query(state)
    notice = (
        dbc.Alert(" ".join(view.notices), color="info", className="py-1 px-2 small mb-2")
        if view.notices
        else None
    )
    return (fig, config, new_search, notice, freshness_panel(datas.values())), datas


@callback(
    Output(GRAPH, "figure"),
    Output(GRAPH, "config"),
    Output(URL, "search"),
    Output(PLOT_NOTICE, "children"),
    Output(FRESHNESS, "children"),
    *live_outputs(LIVE),
    Output(DATE_FROM, "value"),
    Output(DATE_TO, "value"),
    Input(OVERLAYS, "value"),
    Input(RANGE, "value"),
    Input(REBASE, "value"),
    Input(LOG, "value"),
    Input(MODE, "value"),
    Input(EPISODES, "value"),
    Input(NETLIQ, "value"),
    Input(EPISODE, "value"),
    Input(ids.THEME_STORE, "data"),
    Input(DATE_FROM, "value"),
    Input(DATE_TO, "value"),
    Input(VIEWPORT, "data"),
    Input(RECESSIONS, "value"),
    Input(LIVE.landed, "data"),  # a background fetch landed: draw again
    State(URL, "search"),
)
def update_view(
    overlays,
    range_,
    rebase,
    log,
    mode,
    episodes,
    netliq,
    episode,
    theme,
    date_from,
    date_to,
    viewport,
    recessions,
    _landed=None,
    search=None,
):
    """The chart callback, plus the window boxes: a preset clears them (and they, filled by
    typing or by `zoom_to_window`, narrow the preset)."""
    trigger = ctx.triggered_id
    if trigger == RANGE:
        date_from, date_to = "", ""
    state, notices = state_from_controls(
        overlays,
        range_,
        rebase,
        log,
        mode,
        episodes,
        netliq,
        episode,
        load_episodes(),
        date_from,
        date_to,
        recessions,
    )
    outputs, datas = chart_for(state, notices, theme, search, viewport)
    # Write the boxes only when their text changes: rewriting what a user is typing into
    # would clobber it.
    typed = (date_from or "", date_to or "")
    shown = [day_text(state.date_from), day_text(state.date_to)]
    if trigger != RANGE:
        shown = [no_update if new == old else new for new, old in zip(shown, typed, strict=True)]
    live = live_values((*CARD_SERIES, *REGIME_SERIES, *datas))
    return (*outputs, *live, *shown)


@callback(Output(CARDS, "children"), Input(LIVE.landed, "data"), prevent_initial_call=True)
def redraw_cards(_landed):
    """The headline cards again, once a background fetch has brought newer data."""
    return build_cards().children


register_live_updates(LIVE)


@callback(
    Output(ADD_SERIES, "options", allow_duplicate=True),
    Input(ADD_SERIES, "search_value"),
    State(OVERLAYS, "options"),
    prevent_initial_call=True,
)
def search_series(query, overlay_opts):
    """Typing in "Add a series" ranks the catalog (see `ranked_series_options`); a cleared
    box brings back the grouped list."""
    pool = [
        o["value"]
        for o in _as_list(overlay_opts)
        if isinstance(o, dict) and is_known(o.get("value"))
    ]
    text = query.strip()[:60] if isinstance(query, str) else ""
    if not text:
        return add_series_options(pool)
    return ranked_series_options(text, pool)


@callback(
    Output(DATE_FROM, "value", allow_duplicate=True),
    Output(DATE_TO, "value", allow_duplicate=True),
    Input(GRAPH, "relayoutData"),
    prevent_initial_call=True,
)
def zoom_to_window(relayout):
    """A zoom, pan or range-slider drag writes its dates into From/To (which redraws the
    chart and the URL); a double-click (autoscale) clears them. A callback of its own: a
    resize event here must not cancel a redraw already on its way."""
    window = window_from_relayout(relayout)
    if window is None:
        raise PreventUpdate
    if window == RESET_WINDOW:
        return "", ""
    return day_text(window[0]), day_text(window[1])


@callback(
    Output(OVERLAYS, "options"),
    Output(OVERLAYS, "value"),
    Output(ADD_SERIES, "value"),
    Output(ADD_SERIES, "options"),
    Input(ADD_SERIES, "value"),
    State(OVERLAYS, "options"),
    State(OVERLAYS, "value"),
    prevent_initial_call=True,
)
def add_series(series_id, options, selected):
    """A series picked in the search box joins the overlay toggles, switched on."""
    if not is_known(series_id) or series_id in (MAIN_ID, NETLIQ_ID):
        return no_update, no_update, None, no_update
    pool = [
        o["value"] for o in _as_list(options) if isinstance(o, dict) and is_known(o.get("value"))
    ]
    selected = [s for s in _as_list(selected) if is_known(s)]
    if series_id not in pool:
        pool.append(series_id)
    if series_id not in selected and len(selected) < MAX_OVERLAYS:
        selected.append(series_id)
    return overlay_options(pool), selected, None, add_series_options(pool)


def export_failed(exc: Exception):
    """A background export that could not finish (its worker went away, none took it, or an
    unexpected error): a plain message, never a traceback or an endless spinner."""
    return no_update, html.Span(user_message(exc), className="text-danger")


@callback(
    Output(DOWNLOAD, "data"),
    Output(EXPORT_STATUS, "children"),
    Input(EXPORT_PNG, "n_clicks"),
    Input(EXPORT_SVG, "n_clicks"),
    Input(EXPORT_PDF, "n_clicks"),
    Input(EXPORT_CSV, "n_clicks"),
    State(OVERLAYS, "value"),
    State(RANGE, "value"),
    State(REBASE, "value"),
    State(LOG, "value"),
    State(MODE, "value"),
    State(EPISODES, "value"),
    State(NETLIQ, "value"),
    State(EPISODE, "value"),
    State(ids.THEME_STORE, "data"),
    State(DATE_FROM, "value"),
    State(DATE_TO, "value"),
    State(RECESSIONS, "value"),
    # Rendering starts a headless browser: off the web worker (a Celery worker with
    # DASHBOARD_REDIS_URL, else a job process), with a progress line and a cancel button.
    background=True,
    progress=Output(EXPORT_PROGRESS, "children"),
    running=[
        (Output(EXPORT_MENU, "disabled"), True, False),
        (Output(EXPORT_CANCEL, "className"), "py-0", "d-none"),
        (Output(EXPORT_PROGRESS, "className"), "ms-3 small text-muted", "d-none"),
    ],
    cancel=[Input(EXPORT_CANCEL, "n_clicks")],
    on_error=export_failed,
    prevent_initial_call=True,
)
def export_chart(
    set_progress,
    _png,
    _svg,
    _pdf,
    _csv,
    overlays,
    range_,
    rebase,
    log,
    mode,
    episodes,
    netliq,
    episode,
    theme,
    date_from=None,
    date_to=None,
    recessions=None,
):
    """Export menu → a file download (rendered on the server), or a message if it failed."""
    fmt = EXPORT_FORMATS.get(ctx.triggered_id)
    if fmt is None:
        return no_update, no_update
    return export_download(
        fmt,
        overlays,
        range_,
        rebase,
        log,
        mode,
        episodes,
        netliq,
        episode,
        theme,
        date_from,
        date_to,
        recessions,
        set_progress,
    )


def export_download(
    fmt,
    overlays,
    range_,
    rebase,
    log,
    mode,
    episodes,
    netliq,
    episode,
    theme,
    date_from=None,
    date_to=None,
    recessions=None,
    progress=None,
):
    """(dcc.Download data, status line) for an export in `fmt` of the view the controls
    describe; on failure, no download and the reason in plain words. `progress(text)` is
    told what is being done."""
    progress = progress or (lambda _text: None)
    progress("Reading the data…")
    state, notices = state_from_controls(
        overlays,
        range_,
        rebase,
        log,
        mode,
        episodes,
        netliq,
        episode,
        load_episodes(),
        date_from,
        date_to,
        recessions,
    )
    view, _ = load_view(state, notices=notices)
    progress(f"Rendering the {fmt.upper()}…")
    try:
        with job_renderer() as renderer:
            exported = export_view(
                view, fmt, theme if theme in ("light", "dark") else "light", renderer
            )
    except ExportError as exc:
        return no_update, html.Span(str(exc), className="text-danger")
    data = {
        "content": base64.b64encode(exported.content).decode("ascii"),
        "filename": exported.filename,
        "type": exported.mime_type,
        "base64": True,
    }
    size = max(1, round(len(exported.content) / 1024))
    return data, html.Span(f"Exported {exported.filename} ({size} KB)", className="text-muted")


# One click: the chart exactly as on screen (current zoom included), as SVG, in the browser.
clientside_callback(
    """function(n, config) {
        if (!n) { return window.dash_clientside.no_update; }
        const gd = document.querySelector('#overview-graph .js-plotly-plot');
        if (!gd || !window.Plotly) { return window.dash_clientside.no_update; }
        const name = (config && config.toImageButtonOptions &&
                      config.toImageButtonOptions.filename) || 'walcl';
        window.Plotly.downloadImage(gd, {format: 'svg', filename: name,
            width: gd._fullLayout.width, height: gd._fullLayout.height});
        return n;
    }""",
    Output(SVG_DONE, "data"),
    Input(SVG_BUTTON, "n_clicks"),
    State(GRAPH, "config"),
    prevent_initial_call=True,
)


# Copy link: the URL already holds the whole view (the chart callback keeps it in step).
# The link is also put in the status text, so it can be copied by hand where the browser
# refuses clipboard access (plain http on another host, some privacy settings).
clientside_callback(
    """async function(n) {
        if (!n) { return window.dash_clientside.no_update; }
        const link = window.location.href;
        try {
            await navigator.clipboard.writeText(link);
            return 'Link copied';
        } catch (e) {
            return 'Copy this link: ' + link;
        }
    }""",
    Output(COPY_STATUS, "children"),
    Input(COPY_LINK, "n_clicks"),
    prevent_initial_call=True,
)


# The viewport width, read once when the page opens: under NARROW_PX the chart takes its
# phone layout. Dash runs this before the chart callback, so the chart is drawn once.
clientside_callback(
    "function(_) { return window.innerWidth; }",
    Output(VIEWPORT, "data"),
    Input(URL, "pathname"),
)


# Server-side exports take a few seconds the first time (the image engine starts): say so at
# once; the export callback replaces this with the result.
clientside_callback(
    """function() {
        const names = {'overview-export-png': 'PNG', 'overview-export-svg': 'SVG',
                       'overview-export-pdf': 'PDF', 'overview-export-csv': 'CSV'};
        const ctx = window.dash_clientside.callback_context;
        const id = ctx.triggered.length ? ctx.triggered[0].prop_id.split('.')[0] : '';
        if (!names[id]) { return window.dash_clientside.no_update; }
        return 'Preparing the ' + names[id] + ' file…';
    }""",
    Output(EXPORT_STATUS, "children", allow_duplicate=True),
    Input(EXPORT_PNG, "n_clicks"),
    Input(EXPORT_SVG, "n_clicks"),
    Input(EXPORT_PDF, "n_clicks"),
    Input(EXPORT_CSV, "n_clicks"),
    prevent_initial_call=True,
)
