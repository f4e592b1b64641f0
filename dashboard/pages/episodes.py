"""QE/QT episodes and what each asset did during and after them."""

import dash
from dash import html

dash.register_page(
    __name__, path="/episodes", name="Episodes", title="Episodes · Fed Liquidity", order=4
)

layout = html.Div([html.H2("Episodes"), html.P("This page is being built.")])
