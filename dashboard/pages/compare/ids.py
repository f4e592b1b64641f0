"""Component ids of the Compare page."""

from dashboard.components import live_ids

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
SHIFT = "compare-shift"  # weeks A is moved later (the lead-shift control)
SHIFT_PEAK = "compare-shift-peak"  # "use the peak lag" button
PEAK_LAG = "compare-peak-lag"  # the lead/lag peak for that button (store)
SHIFT_TEXT = "compare-shift-text"
SHIFT_GRAPH = "compare-shift-graph"
SHIFT_SCATTER = "compare-shift-scatter-graph"
