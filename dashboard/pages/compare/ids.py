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
