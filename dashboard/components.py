"""Small layout pieces every page uses: freshness lines and notices, graph config, and the
polling that lets a page fill itself in while its series are fetched in the background."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, dcc, html, no_update

from dashboard.catalog import get_info
from dashboard.data import (
    FRESH,
    SNAPSHOT,
    STALE,
    UNAVAILABLE,
    SeriesData,
    SeriesStatus,
    get_store,
)
from dashboard.data.store import FetchProgress
from dashboard.figures.overview import NARROW_PX

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
    cache_problem = get_store().notice  # damaged, read-only or locked: as the CLI says
    if cache_problem:
        children.append(
            dbc.Alert(
                [html.Strong("Cache: "), cache_problem],
                color="warning",
                className="py-2 mt-2 small",
                id="cache-notice",
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


def is_phone(viewport) -> bool:
    """Whether the width the browser reported (a page's viewport store, filled by
    `register_viewport`) is a phone's: under the Overview's NARROW_PX. Anything else the
    browser may send (None, text, absurd numbers) is not."""
    return isinstance(viewport, int | float) and 200 <= viewport < NARROW_PX


# The page's viewport store is refilled when the window crosses the phone width (a phone
# turned sideways, a desktop window narrowed), not on every pixel of a resize: each refill
# redraws the page's charts. One listener per browser tab, aimed at the open page's store.
_VIEWPORT_JS = """function(_) {
    const phone = w => w >= 200 && w < %(narrow)d;
    const onPage = id => {  // the tab may have moved on to a page without the store
        try { return !!window.dash_component_api.getLayout(id); } catch (e) { return false; }
    };
    const state = window.fedViewport = window.fedViewport || {};
    state.store = %(store)s;
    state.width = window.innerWidth;
    if (!state.listening) {
        state.listening = true;
        let timer = null;
        window.addEventListener('resize', () => {
            clearTimeout(timer);
            timer = setTimeout(() => {
                const width = window.innerWidth;
                if (phone(width) !== phone(state.width) && onPage(state.store)) {
                    state.width = width;
                    window.dash_clientside.set_props(state.store, {data: width});
                }
            }, 200);
        });
    }
    return window.innerWidth;
}"""


def register_viewport(store_id: str, trigger: Input | None = None) -> None:
    """Fill `store_id` (a dcc.Store on the page) with the viewport width once the page opens,
    and again when the window crosses the phone width. Dash runs it before the chart
    callbacks that take the store as an input, so a phone's charts are drawn once, in their
    phone layout."""
    clientside_callback(
        _VIEWPORT_JS % {"narrow": NARROW_PX, "store": json.dumps(store_id)},
        Output(store_id, "data"),
        trigger or Input("_pages_location", "pathname"),
    )


def static_graph_config() -> dict:
    """Config for small charts with no toolbar and no interaction (sparklines)."""
    return {**NO_CLOUD, "displayModeBar": False, "staticPlot": True}


def card(title: str, body, subtitle: str | None = None, id_: str | None = None) -> dbc.Card:
    """A titled section card (bold title, optional muted subtitle), as the deep dives and
    playbooks lay out their sections."""
    header = [html.Span(title, className="fw-semibold")]
    if subtitle:
        header.append(html.Small(subtitle, className="text-muted ms-2"))
    extra = {"id": id_} if id_ else {}
    return dbc.Card([dbc.CardHeader(header), dbc.CardBody(body)], className="mb-3", **extra)


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


# ---- pages that fill themselves in -----------------------------------------------------------
POLL_MS = 1000  # how often a page with series still being fetched asks whether they landed
NAMES_SHOWN = 4


@dataclass(frozen=True)
class LiveIds:
    """Component ids of one page's live-update pieces (see `live_updates`)."""

    interval: str  # dcc.Interval: enabled only while something the page shows is pending
    status: str  # the progress / no-connection line
    shown: str  # dcc.Store: {"ids": series the page shows, "waiting": pending at its last draw}
    wave: str  # dcc.Store: {"ids": every series pending in this round, "waiting": at last tick}
    landed: str  # dcc.Store: a counter the page's callbacks take as Input, bumped when data lands
    since: str  # dcc.Store: the store's landings token, taken before the page's data was read


def live_ids(prefix: str) -> LiveIds:
    return LiveIds(*(f"{prefix}-live-{part}" for part in LiveIds.__dataclass_fields__))


def live_updates(ids: LiveIds, since: int) -> html.Div:
    """The polling pieces for a page's layout; `register_live_updates(ids)` drives them.
    `since`: `live_token()`, taken at the top of the layout, before it reads any data."""
    return html.Div(
        [
            dcc.Interval(id=ids.interval, interval=POLL_MS, disabled=True),
            dcc.Store(id=ids.shown),
            dcc.Store(id=ids.wave),
            dcc.Store(id=ids.landed, data=0),
            dcc.Store(id=ids.since, data=since),
            html.Div(id=ids.status, role="status", className="small text-muted"),
        ]
    )


