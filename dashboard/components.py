"""Small layout pieces every page uses: freshness lines and notices, graph config."""

from __future__ import annotations

from collections.abc import Iterable

import dash_bootstrap_components as dbc
from dash import html

from dashboard.data import FRESH, SNAPSHOT, STALE, UNAVAILABLE, SeriesData, SeriesStatus

STATE_COLORS = {FRESH: "success", STALE: "warning", SNAPSHOT: "info", UNAVAILABLE: "danger"}


def status_badge(status: SeriesStatus) -> dbc.Badge:
    return dbc.Badge(
        status.label, color=STATE_COLORS.get(status.state, "secondary"), className="ms-1"
    )


def as_of_text(data: SeriesData) -> str:
    status = data.status
    if status.last_date is None:
        return f"{data.info.label}: no data"
    return f"{data.info.label}: as of {status.last_date:%Y-%m-%d} ({status.source})"


def freshness_panel(datas: Iterable[SeriesData], notice_id: str | None = None) -> html.Div:
    """One line per series with its as-of date and source, and a notice for any series that
    is stale, an offline snapshot or unavailable (with the reason in plain words)."""
    datas = list(datas)
    lines = [
        html.Span([as_of_text(d), status_badge(d.status)], className="me-3 d-inline-block")
        for d in datas
    ]
    problems = [d for d in datas if d.status.state != FRESH]
    children: list = [html.Small(lines, className="text-muted")]
    if problems:
        items = []
        for d in problems:
            text = f"{d.info.label}: {d.status.label}"
            if d.status.state == SNAPSHOT and d.status.age_days is not None:
                text += f", last observation {d.status.age_days} days ago"
            if d.status.message:
                text += f". {d.status.message}"
            items.append(html.Li(text))
        worst = UNAVAILABLE if any(d.status.state == UNAVAILABLE for d in problems) else STALE
        children.append(
            dbc.Alert(
                [
                    html.Strong("Data notice: "),
                    "some series are not live.",
                    html.Ul(items, className="mb-0"),
                ],
                color="danger" if worst == UNAVAILABLE else "warning",
                className="py-2 mt-2 small",
                dismissable=True,
            )
        )
    return html.Div(children, id=notice_id) if notice_id else html.Div(children)


# Plotly's "share" button ("sendDataToCloud", a chain/disk icon; "Edit in Chart Studio")
# uploads the chart's data to Plotly's cloud: ICE, LBMA and exchange data we may not
# republish. Every chart on every page takes its config from here, so none offers it.
NO_CLOUD = {
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showLink": False,
    "sendData": False,
}
REMOVED_BUTTONS = ["lasso2d", "select2d", "sendDataToCloud", "editInChartStudio"]


def graph_config(filename: str) -> dict:
    """Plotly modebar config: PNG at 2x with a meaningful file name, no cloud sharing."""
    return {
        **NO_CLOUD,
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "modeBarButtonsToRemove": list(REMOVED_BUTTONS),
    }


def static_graph_config() -> dict:
    """Config for small charts with no toolbar and no interaction (sparklines)."""
    return {**NO_CLOUD, "displayModeBar": False, "staticPlot": True}


def url_notice(children) -> dbc.Alert | None:
    """The small dismissable warning a page shows when its URL held values it did not
    understand (and fell back to defaults); None when there is nothing to say."""
    if not children:
        return None
    return dbc.Alert(children, color="warning", dismissable=True, className="py-2 small")


def segmented_radio(id_, options: list[dict], value, class_name: str = "") -> dbc.RadioItems:
    """Radio items drawn as one joined button group (styles in assets/01-app.css). The inputs
    share a `name`, so the group is one tab stop and the arrow keys move within it."""
    return dbc.RadioItems(
        id=id_,
        name=id_ if isinstance(id_, str) else None,
        options=options,
        value=value,
        inline=True,
        className=f"btn-group segmented {class_name}".strip(),
        input_class_name="btn-check",
        label_class_name="btn btn-outline-secondary btn-sm",
        label_checked_class_name="active",
    )
