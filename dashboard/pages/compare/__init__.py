"""Compare: any two series side by side — latest values, changes, 90-day statistics, how their
weekly changes correlate (now, rolling, and with a lead or lag), a z-scored spread view and a
scatter with its fitted line.

The URL holds the pair, the range and the lead shift (`/compare?a=WALCL&b=TLT&range=5Y&shift=13`),
so a link reproduces the view; unknown values fall back to the defaults with a notice.

Files: `ids.py` (component ids), `state.py` (URL values, defaults, pair texts), `layout.py`,
`tables.py` (the summary and correlation tables), `callbacks.py`.
"""

import dash

from dashboard.pages.compare import callbacks  # noqa: F401  (registers the callbacks)
from dashboard.pages.compare.callbacks import (  # noqa: F401  (names the tests reach)
    _RANGE_MEMO,
    stats,
    swap,
    update_pair,
    update_range_views,
)
from dashboard.pages.compare.layout import layout
from dashboard.pages.compare.state import (  # noqa: F401
    DEFAULT_A,
    DEFAULT_B,
    DEFAULT_RANGE,
    compare_href,
    resolve_query,
)
from dashboard.pages.compare.tables import correlation_table, summary_table  # noqa: F401

dash.register_page(
    __name__,
    path="/compare",
    name="Compare",
    title="Compare · Fed Liquidity",
    order=2,
    layout=layout,
)
