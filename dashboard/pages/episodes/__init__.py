"""Episodes: every QE/QT episode and what the Fed's balance sheet did in it; an event study of
what stocks, Treasuries, Bitcoin, gold, credit spreads, the dollar and the 10-year yield did
during and after each one; and the popular "QE lifts everything" claims checked against
those numbers.

The URL holds the chart's asset and the table's window (`/episodes?asset=BTC-USD&window=6m`).

Files: `ids.py` (component ids), `state.py` (the assets and URL values), `tables.py`,
`layout.py`, `callbacks.py`.
"""

import dash

from dashboard.pages.episodes import callbacks  # noqa: F401  (registers the callbacks)
from dashboard.pages.episodes.callbacks import update_paths  # noqa: F401  (names tests reach)
from dashboard.pages.episodes.ids import CLAIMS, TABLE  # noqa: F401
from dashboard.pages.episodes.layout import layout
from dashboard.pages.episodes.state import (  # noqa: F401
    STUDY_ASSETS,
    resolve_query,
    shown_label,
    study_assets,
)
from dashboard.pages.episodes.tables import (  # noqa: F401
    claims_table,
    episodes_table,
    event_table,
)

dash.register_page(
    __name__,
    path="/episodes",
    name="Episodes",
    title="Episodes · Fed Liquidity",
    order=4,
    layout=layout,
)
