"""Component ids shared by the app shell. Page-specific ids live at the top of each page."""

URL = "app-url"
THEME_STORE = "app-theme-store"
THEME_SWITCH = "app-theme-switch"
NAVBAR = "app-navbar"
PAGE_CONTAINER = "app-page-container"
NAVBAR_TOGGLER = "app-navbar-toggler"
NAVBAR_COLLAPSE = "app-navbar-collapse"
