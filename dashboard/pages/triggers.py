"""Liquidity triggers: how close each one is to firing."""

import dash
from dash import html

dash.register_page(
    __name__, path="/triggers", name="Triggers", title="Triggers · Fed Liquidity", order=3
)

layout = html.Div([html.H2("Triggers"), html.P("This page is being built.")])
