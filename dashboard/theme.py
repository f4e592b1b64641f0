"""Light/dark theme names shared by the shell (Bootstrap color mode) and the figures."""

LIGHT, DARK = "light", "dark"
PLOTLY_TEMPLATES = {LIGHT: "plotly_white", DARK: "plotly_dark"}


def plotly_template(theme: object) -> str:
    """The Plotly template for a theme name; anything unexpected gets the light one."""
    return PLOTLY_TEMPLATES.get(theme if isinstance(theme, str) else LIGHT, "plotly_white")
