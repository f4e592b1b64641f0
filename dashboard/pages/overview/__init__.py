"""Overview: the Fed's balance sheet (WALCL) against the assets users trade, with every QE and
QT episode shaded, headline liquidity numbers, and chart export.

The view lives in the URL (`/?overlays=TLT,BTC-USD&range=10Y&rebase=1&log=0&mode=stacked&
episodes=1`): `layout(**query)` sets the controls from it, and the chart callback writes the
controls back into it, so a copied link reproduces the view.

Modules: `ids` (component ids), `layout` (the page), `controls` (the chart's controls),
`search` (the series picker's options), `units` (units per series), `cards` (headline and regime cards), `callbacks`
(chart, URL, picker, zoom, copy link) and `export` (server-side and SVG exports). The names
tests and benchmarks use are re-exported here.
"""

import dash

from dashboard.pages.overview import export  # noqa: F401  (registers the export callbacks)
from dashboard.pages.overview.callbacks import (
    add_series,
    chart_for,
    redraw_cards,
    same_view,
    search_series,
    update_chart,
    update_view,
    zoom_to_window,
)
from dashboard.pages.overview.cards import (
    CARD_SERIES,
    REGIME_SERIES,
    build_cards,
    change_text,
    headline_card,
    money,
    regime_card,
    signed,
)
from dashboard.pages.overview.controls import (
    controls,
    date_inputs,
    day_text,
    default_episode,
    episode_choice,
    episode_options,
)
from dashboard.pages.overview.export import export_chart, export_download, export_failed
from dashboard.pages.overview.ids import (
    ADD_SERIES,
    CARDS,
    DATE_FROM,
    DATE_TO,
    EPISODE,
    EPISODES,
    GRAPH,
    LIVE,
    LOG,
    MODE,
    NETLIQ,
    NOTICE,
    OVERLAYS,
    RANGE,
    REBASE,
    RECESSIONS,
    URL,
)
from dashboard.pages.overview.layout import layout, placeholder_figure
from dashboard.pages.overview.search import (
    add_series_options,
    overlay_options,
    ranked_series_options,
)
from dashboard.pages.overview.units import (
    choose_units,
    units_choice,
    units_controls,
    units_series,
)

dash.register_page(
    __name__,
    path="/",
    name="Overview",
    title="Overview · Fed Liquidity",
    order=1,
    layout=layout,
)

__all__ = [
    "ADD_SERIES",
    "CARDS",
    "CARD_SERIES",
    "DATE_FROM",
    "DATE_TO",
    "EPISODE",
    "EPISODES",
    "GRAPH",
    "LIVE",
    "LOG",
    "MODE",
    "NETLIQ",
    "NOTICE",
    "OVERLAYS",
    "RANGE",
    "REBASE",
    "RECESSIONS",
    "REGIME_SERIES",
    "URL",
    "add_series",
    "add_series_options",
    "build_cards",
    "change_text",
    "chart_for",
    "controls",
    "date_inputs",
    "day_text",
    "default_episode",
    "episode_choice",
    "episode_options",
    "export_chart",
    "export_download",
    "export_failed",
    "headline_card",
    "layout",
    "money",
    "overlay_options",
    "placeholder_figure",
    "ranked_series_options",
    "redraw_cards",
    "regime_card",
    "same_view",
    "search_series",
    "signed",
    "update_chart",
    "update_view",
    "choose_units",
    "units_choice",
    "units_controls",
    "units_series",
    "zoom_to_window",
]
