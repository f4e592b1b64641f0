"""Loading the data for an Overview view: the series a view state needs, read from the data
layer (never the network) and prepared by the pure analytics. Pages, the export CLI and the
benchmarks call this; `dashboard/export.py` only renders a view it is given."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import pandas as pd

from dashboard.analytics.liquidity import DEFAULT_WEEKS, net_liquidity_contributions
from dashboard.analytics.overview import (
    OverviewState,
    OverviewView,
    SeriesInput,
    prepare_view,
)
from dashboard.analytics.releases import ExpectedRelease, next_h41_release
from dashboard.data import DataStore, SeriesData, get_store
from dashboard.episodes import Episode, load_episodes
from dashboard.fomc import load_fomc_meetings
from dashboard.recessions import load_recessions


def required_ids(state: OverviewState) -> list[str]:
    return state.drawn()


def series_input(data: SeriesData) -> SeriesInput:
    status = data.status
    return SeriesInput(
        info=data.info,
        values=data.values,
        as_of=status.last_date,
        status=status.label,
        source=status.source,
    )


def next_release(now: datetime | None = None) -> ExpectedRelease:
    """The next expected H.4.1 release after `now` (default: the current time)."""
    return next_h41_release(now or datetime.now(UTC))


def load_view(
    state: OverviewState,
    store: DataStore | None = None,
    episodes: Iterable[Episode] | None = None,
    notices: Iterable[str] = (),
    now: datetime | None = None,
) -> tuple[OverviewView, dict[str, SeriesData]]:
    """The view for `state` from the data layer (no network), and the series it used."""
    store = store or get_store()
    datas = store.get_many(required_ids(state))
    view = prepare_view(
        {sid: series_input(d) for sid, d in datas.items()},
        state,
        load_episodes() if episodes is None else episodes,
        notices,
        recessions=load_recessions(),
        fomc_meetings=load_fomc_meetings(),
        next_release=next_release(now),
    )
    return view, datas


NETLIQ_INPUTS = ("WALCL", "WTREGEN", "RRPONTSYD")  # in the order net liquidity takes them


def load_contributions(weeks: int = DEFAULT_WEEKS, store: DataStore | None = None) -> pd.DataFrame:
    """Net liquidity's weekly change by component (WALCL, TGA, RRP) for the last `weeks`
    weeks, in $ bn, from the data layer (no network)."""
    datas = (store or get_store()).get_many(NETLIQ_INPUTS)
    return net_liquidity_contributions(*(datas[sid].values for sid in NETLIQ_INPUTS), weeks=weeks)
