"""The Overview page's layout: headline cards, the chart card with its controls, export
buttons and notes. `layout(**query)` sets the controls from the URL."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html

from dashboard.analytics.overview import (
    parse_state,
)
from dashboard.components import (
    graph_config,
    live_token,
    live_updates,
    url_notice,
)
from dashboard.episodes import KIND_LABELS, load_episodes
from dashboard.figures.bands import KIND_LINE_COLORS
from dashboard.figures.overview import CHART_HEIGHT
from dashboard.pages.overview.cards import build_cards
from dashboard.pages.overview.controls import controls, episode_choice
from dashboard.pages.overview.ids import (
    CHART,
    COPY_LINK,
    COPY_STATUS,
    DOWNLOAD,
    EXPORT_CANCEL,
    EXPORT_CSV,
    EXPORT_MENU,
    EXPORT_PDF,
    EXPORT_PNG,
    EXPORT_PROGRESS,
    EXPORT_STATUS,
    EXPORT_SVG,
    FRESHNESS,
    GRAPH,
    GRAPH_PLACEHOLDER,
    LIVE,
    NOTICE,
    PLOT_NOTICE,
    SKIP_TO_CHART,
    SVG_BUTTON,
    SVG_DONE,
    URL,
    VIEWPORT,
)
from dashboard.pages.overview.what_moved import what_moved_panel
from dashboard.theme import plotly_template


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
    since = live_token()  # before anything reads data: see components.live_values
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
            # Keyboard users reach the chart in one step instead of walking every control.
            html.A(
                "Skip to the chart",
                href=f"#{CHART}",
                id=SKIP_TO_CHART,
                className="visually-hidden-focusable",
            ),
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
            live_updates(LIVE, since),
            build_cards(),
            what_moved_panel(),
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
                                id=CHART,
                                tabIndex="0",
                                role="figure",
                                **{"aria-label": "Chart: the Fed balance sheet against overlays"},
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
                className="mb-3 overview-chart-card",
            ),
        ],
        className="overview-page",
    )
