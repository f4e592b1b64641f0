"""Triggers: the signals that push the Fed back into expanding its balance sheet, one gauge
each, showing how close each is to firing, how fast it moves and when it last fired; the
end-of-QT phase as a banner; a trigger's history on click.

`/triggers?open=<trigger id>` opens that trigger's history, so a link reproduces the view.
Thresholds live in `dashboard/reference/triggers.csv`; the numbers come from
`dashboard.analytics.triggers`, the same readings as `python -m dashboard triggers --json`
and `GET /api/triggers`.

Files: `ids.py` (component ids), `readings.py` (the only place the page reads data, memoised),
`gauges.py` (gauge figures built once), `cards.py` (card, phase banner, summary, history
details), `layout.py`, `callbacks.py`.
"""

import dash

from dashboard.pages.triggers import callbacks  # noqa: F401  (registers the callbacks)
from dashboard.pages.triggers.callbacks import (  # noqa: F401  (names tests reach)
    history_request,
    open_history,
    render_history,
    restyle_gauges,
)
from dashboard.pages.triggers.cards import (  # noqa: F401
    BADGE_COLORS,
    PHASE_STEPS,
    history_details,
    phase_banner,
    summary_line,
    trigger_card,
)
from dashboard.pages.triggers.gauges import gauge_json, message_json  # noqa: F401
from dashboard.pages.triggers.ids import (  # noqa: F401  (every id, as before the split)
    CARD,
    FRESHNESS,
    GAUGE,
    GAUGE_AREA,
    GRID,
    HISTORY_BUTTON,
    HISTORY_CLOSE,
    HISTORY_DETAILS,
    HISTORY_GRAPH,
    HISTORY_MODAL,
    HISTORY_TITLE,
    LIVE,
    NOTICE,
    PHASE_BANNER,
    READINGS_STORE,
    SELECTED_STORE,
    SUMMARY,
)
from dashboard.pages.triggers.layout import layout
from dashboard.pages.triggers.readings import (  # noqa: F401
    HISTORY_MEMO_SIZE,
    MEMO_SIZE,
    PHASE_SERIES,
    _history_memo,
    _memo,
    gather,
)

dash.register_page(
    __name__,
    path="/triggers",
    name="Triggers",
    title="Triggers · Fed Liquidity",
    order=3,
    layout=layout,
)
