"""Loading the data for an Overview view: the series a view state needs, read from the data
layer (never the network) and prepared by the pure analytics. Pages, the export CLI and the
benchmarks call this; `dashboard/export.py` only renders a view it is given."""

from __future__ import annotations

from collections.abc import Iterable

from dashboard.analytics.overview import (
    OverviewState,
    OverviewView,
    SeriesInput,
    prepare_view,
)
from dashboard.data import DataStore, SeriesData, get_store
from dashboard.episodes import Episode, load_episodes
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


def load_view(
    state: OverviewState,
    store: DataStore | None = None,
    episodes: Iterable[Episode] | None = None,
    notices: Iterable[str] = (),
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
    )
    return view, datas
