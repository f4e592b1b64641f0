"""Exporting the Overview chart: the server-side export menu (PNG, SVG, PDF, CSV, rendered
off the web worker with progress and cancel), the one-click SVG of the chart as on screen,
and the "Preparing…" status shown at once."""

from __future__ import annotations

import base64

from dash import Input, Output, State, callback, clientside_callback, ctx, html, no_update

from dashboard import ids
from dashboard.celery_app import job_renderer, user_message
from dashboard.export import ExportError, export_view
from dashboard.pages.overview.ids import (
    DOWNLOAD,
    EXPORT_CANCEL,
    EXPORT_CSV,
    EXPORT_FORMATS,
    EXPORT_MENU,
    EXPORT_PDF,
    EXPORT_PNG,
    EXPORT_PROGRESS,
    EXPORT_STATUS,
    EXPORT_SVG,
    GRAPH,
    SVG_BUTTON,
    SVG_DONE,
)
from dashboard.pages.overview.view_controls import VIEW_CONTROLS, view_control_deps, view_state
from dashboard.views import load_view


def export_failed(exc: Exception):
    """A background export that could not finish (its worker went away, none took it, or an
    unexpected error): a plain message, never a traceback or an endless spinner."""
    return no_update, html.Span(user_message(exc), className="text-danger")


@callback(
    output=[Output(DOWNLOAD, "data"), Output(EXPORT_STATUS, "children")],
    inputs={"_clicks": [Input(button, "n_clicks") for button in EXPORT_FORMATS]},
    state={"controls": view_control_deps(State), "theme": State(ids.THEME_STORE, "data")},
    # Rendering starts a headless browser: off the request (a Celery worker with
    # DASHBOARD_REDIS_URL, else a job thread), with a progress line and a cancel button.
    background=True,
    progress=Output(EXPORT_PROGRESS, "children"),
    running=[
        (Output(EXPORT_MENU, "disabled"), True, False),
        (Output(EXPORT_CANCEL, "className"), "py-0", "d-none"),
        (Output(EXPORT_PROGRESS, "className"), "ms-3 small text-muted", "d-none"),
    ],
    cancel=[Input(EXPORT_CANCEL, "n_clicks")],
    on_error=export_failed,
    prevent_initial_call=True,
)
def export_chart(set_progress, _clicks, controls, theme):
    """Export menu → a file download (rendered on the server), or a message if it failed."""
    fmt = EXPORT_FORMATS.get(ctx.triggered_id)
    if fmt is None:
        return no_update, no_update
    return export_file(fmt, controls, theme, set_progress)


def export_download(
    fmt,
    overlays,
    range_,
    rebase,
    log,
    mode,
    episodes,
    netliq,
    episode,
    theme,
    date_from=None,
    date_to=None,
    recessions=None,
    progress=None,
    fomc=None,
    h41=None,
    units=None,
):
    """`export_file` with the control values as arguments (for tests and the CLI's shape)."""
    controls = {name: value for name, value in locals().items() if name in VIEW_CONTROLS}
    return export_file(fmt, controls, theme, progress)  # controls: the parameters above


def export_file(fmt, controls: dict, theme, progress=None):
    """(dcc.Download data, status line) for an export in `fmt` of the view the controls
    describe; on failure, no download and the reason in plain words. `progress(text)` is
    told what is being done."""
    progress = progress or (lambda _text: None)
    progress("Reading the data…")
    state, notices = view_state(controls)
    view, _ = load_view(state, notices=notices)
    progress(f"Rendering the {fmt.upper()}…")
    try:
        with job_renderer() as renderer:
            exported = export_view(
                view, fmt, theme if theme in ("light", "dark") else "light", renderer
            )
    except ExportError as exc:
        return no_update, html.Span(str(exc), className="text-danger")
    data = {
        "content": base64.b64encode(exported.content).decode("ascii"),
        "filename": exported.filename,
        "type": exported.mime_type,
        "base64": True,
    }
    size = max(1, round(len(exported.content) / 1024))
    return data, html.Span(f"Exported {exported.filename} ({size} KB)", className="text-muted")


# One click: the chart exactly as on screen (current zoom included), as SVG, in the browser.
clientside_callback(
    """function(n, config) {
        if (!n) { return window.dash_clientside.no_update; }
        const gd = document.querySelector('#overview-graph .js-plotly-plot');
        if (!gd || !window.Plotly) { return window.dash_clientside.no_update; }
        const name = (config && config.toImageButtonOptions &&
                      config.toImageButtonOptions.filename) || 'walcl';
        window.Plotly.downloadImage(gd, {format: 'svg', filename: name,
            width: gd._fullLayout.width, height: gd._fullLayout.height});
        return n;
    }""",
    Output(SVG_DONE, "data"),
    Input(SVG_BUTTON, "n_clicks"),
    State(GRAPH, "config"),
    prevent_initial_call=True,
)


# Server-side exports take a few seconds the first time (the image engine starts): say so at
# once; the export callback replaces this with the result.
clientside_callback(
    """function() {
        const names = {'overview-export-png': 'PNG', 'overview-export-svg': 'SVG',
                       'overview-export-pdf': 'PDF', 'overview-export-csv': 'CSV'};
        const ctx = window.dash_clientside.callback_context;
        const id = ctx.triggered.length ? ctx.triggered[0].prop_id.split('.')[0] : '';
        if (!names[id]) { return window.dash_clientside.no_update; }
        return 'Preparing the ' + names[id] + ' file…';
    }""",
    Output(EXPORT_STATUS, "children", allow_duplicate=True),
    Input(EXPORT_PNG, "n_clicks"),
    Input(EXPORT_SVG, "n_clicks"),
    Input(EXPORT_PDF, "n_clicks"),
    Input(EXPORT_CSV, "n_clicks"),
    prevent_initial_call=True,
)
