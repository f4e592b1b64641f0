"""Component ids of the asset deep dive (/asset/<series_id>)."""

PAGE = "asset-page"
NOTICE = "asset-notice"
SERIES_STORE = "asset-series-store"  # the page's series id, read by the chart callback
HEADER = "asset-header"
CHANGES = "asset-changes-table"
GRAPH = "asset-graph"
CLAIMS = "asset-claims"
EPISODE_TABLE = "asset-episodes"  # one per kind: f"{EPISODE_TABLE}-{kind.lower()}"
COMOVEMENT = "asset-comovement-table"
TRIGGERS = "asset-triggers"
FRESHNESS = "asset-freshness"
CONTRIBUTIONS = "asset-netliq-contributions"  # net liquidity only: what moved it, by week
