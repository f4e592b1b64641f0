"""The "Add a series" picker and the overlay switches: options grouped by category, or
ranked for a typed search."""

from __future__ import annotations

from dash import html

from dashboard.analytics.overview import (
    MAIN_ID,
    NETLIQ_ID,
)
from dashboard.analytics.search import rank as rank_series
from dashboard.catalog import CATEGORIES, SERIES, by_category, get_info, is_known

MAX_SEARCH_RESULTS = 12


def as_list(value) -> list:
    """A callback value that should be a list; anything else (a forged request) is empty."""
    return value if isinstance(value, list) else []


def add_series_options(pool: list[str]) -> list[dict]:
    """Dropdown options grouped by category: a disabled header per group, then its members.
    While searching, headers drop out (Enter must pick a series, not a header), so each
    member also names its category."""
    options: list[dict] = []
    groups = by_category()
    for category in CATEGORIES:
        members = [
            i
            for i in groups.get(category, [])
            if i.id not in pool and i.id not in (MAIN_ID, NETLIQ_ID)
        ]
        if not members:
            continue
        options.append(
            {
                "label": html.Span(category, className="overview-group-label"),
                "value": f"group:{category}",
                "disabled": True,
                "search": category,
            }
        )
        options += [
            _series_option(info, f"{info.id} {info.label} {info.name} {category}")
            for info in members
        ]
    return options


def _series_option(info, search: str) -> dict:
    """One catalog series as a picker option: label, name, units and category."""
    label = html.Span(
        [
            html.Span(info.label, className="fw-semibold"),
            html.Span(
                f" {info.name} · {info.units} · {info.category}", className="text-muted small"
            ),
        ]
    )
    return {"label": label, "value": info.id, "search": search}


def ranked_series_options(query: str, pool: list[str]) -> list[dict]:
    """Options for a typed search, best match first (so Enter picks it): ranked by id, label,
    name, the catalog's aliases and words ("10y", "treasury yield", "gold", "btc"). Each
    option's search text starts with the query, so the dropdown's own filter keeps them all."""
    infos = [i for i in SERIES if i.id not in pool and i.id not in (MAIN_ID, NETLIQ_ID)]
    return [
        _series_option(info, f"{query} {info.id} {info.label} {info.name}")
        for info in rank_series(query, infos)[:MAX_SEARCH_RESULTS]
    ]


def overlay_options(pool: list[str]) -> list[dict]:
    return [{"label": get_info(sid).label, "value": sid} for sid in pool if is_known(sid)]
