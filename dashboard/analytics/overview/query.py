"""Reading and writing the Overview's view state: URL query values and raw control values
in, an `OverviewState` and short notices for the user out (never an exception); the state
back to a query string; a Plotly zoom event to a date window."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date

from dashboard.analytics.overview.state import (
    DEFAULT_OVERLAYS,
    DEFAULT_STATE,
    MAIN_ID,
    MAX_OVERLAYS,
    MODES,
    NETLIQ_ID,
    RANGE_PRESETS,
    OverviewState,
)
from dashboard.analytics.units import LEVEL, UNITS, UNITS_BY_CODE
from dashboard.catalog import SERIES, is_known
from dashboard.episodes import Episode

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _flag(raw: object, default: bool, name: str, notices: list[str]) -> bool:
    if raw is None:
        return default
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    notices.append(f"Ignored {name}={_shown(raw)} (use 1 or 0).")
    return default


def _shown(raw: object) -> str:
    """A URL value, shortened and made harmless for display."""
    text = str(raw)
    return repr(text[:30] + ("…" if len(text) > 30 else ""))


EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2100, 12, 31)
_DAY_PATTERN = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def parse_day(raw: object) -> date | None:
    """A date from "2020-03-15", "2020-03" (its first day) or "2020" (1 January), or a
    Plotly axis value ("2020-03-15 12:34:56.789", time dropped). None when it is not one of
    those or falls outside 1900-2100."""
    if isinstance(raw, date):
        day = raw
    else:
        text = str(raw).strip()[:10] if isinstance(raw, str) else ""
        match = _DAY_PATTERN.match(text)
        if not match:
            return None
        year, month, dom = match.group(1), match.group(2) or "1", match.group(3) or "1"
        try:
            day = date(int(year), int(month), int(dom))
        except ValueError:
            return None
    return day if EARLIEST_DAY <= day <= LATEST_DAY else None


def parse_window(
    raw_from: object, raw_to: object, notices: list[str]
) -> tuple[date | None, date | None]:
    """(date_from, date_to) from URL or typed values; blanks are None. A value that is not a
    date, or a `from` not before `to`, is dropped with a notice."""

    def one(raw: object, name: str) -> date | None:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        day = parse_day(raw)
        if day is None:
            notices.append(f"Ignored {name}={_shown(raw)} (use a date like 2020-01-31).")
        return day

    start, end = one(raw_from, "from"), one(raw_to, "to")
    if start is not None and end is not None and start >= end:
        notices.append(f"Ignored from={start} to={end}: the start must come before the end.")
        return None, None
    return start, end


def resolve_series_id(token: str) -> str | None:
    """A catalog id for a user-typed token: the exact id, any case, the id without its
    "-USD" suffix ("BTC"), the short label ("Gold", "HY OAS") or an alias ("10y"). None when
    nothing matches."""
    text = token.strip()
    if is_known(text):
        return text
    folded = text.casefold()
    for info in SERIES:
        names = {info.id.casefold(), info.id.split("-")[0].casefold(), info.label.casefold()}
        if folded in names:
            return info.id
    # then the catalog's aliases ("10y", "gold"), first listed wins a shared one
    return next((i.id for i in SERIES if folded in getattr(i, "aliases", ())), None)


UNIT_CODES = ", ".join(u.code for u in UNITS)


def parse_units(raw: object, drawn: list[str], notices: list[str]) -> tuple[tuple[str, str], ...]:
    """(series id, unit code) pairs from a URL value like "NETLIQ:pc1,BTC:pc1", in drawing
    order. An unknown series or code is left out with a notice; a known series that is not
    drawn, and the level ("lin", the default), are left out quietly."""
    if raw is None:
        return ()
    tokens = raw if isinstance(raw, list | tuple) else str(raw).split(",")
    chosen: dict[str, str] = {}
    for token in tokens:
        if not isinstance(token, str) or not token.strip():
            continue
        name, _, code = token.strip().rpartition(":")
        series_id = resolve_series_id(name) if name.strip() else None
        unit = UNITS_BY_CODE.get(code.strip().casefold())
        if series_id is None:
            notices.append(f"Ignored units={_shown(token)} (use series:code, e.g. BTC-USD:pc1).")
        elif unit is None:
            notices.append(f"Ignored units {_shown(code)} for {series_id} (use {UNIT_CODES}).")
        elif series_id in drawn and series_id not in chosen:
            chosen[series_id] = unit.code
    return tuple((sid, chosen[sid]) for sid in drawn if chosen.get(sid, LEVEL) != LEVEL)


def parse_overlays(raw: object, notices: list[str]) -> tuple[tuple[str, ...], bool]:
    """Overlay ids from a comma-separated URL value. Returns (overlays, netliq_requested):
    WALCL is dropped (it is always drawn) and NETLIQ turns on the net-liquidity line."""
    if raw is None:
        return DEFAULT_OVERLAYS, False
    tokens = raw if isinstance(raw, list | tuple) else str(raw).split(",")
    overlays: list[str] = []
    unknown: list[str] = []
    netliq = False
    for token in tokens:
        if not isinstance(token, str) or not token.strip():
            continue
        series_id = resolve_series_id(token)
        if series_id is None:
            unknown.append(token.strip())
        elif series_id == NETLIQ_ID:
            netliq = True
        elif series_id != MAIN_ID and series_id not in overlays:
            overlays.append(series_id)
    if unknown:
        shown = ", ".join(_shown(t) for t in unknown[:5])
        notices.append(f"Unknown series {shown} left out (see the Data page for the list).")
    if len(overlays) > MAX_OVERLAYS:
        notices.append(f"At most {MAX_OVERLAYS} overlays; kept the first {MAX_OVERLAYS}.")
        overlays = overlays[:MAX_OVERLAYS]
    if unknown and not overlays and not netliq:
        return DEFAULT_OVERLAYS, False
    return tuple(overlays), netliq


def parse_state(
    query: Mapping[str, object], episodes: Iterable[Episode]
) -> tuple[OverviewState, list[str]]:
    """The view state for URL query values (as Dash pages passes them: name → string).

    Anything missing takes its default; anything malformed takes its default and adds a
    short notice for the user. Never raises.
    """
    notices: list[str] = []
    episode_ids = {e.id for e in episodes}
    overlays, netliq_from_overlays = parse_overlays(query.get("overlays"), notices)

    range_raw = query.get("range")
    range_ = DEFAULT_STATE.range
    if range_raw is not None:
        candidate = str(range_raw).strip().upper()
        if candidate in RANGE_PRESETS:
            range_ = candidate
        else:
            notices.append(f"Unknown range {_shown(range_raw)}; showing Max.")

    mode_raw = query.get("mode")
    mode = DEFAULT_STATE.mode
    rebase_from_mode = False
    if mode_raw is not None:
        candidate = str(mode_raw).strip().lower()
        if candidate in MODES:
            mode = candidate
        elif candidate == "rebase":  # "rebased on one axis" is axes mode with rebasing
            rebase_from_mode = True
        else:
            notices.append(f"Unknown layout mode {_shown(mode_raw)}; using right axes.")

    rebase_raw = query.get("rebase")
    rebase = "start" if rebase_from_mode else DEFAULT_STATE.rebase
    if rebase_raw is not None:
        candidate = str(rebase_raw).strip().lower()
        if candidate in _TRUE or candidate == "start":
            rebase = "start"
        elif candidate in _FALSE:
            rebase = "off"
        elif candidate == "episode":
            rebase = "episode"
        else:
            notices.append(f"Ignored rebase={_shown(rebase_raw)} (use 1, 0 or episode).")

    episode_raw = query.get("episode")
    episode = None
    if episode_raw is not None and str(episode_raw).strip():
        candidate = str(episode_raw).strip()
        match = next((i for i in episode_ids if i.casefold() == candidate.casefold()), None)
        if match is None:
            notices.append(f"Unknown episode {_shown(episode_raw)}.")
        else:
            episode = match
    needs_episode = range_ == "EPISODE" or rebase == "episode"
    if needs_episode and episode is None:
        if range_ == "EPISODE":
            range_ = DEFAULT_STATE.range
        if rebase == "episode":
            rebase = "start"
        notices.append("No valid episode chosen: showing Max and rebasing at the range start.")
    if not (range_ == "EPISODE" or rebase == "episode"):
        episode = None  # unused, so it does not make two identical views differ

    date_from, date_to = parse_window(query.get("from"), query.get("to"), notices)
    state = OverviewState(
        overlays=overlays,
        range=range_,
        rebase=rebase,
        log=_flag(query.get("log"), DEFAULT_STATE.log, "log", notices),
        mode=mode,
        episodes=_flag(query.get("episodes"), DEFAULT_STATE.episodes, "episodes", notices),
        netliq=_flag(query.get("netliq"), DEFAULT_STATE.netliq, "netliq", notices)
        or netliq_from_overlays,
        episode=episode,
        date_from=date_from,
        date_to=date_to,
        recessions=_flag(query.get("recessions"), False, "recessions", notices),
        fomc=_flag(query.get("fomc"), False, "fomc", notices),
        h41=_flag(query.get("h41"), False, "h41", notices),
    )
    units = parse_units(query.get("units"), state.drawn(), notices)
    return replace(state, units=units), notices


def state_to_query(state: OverviewState) -> str:
    """The query string ("?overlays=...&range=...") that reproduces `state`. Every field is
    written, so a copied link keeps its view even if the defaults change later."""
    parts = [
        ("overlays", ",".join(state.overlays)),
        ("range", state.range),
        ("rebase", {"off": "0", "start": "1", "episode": "episode"}[state.rebase]),
        ("log", "1" if state.log else "0"),
        ("mode", state.mode),
        ("episodes", "1" if state.episodes else "0"),
        ("netliq", "1" if state.netliq else "0"),
    ]
    if state.episode and (state.range == "EPISODE" or state.rebase == "episode"):
        parts.append(("episode", state.episode))
    if state.date_from:
        parts.append(("from", f"{state.date_from:%Y-%m-%d}"))
    if state.date_to:
        parts.append(("to", f"{state.date_to:%Y-%m-%d}"))
    # the optional layers are written only when on, so older links read the same
    parts += [(name, "1") for name in ("recessions", "fomc", "h41") if getattr(state, name)]
    if state.units:  # written only when set, so links without units read as before
        parts.append(("units", ",".join(f"{sid}:{code}" for sid, code in state.units)))
    # ids are [A-Z0-9_-]; commas stay readable (browsers accept them unescaped)
    return "?" + "&".join(f"{k}={v}" for k, v in parts)


def _switch(value: object) -> str:
    """A Dash switch or checklist value as a URL flag."""
    return "1" if value is True or value == ["on"] else "0"


def state_from_controls(
    overlays: object,
    range_: object,
    rebase: object,
    log: object,
    mode: object,
    episodes: object,
    netliq: object,
    episode: object,
    known_episodes: Iterable[Episode],
    date_from: object = None,
    date_to: object = None,
    recessions: object = None,
    fomc: object = None,
    h41: object = None,
    units: object = None,
) -> tuple[OverviewState, list[str]]:
    """The state for raw control values (lists, strings, booleans or garbage), by way of the
    same validation as the URL, so both paths agree on what is allowed."""
    query: dict[str, object] = {
        "overlays": ",".join(o for o in overlays if isinstance(o, str))
        if isinstance(overlays, list | tuple)
        else "",
        "range": range_ if isinstance(range_, str) else None,
        "rebase": rebase if isinstance(rebase, str) else None,
        "log": _switch(log),
        "mode": mode if isinstance(mode, str) else None,
        "episodes": _switch(episodes),
        "netliq": _switch(netliq),
        "episode": episode if isinstance(episode, str) else None,
        "from": date_from if isinstance(date_from, str) else None,
        "to": date_to if isinstance(date_to, str) else None,
        "recessions": _switch(recessions),
        "fomc": _switch(fomc),
        "h41": _switch(h41),
        "units": units_query(units),
    }
    return parse_state(query, known_episodes)


def units_query(units: object) -> str | None:
    """The URL form ("BTC-USD:pc1,NETLIQ:chg") of a units control value: a {series id: code}
    mapping or that text itself; None for anything else (a forged payload)."""
    if isinstance(units, str):
        return units
    if isinstance(units, dict):
        return ",".join(
            f"{k}:{v}" for k, v in units.items() if isinstance(k, str) and isinstance(v, str)
        )
    return None


RESET_WINDOW = "reset"


def window_from_relayout(relayout: object) -> tuple[date, date] | str | None:
    """What a Plotly zoom, pan or range-slider drag (Dash's `relayoutData`) did to the date
    axis: the new (start, end) dates, RESET_WINDOW for a double-click (autorange), or None
    when the event did not touch the date axis (a resize, a y-only zoom, garbage).

    Stacked panels share one date axis, so any x axis ("xaxis", "xaxis3", ...) counts."""
    if not isinstance(relayout, dict):
        return None
    for key, value in relayout.items():
        if not isinstance(key, str) or not key.startswith("xaxis"):
            continue
        axis, _, prop = key.partition(".")
        if prop == "autorange" and value is True:
            return RESET_WINDOW
        if prop in ("range", "rangeslider.range") and isinstance(value, list | tuple):
            ends = [parse_day(v) for v in value[:2]]
        elif prop == "range[0]":
            ends = [parse_day(value), parse_day(relayout.get(f"{axis}.range[1]"))]
        else:
            continue
        if len(ends) == 2 and ends[0] and ends[1] and ends[0] < ends[1]:
            return ends[0], ends[1]
    return None
