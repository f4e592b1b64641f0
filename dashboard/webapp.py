"""The Dash application: shell layout (navbar from the page registry, theme toggle) and pages.

`create_app()` is called once per process (Dash's page registry is global).
"""

from __future__ import annotations

import logging

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, clientside_callback, dcc, html

from dashboard import ids
from dashboard.config import PROJECT_ROOT, ServerSettings
from dashboard.theme import DARK, LIGHT

log = logging.getLogger(__name__)
APP_TITLE = "Fed Liquidity Dashboard"


def _navbar() -> dbc.Navbar:
    links = [
        dbc.NavItem(dbc.NavLink(page["name"], href=page["relative_path"], active="exact"))
        for page in sorted(
            dash.page_registry.values(), key=lambda p: 99 if p.get("order") is None else p["order"]
        )
        if page["module"] != "dashboard.pages.not_found_404"
    ]
    theme = html.Div(
        [
            html.Span("☀", className="me-1", **{"aria-hidden": "true"}),
            dbc.Switch(
                id=ids.THEME_SWITCH,
                value=False,
                className="d-inline-block mb-0",
                label="",
                input_class_name="",
                persistence=True,
            ),
            html.Span("☾", **{"aria-hidden": "true"}),
        ],
        className="d-flex align-items-center text-light ms-3",
        title="Dark theme",
    )
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(APP_TITLE, href="/"),
                dbc.Nav(links, navbar=True, className="me-auto"),
                theme,
            ],
            fluid=True,
        ),
        id=ids.NAVBAR,
        color="primary",
        dark=True,
        className="mb-3",
    )


def _layout() -> html.Div:
    return html.Div(
        [
            dcc.Store(id=ids.THEME_STORE, storage_type="local", data=LIGHT),
            _navbar(),
            dbc.Container(dash.page_container, id=ids.PAGE_CONTAINER, fluid=True),
            html.Footer(
                dbc.Container(
                    html.Small(
                        "Data: Board of Governors of the Federal Reserve System, Federal Reserve "
                        "Bank of New York, Federal Reserve Bank of St. Louis (FRED) and the owners "
                        "listed on the Data page.",
                        className="text-muted",
                    ),
                    fluid=True,
                ),
                className="py-3",
            ),
        ]
    )


def create_app() -> dash.Dash:
    app = dash.Dash(
        "dashboard",
        use_pages=True,
        pages_folder=str(PROJECT_ROOT / "dashboard" / "pages"),
        assets_folder=str(PROJECT_ROOT / "assets"),
        title=APP_TITLE,
        update_title=None,
        suppress_callback_exceptions=True,
        serve_locally=True,
        # gzip/brotli in the app itself, so `python app.py` gets it too: plotly.min.js is
        # 4.7 MB raw and a figure is mostly digits (flask-compress, pinned in requirements).
        compress=True,
    )
    app.layout = _layout
    _import_page_packages()
    _register_theme_callbacks()
    from dashboard.api import register_api
    from dashboard.httpguard import install_guards
    from dashboard.respcache import install_response_cache

    register_api(app.server)
    install_guards(app)
    install_response_cache(app, ServerSettings.from_env().response_cache_seconds)
    return app


def _import_page_packages() -> None:
    """Import pages in the package shape (dashboard/pages/<name>/__init__.py): Dash's page
    scan skips `__init__.py` files, so their `register_page` would never run otherwise."""
    import importlib

    for init in sorted((PROJECT_ROOT / "dashboard" / "pages").glob("*/__init__.py")):
        importlib.import_module(f"dashboard.pages.{init.parent.name}")


def _register_theme_callbacks() -> None:
    # The switch drives the stored theme; the stored theme drives Bootstrap's color mode.
    # Both run in the browser, so a theme change costs no server round trip.
    clientside_callback(
        f"function(dark) {{ return dark ? '{DARK}' : '{LIGHT}'; }}",
        Output(ids.THEME_STORE, "data"),
        Input(ids.THEME_SWITCH, "value"),
    )
    clientside_callback(
        """function(theme) {
            document.documentElement.setAttribute('data-bs-theme', theme || 'light');
            return window.dash_clientside.no_update;
        }""",
        Output(ids.THEME_SWITCH, "className"),
        Input(ids.THEME_STORE, "data"),
        State(ids.THEME_SWITCH, "className"),
    )
