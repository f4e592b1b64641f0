"""Every route answers in a real browser, styled, with no console errors."""

import pytest

from tests.conftest import requires_shared

pytestmark = [pytest.mark.browser, requires_shared]

ROUTES = ["/", "/compare", "/triggers", "/episodes", "/data", "/scenarios", "/no-such-page"]


@pytest.mark.parametrize("route", ROUTES)
def test_route001_every_route_loads_without_console_errors(served_app, page, route):
    response = page.goto(served_app + route)
    assert response.status == 200
    page.wait_for_selector("#app-navbar")
    page.wait_for_load_state("networkidle")
    # Styled from the vendored Bootstrap: the navbar has the theme's primary colour.
    background = page.eval_on_selector("#app-navbar", "e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.console_errors == []


def test_route002_unknown_page_says_not_found(served_app, page):
    page.goto(served_app + "/no-such-page")
    page.wait_for_selector("text=Page not found")


def test_route003_navbar_marks_current_page(served_app, page):
    page.goto(served_app + "/data")
    page.wait_for_selector("#data-table")
    active = page.locator("#app-navbar .nav-link.active")
    assert active.inner_text() == "Data"


def test_route004_theme_toggle_switches_color_mode(served_app, page):
    page.goto(served_app + "/data")
    page.wait_for_selector("#app-theme-switch")
    assert page.evaluate("document.documentElement.getAttribute('data-bs-theme')") in (
        None,
        "light",
    )
    page.click("#app-theme-switch")
    page.wait_for_function("document.documentElement.getAttribute('data-bs-theme') === 'dark'")
