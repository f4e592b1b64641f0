"""Asset deep dive: /asset/<series_id> for every catalog series — what it is and how fresh,
its recent changes, a chart against WALCL with the episode bands, what it did during and
after each QE and QT, how its weekly changes move with the balance sheet, the triggers that
read it or matter for it, and the common claim for its class with our verdict."""

import dash

from dashboard.pages.asset import callbacks  # noqa: F401  (registers the callbacks)
from dashboard.pages.asset import layout as page

dash.register_page(
    __name__,
    path_template="/asset/<series_id>",
    path="/asset/WALCL",  # the example the registry (and the hostile fuzzer) opens
    name="Asset deep dive",
    title=page.page_title,
    layout=page.layout,
    order=None,
    nav=False,  # one page per series: reached from links, not the navbar
)
