"""Component ids of the Triggers page."""

from dashboard.components import live_ids

NOTICE = "triggers-notice"
PHASE_BANNER = "triggers-phase-banner"
SUMMARY = "triggers-summary"
GRID = "triggers-grid"
READINGS_STORE = "triggers-readings"
SELECTED_STORE = "triggers-selected"
FRESHNESS = "triggers-freshness"
HISTORY_MODAL = "triggers-history-modal"
HISTORY_TITLE = "triggers-history-title"
HISTORY_GRAPH = "triggers-history-graph"
HISTORY_DETAILS = "triggers-history-details"
HISTORY_CLOSE = "triggers-history-close"
# Types of the pattern-matching ids repeated once per trigger: {"type": ..., "trigger": id}.
CARD = "triggers-card"
GAUGE = "triggers-gauge"
GAUGE_AREA = "triggers-gauge-area"
HISTORY_BUTTON = "triggers-history-button"
LIVE = live_ids("triggers")  # the page fills itself in as background fetches land
