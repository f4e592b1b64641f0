"""Gauge and placeholder figures of the Triggers page, built once and reused."""

from __future__ import annotations

import json
from functools import lru_cache

from plotly.io.json import to_json_plotly

from dashboard.figures import triggers as figs
from dashboard.figures.common import message_figure


# Building a Plotly figure object costs 5–10 ms (validation); a page draws a dozen gauges and a
# placeholder, from a few distinct inputs. So each is built once, kept as its JSON text, and
# every use gets a fresh dict parsed from it (~0.1 ms; no caller can alter the cached one).
@lru_cache(maxsize=512)
def _gauge_text(proximity: float | None, status: str, theme: str) -> str:
    return to_json_plotly(figs.gauge_figure(proximity, status, theme))


def gauge_json(proximity: float | None, status: str, theme: str = "light") -> dict:
    """The gauge of `figs.gauge_figure` as figure JSON (a private copy)."""
    return json.loads(_gauge_text(proximity, status, theme))


# The theme callback must hand back figure objects; these are shared between requests and
# only ever serialised by Dash, never altered.
@lru_cache(maxsize=512)
def _shared_gauge(proximity: float | None, status: str, theme: str):
    return figs.gauge_figure(proximity, status, theme)


def _gauge_for(proximity: object, status: object, theme: object):
    """A gauge for values that came back from the browser (they may be anything)."""
    try:
        return _shared_gauge(proximity, status, theme)
    except TypeError:  # unhashable junk: draw it uncached, as before
        return figs.gauge_figure(proximity, status, theme)


@lru_cache(maxsize=8)
def _message_text(message: str) -> str:
    return to_json_plotly(message_figure(message))


def message_json(message: str) -> dict:
    """`message_figure(message)` (light theme) as figure JSON (a private copy)."""
    return json.loads(_message_text(message))