def live_outputs(ids: LiveIds) -> list[Output]:
    """Outputs a page's drawing callback adds; fill them with `live_values`."""
    return [
        Output(ids.shown, "data"),
        Output(ids.interval, "disabled"),
        Output(ids.status, "children"),
    ]


def live_token() -> int:
    """Take this before a drawing callback reads its data, and hand it to `live_values`."""
    return get_store().landings()


def live_values(series_ids: Iterable[str], since) -> tuple[dict, bool, str]:
    """What the page just drew from `series_ids`: polling starts if any of them is pending,
    or landed after `since` (the page's `ids.since` store: a token taken before its data was
    read). Without the second, a series landing between a callback's read and this check
    left the page drawn without it and not polling: the Overview stuck without gold on a
    loaded machine. A late arrival costs one more poll and redraw, never a missing line."""
    shown = list(dict.fromkeys(series_ids))
    store = get_store()
    store.get_many(shown)  # reading them queues any that need fetching (memoised: cheap)
    progress = store.fetch_progress(shown)
    token = since if isinstance(since, int) and not isinstance(since, bool) else 0
    waiting = list(dict.fromkeys([*progress.waiting, *store.landed_since(shown, token)]))
    # the text names only what is still being fetched; a late arrival is one more poll
    return {"ids": shown, "waiting": waiting}, not waiting, live_text(progress, waiting)


def live_text(progress: FetchProgress, round_ids: Sequence[str]) -> str:
    """ "Fetching 3 of 5: TLT, Bitcoin, gold…" while series are pending (`round_ids`: all that
    were pending this round); "No connection to <source> (…): showing the offline snapshot."
    for series whose own source could not be reached; "" when all is well."""
    if progress.waiting:
        total = max(len(round_ids), len(progress.waiting))
        current = total - len(progress.waiting) + 1
        names = [get_info(sid).label for sid in progress.waiting]
        shown = ", ".join(names[:NAMES_SHOWN])
        return f"Fetching {current} of {total}: {shown}…"
    by_source: dict[str, list[str]] = {}
    for sid, source in progress.unreachable.items():
        by_source.setdefault(source, []).append(get_info(sid).label)
    return " ".join(
        f"No connection to {source} ({', '.join(names)}): showing the offline snapshot."
        for source, names in by_source.items()
    )


def register_live_updates(ids: LiveIds) -> None:
    """The one polling callback of a page: each tick, see what is still pending; bump
    `landed` (the page redraws) when something arrived; stop polling when nothing is left."""

    @callback(
        Output(ids.status, "children", allow_duplicate=True),
        Output(ids.wave, "data"),
        Output(ids.landed, "data"),
        Output(ids.interval, "disabled", allow_duplicate=True),
        Output(ids.since, "data"),
        Input(ids.interval, "n_intervals"),
        State(ids.shown, "data"),
        State(ids.wave, "data"),
        State(ids.landed, "data"),
        prevent_initial_call=True,
    )
    def poll(_ticks, shown, wave, landed):
        shown_ids, drawn_waiting = _id_lists(shown)
        wave_ids, wave_waiting = _id_lists(wave)
        # Renewed every tick, taken before the check: the redraw a bump triggers then counts
        # as late only what lands after this tick. Renewing only when polling stopped left
        # the page's first token in place, so every tick re-flagged series that had already
        # landed and been drawn, and the page redrew once a second while anything was pending.
        token = live_token()
        try:
            progress = get_store().fetch_progress(shown_ids)
        except Exception:  # noqa: BLE001 - a forged store value (unknown id): stop polling
            return "", None, no_update, True, token
        waiting = list(progress.waiting)
        before = set(wave_waiting) | set(drawn_waiting)
        arrived = bool(before - set(waiting))
        round_ids = list(dict.fromkeys(wave_ids + drawn_waiting + waiting)) if waiting else []
        bumped = (landed if isinstance(landed, int) else 0) + 1 if arrived else no_update
        new_wave = {"ids": round_ids, "waiting": waiting}
        return live_text(progress, round_ids), new_wave, bumped, not waiting, token


def _id_lists(value) -> tuple[list[str], list[str]]:
    """(ids, waiting) from a store value; anything malformed reads as empty."""
    if not isinstance(value, dict):
        return [], []
    out = []
    for key in ("ids", "waiting"):
        items = value.get(key)
        out.append([x for x in items if isinstance(x, str)] if isinstance(items, list) else [])
    return out[0], out[1]
