"""Component ids of the Episodes page."""

from dashboard.components import live_ids

NOTICE = "episodes-notice"
METHOD = "episodes-method"
TABLE = "episodes-table"
EVENT_TABS = "episodes-event-tabs"
EVENT_TABLE = "episodes-event-table"  # one per window: f"{EVENT_TABLE}-{window}"
ASSET = "episodes-asset"
PATHS = "episodes-paths-graph"
CLAIMS = "episodes-claims-table"
FRESHNESS = "episodes-freshness"
URL_SYNC = "episodes-url-sync"
EPISODES_BODY = "episodes-table-body"  # the parts redrawn when a background fetch lands
EVENT_BODY = "episodes-event-body"
CLAIMS_BODY = "episodes-claims-body"
LIVE = live_ids("episodes")  # the page fills itself in as background fetches land
