"""404: any URL that is not a page. Says so and links home, inside the normal shell."""

import dash
from dash import html

dash.register_page(__name__, path="/404", title="Not found")

layout = html.Div(
    [
        html.H2("Page not found"),
        html.P("There is no page at this address."),
        html.A("Back to the overview", href="/"),
    ],
    className="py-4",
)
