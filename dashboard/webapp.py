"""The Dash application: shell layout (navbar from the page registry, theme toggle) and pages.

`create_app()` is called once per process (Dash's page registry is global).
"""

from __future__ import annotations

import logging

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, clientside_callback, dcc, html

from dashboard import ids
from dashboard.config import PROJECT_ROOT, ServerSettings, Settings
from dashboard.theme import DARK, LIGHT

log = logging.getLogger(__name__)
APP_TITLE = "Fed Liquidity Dashboard"


# A page joins a dropdown in the navbar with `dash.register_page(..., menu="Playbooks")`;
# the dropdown sits where its first member (by `order`) would.
MENU_ATTRIBUTE = "menu"


def _order(page: dict) -> float:
    return 99 if page.get("order") is None else page["order"]


def navbar_entries(pages) -> list[tuple[str, list[dict]]]:
    """(group, pages) in navbar order; group "" is a plain link. Left out: the 404 page and
    pages with a path template (/asset/<id> needs an id, so it has no link of its own)."""
    entries: list[tuple[str, list[dict]]] = []
    groups: dict[str, list[dict]] = {}
    for page in sorted(pages, key=_order):
        if (
            page["module"].endswith("not_found_404")
            or page.get("path_template")
            or not page.get("nav", True)
        ):
            continue
        group = page.get(MENU_ATTRIBUTE) or ""
        if not group:
            entries.append(("", [page]))
        elif group in groups:
            groups[group].append(page)
        else:
            groups[group] = [page]
            entries.append((group, groups[group]))
    return entries


def _nav_items(pages) -> list:
    items = []
    for group, members in navbar_entries(pages):
        if not group:
            page = members[0]
            items.append(
                dbc.NavItem(dbc.NavLink(page["name"], href=page["relative_path"], active="exact"))
            )
            continue
        items.append(
            dbc.DropdownMenu(
                [dbc.DropdownMenuItem(p["name"], href=p["relative_path"]) for p in members],
                label=group,
                nav=True,
                in_navbar=True,
            )
        )
    return items


def _navbar() -> dbc.Navbar:
    theme = html.Div(
        [
            html.Span("☀", className="me-1", **{"aria-hidden": "true"}),
            dbc.Switch(
                id=ids.THEME_SWITCH,
                value=False,
                className="d-inline-block mb-0",
                # An accessible name for screen readers; the sun and moon show it visually.
                label="Dark theme",
                label_class_name="visually-hidden",
                input_class_name="",
                persistence=True,
            ),
            html.Span("☾", **{"aria-hidden": "true"}),
        ],
        className="d-flex align-items-center text-light ms-lg-3 my-2 my-lg-0",
        title="Dark theme",
    )
    # Below the lg breakpoint the links fold behind a toggler: on a phone the open navbar
    # took 256 of 844 px.
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(APP_TITLE, href="/"),
                dbc.NavbarToggler(id=ids.NAVBAR_TOGGLER, n_clicks=0),
                dbc.Collapse(
                    [
                        dbc.Nav(
                            _nav_items(dash.page_registry.values()),
                            navbar=True,
                            className="me-auto",
                        ),
                        theme,
                    ],
                    id=ids.NAVBAR_COLLAPSE,
                    is_open=False,
                    navbar=True,
                ),
            ],
            fluid=True,
        ),
        id=ids.NAVBAR,
        color="primary",
        dark=True,
        expand="lg",
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
    from dashboard.celery_app import background_manager

    settings = Settings.from_env()
    app = dash.Dash(
        "dashboard",
        use_pages=True,
        pages_folder=str(PROJECT_ROOT / "dashboard" / "pages"),
        assets_folder=str(PROJECT_ROOT / "assets"),
        title=APP_TITLE,
        update_title=None,
        suppress_callback_exceptions=True,
        serve_locally=True,
        # Celery on Redis with DASHBOARD_REDIS_URL, else a process per job on this host.
        background_callback_manager=background_manager(settings),
        # gzip/brotli in the app itself, so `python app.py` gets it too: plotly.min.js is
        # 4.7 MB raw and a figure is mostly digits (flask-compress, pinned in requirements).
        compress=True,
    )
    app.layout = _layout
    _import_page_packages()
    _register_theme_callbacks()
    _register_navbar_callbacks()
    from dashboard.api import register_api
    from dashboard.httpguard import install_guards
    from dashboard.respcache import install_response_cache

    register_api(app.server)
    install_guards(app)
    server_settings = ServerSettings.from_env()
    pace_clients(app, server_settings.client_callbacks_per_s)
    trust_proxies(app, server_settings.trusted_proxies)  # outside the pacer: it sees the client
    install_response_cache(app, server_settings.response_cache_seconds, settings.redis_url)
    return app


def pace_clients(app: dash.Dash, rate: float) -> None:
    """Each address's callbacks paced (dashboard/pacing.py); 0 turns it off."""
    from dashboard.pacing import ClientPacer

    if rate > 0:
        app.server.wsgi_app = ClientPacer(app.server.wsgi_app, rate)


def trust_proxies(app: dash.Dash, count: int) -> None:
    """Behind `count` reverse proxies, take the client's address from X-Forwarded-For (the
    per-client response-cache share keys on it); otherwise every user would be the proxy.
    Off by default: without a proxy the header is whatever a client chooses to send."""
    if count > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.server.wsgi_app = ProxyFix(app.server.wsgi_app, x_for=count)


def _import_page_packages() -> None:
    """Import pages in the package shape (dashboard/pages/<name>/__init__.py): Dash's page
    scan skips `__init__.py` files, so their `register_page` would never run otherwise."""
    import importlib

    for init in sorted((PROJECT_ROOT / "dashboard" / "pages").glob("*/__init__.py")):
        importlib.import_module(f"dashboard.pages.{init.parent.name}")


def _register_navbar_callbacks() -> None:
    # The toggler opens and closes the menu; following a link closes it again.
    clientside_callback(
        """function(n, path, open) {
            const ctx = window.dash_clientside.callback_context;
            const trig = ctx.triggered.length ? ctx.triggered[0].prop_id : '';
            if (trig.startsWith('app-navbar-toggler')) { return !open; }
            return false;
        }""",
        Output(ids.NAVBAR_COLLAPSE, "is_open"),
        Input(ids.NAVBAR_TOGGLER, "n_clicks"),
        Input("_pages_location", "pathname"),
        State(ids.NAVBAR_COLLAPSE, "is_open"),
        prevent_initial_call=True,
    )


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
