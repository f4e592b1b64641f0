"""Where the Scenarios page and `python -m dashboard scenario --preset` read their data:
the H.4.1 holdings, GDP, and the term premium and 10-year yield shown for context.

A loader (it asks the data layer's store, never the network) beside the scenario analytics it
feeds, so the data layer imports nothing above it."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.analytics import scenarios as sc
from dashboard.catalog import UnknownSeriesError
from dashboard.data import SeriesData, get_store
from dashboard.memo import BoundedMemo, series_fingerprint

TREASURIES, BILLS, MBS, AGENCY, GDP = "TREAST", "WSHOBL", "WSHOMCB", "WSHOFADSL", "GDP"
TERM_PREMIUM, TEN_YEAR = "THREEFYTP10", "DGS10"
HOLDINGS_SERIES = (TREASURIES, BILLS, MBS, AGENCY, GDP)
CONTEXT_SERIES = (TERM_PREMIUM, TEN_YEAR)
FALLBACK_GROWTH = 0.04  # nominal GDP growth a year when GDP has too few quarters


@dataclass(frozen=True)
class ScenarioInputs:
    history: sc.HoldingsHistory | None
    start: sc.Start | None
    default_growth: float
    series: dict[str, SeriesData]  # what was read (for the freshness line)
    context: dict[str, pd.Series]  # THREEFYTP10, DGS10 (percent); empty when unavailable
    notes: tuple[str, ...]  # what is used instead of a missing series
    problem: str = ""  # why no history could be built (empty when all is well)


_memo = BoundedMemo(4)


def _get(series_id: str) -> SeriesData | None:
    """The series, or None when the catalog does not know it yet."""
    try:
        return get_store().get(series_id)
    except UnknownSeriesError:
        return None


def _values(data: SeriesData | None) -> pd.Series | None:
    return None if data is None or data.empty else data.values


def load_inputs() -> ScenarioInputs:
    """Everything the scenario lab computes from, memoised per data version."""
    datas = {sid: _get(sid) for sid in HOLDINGS_SERIES + CONTEXT_SERIES}
    key = tuple(series_fingerprint(d) if d is not None else sid for sid, d in datas.items())
    return _memo.get_or_compute(key, lambda: _build(datas))


def _build(datas: dict[str, SeriesData | None]) -> ScenarioInputs:
    held = {sid: d for sid, d in datas.items() if d is not None}
    context = {sid: v for sid in CONTEXT_SERIES if (v := _values(datas[sid])) is not None}
    missing = [sid for sid in (TREASURIES, MBS, GDP) if _values(datas[sid]) is None]
    if missing:
        problem = f"{', '.join(missing)} unavailable, so holdings cannot be put in % of GDP."
        return ScenarioInputs(None, None, FALLBACK_GROWTH, held, context, (), problem)
    values = {sid: _values(datas[sid]) for sid in HOLDINGS_SERIES}
    history = sc.longer_term_holdings(
        values[TREASURIES], values[MBS], values[GDP], values[BILLS], values[AGENCY]
    )
    growth = sc.annual_gdp_growth(values[GDP])
    growth = FALLBACK_GROWTH if growth is None else growth
    try:
        start = sc.start_from_history(
            history, values[TREASURIES], values[MBS], values[BILLS], values[AGENCY]
        )
    except sc.PathError as exc:
        return ScenarioInputs(history, None, growth, held, context, history.notes, str(exc))
    return ScenarioInputs(history, start, growth, held, context, history.notes)
