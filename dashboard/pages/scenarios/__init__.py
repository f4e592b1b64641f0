"""Scenarios: the Fed staff's portfolio-balance model of the term premium (FOMC memo, 2010) on
today's balance sheet. `/scenarios?alt1=qe&qe=100&c=30` reproduces a view."""

import dash

from dashboard.pages.scenarios import callbacks  # noqa: F401  (registers the callbacks)
from dashboard.pages.scenarios import layout as page_layout

dash.register_page(
    __name__,
    path="/scenarios",
    name="Scenarios",
    title="Scenarios · Fed Liquidity",
    order=6,
    layout=page_layout.layout,
)
