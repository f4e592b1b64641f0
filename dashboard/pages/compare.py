"""Pair comparison of any two series: changes, correlation and lead/lag."""

import dash
from dash import html

dash.register_page(
    __name__, path="/compare", name="Compare", title="Compare · Fed Liquidity", order=2
)

layout = html.Div([html.H2("Compare"), html.P("This page is being built.")])
