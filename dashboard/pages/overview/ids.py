"""Component ids of the Overview page (constants, so callbacks and tests agree)."""

from __future__ import annotations

from dashboard.components import live_ids

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
CHART = "overview-chart"  # the chart area: a keyboard stop, the skip link's target
SKIP_TO_CHART = "overview-skip-to-chart"
COPY_LINK = "overview-copy-link"
COPY_STATUS = "overview-copy-status"
MODE = "overview-mode"
REBASE = "overview-rebase"
LOG = "overview-log"
NETLIQ = "overview-netliq"
EPISODES = "overview-episodes"
RECESSIONS = "overview-recessions"
FOMC = "overview-fomc"  # switch: FOMC meeting markers
H41 = "overview-h41"  # switch: the next expected H.4.1 release as a marker
WHAT_MOVED = "overview-what-moved"  # button on the net-liquidity card
WHAT_MOVED_COLLAPSE = "overview-what-moved-collapse"
CONTRIBUTIONS = "overview-netliq-contributions"  # the weekly contribution bars
CONTRIBUTIONS_HOLDER = "overview-netliq-contributions-holder"  # holds them once opened
UNITS_SERIES = "overview-units-series"  # which drawn series the units menu applies to
UNITS = "overview-units"  # that series' unit (a code of analytics/units.py)
UNITS_STORE = "overview-units-store"  # {series id: unit code} for every series set
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
