"""The main chart: Fed balance sheet against the assets users trade."""

import dash
from dash import html

dash.register_page(__name__, path="/", name="Overview", title="Overview · Fed Liquidity", order=1)

layout = html.Div([html.H2("Overview"), html.P("This page is being built.")])
