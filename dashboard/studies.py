"""The event study of every catalog series over every main episode, computed once per data
version and shared by the asset deep dives and the playbooks.

Building it reads ~50 series and measures ~2,000 cells (about a second on a busy machine);
the data behind it changes a few times a day. So it is memoised on the fingerprint of every
series (observations and status), the episodes and the claims: new or revised data gives a
new key, hence a fresh study.
"""

from __future__ import annotations

from dashboard.analytics import event_study as es
from dashboard.catalog import SERIES, get_info
from dashboard.data import SeriesData, get_store
from dashboard.episodes import main_episodes
from dashboard.memo import BoundedMemo, series_fingerprint

MEMO_SIZE = 4  # one study per data version still being served

_memo = BoundedMemo(MEMO_SIZE)


def study_asset(series_id: str) -> es.Asset:
    info = get_info(series_id)
    return es.Asset(info.id, info.label, info.change_kind, info.units)


def catalog_assets() -> tuple[es.Asset, ...]:
    """Every catalog series as an event-study asset, in catalog order."""
    return tuple(study_asset(info.id) for info in SERIES)


def gather_study() -> tuple[es.Study, dict[str, SeriesData]]:
    """The study of every catalog series (memoised per data version) and the series."""
    assets = catalog_assets()
    datas = get_store().get_many(a.id for a in assets)
    episodes = main_episodes()
    key = (
        episodes,
        es.load_claims(),
        tuple(sorted(es.load_asset_classes().items())),
        tuple(series_fingerprint(d) for d in datas.values()),
    )

    def compute() -> es.Study:
        series = {sid: d.values for sid, d in datas.items()}
        return es.build_study(series, assets, episodes)

    return _memo.get_or_compute(key, compute), datas
