"""The event study of every catalog series over every main episode, computed once per data
version and shared by the asset deep dives and the playbooks.

Building it reads ~50 series and measures ~2,000 cells (about a second on a busy machine);
the data behind it changes a few times a day. So it is memoised on the fingerprint of every
series (observations and status), the episodes and the claims: new or revised data gives a
new key, hence a fresh study.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import plotly

from dashboard.analytics import event_study as es
from dashboard.analytics import triggers as engine
from dashboard.analytics.deep_dive import Comovement, comovement
from dashboard.analytics.playbook import Precedent, precedents, turning_points
from dashboard.analytics.triggers import PhaseReading, TriggerReading
from dashboard.catalog import SERIES, get_info
from dashboard.data import SeriesData, get_store
from dashboard.episodes import main_episodes
from dashboard.memo import BoundedMemo, series_fingerprint

T = TypeVar("T")
MEMO_SIZE = 4  # one study per data version still being served

_memo = BoundedMemo(MEMO_SIZE)

# Hashing ~50 series costs ~25 ms a visit; the store hands out new data only on a reload or a
# refresh, which changes its version token. So each series is hashed once per version.
_fingerprints = BoundedMemo(512)


def fingerprints(series_ids) -> tuple:
    """The data fingerprint (memo.series_fingerprint) of each series, in order."""
    store = get_store()
    return tuple(
        _fingerprints.get_or_compute(
            (sid, store.version(sid)), lambda sid=sid: series_fingerprint(store.get(sid))
        )
        for sid in series_ids
    )


def study_asset(series_id: str) -> es.Asset:
    info = get_info(series_id)
    return es.Asset(info.id, info.label, info.change_kind, info.units)


def catalog_assets() -> tuple[es.Asset, ...]:
    """Every catalog series as an event-study asset, in catalog order."""
    return tuple(study_asset(info.id) for info in SERIES)


def gather_study() -> tuple[es.Study, dict[str, SeriesData]]:
    """The study of every catalog series (memoised per data version) and the series."""
    assets = catalog_assets()
    episodes = main_episodes()
    key = (
        episodes,
        es.load_claims(),
        tuple(sorted(es.load_asset_classes().items())),
        fingerprints(a.id for a in assets),
    )

    def compute() -> tuple[es.Study, dict[str, SeriesData]]:
        datas = get_store().get_many(a.id for a in assets)
        series = {sid: d.values for sid, d in datas.items()}
        return es.build_study(series, assets, episodes), datas

    return _memo.get_or_compute(key, compute)


def study_key() -> tuple:
    """What identifies the current study (for memoising what is built from it)."""
    return fingerprints(info.id for info in SERIES)


# ---- triggers and the phase tracker (same engine and inputs as the Triggers page) --------
PHASE_SERIES = ("WALCL", "TREAST", "WSHOMCB")
_trigger_memo = BoundedMemo(MEMO_SIZE)


def gather_triggers(today: date) -> tuple[dict[str, TriggerReading], PhaseReading]:
    """Every trigger's reading by id and the end-of-QT phase, memoised per data version."""
    triggers = engine.load_triggers()
    ids = engine.required_series(triggers) + list(PHASE_SERIES)
    episodes = main_episodes()
    key = (triggers, today, episodes, fingerprints(ids))

    def compute():
        datas = get_store().get_many(ids)
        readings = engine.evaluate_all(triggers, datas, today)
        phase = engine.phase_tracker(
            datas["WALCL"].values, datas["TREAST"].values, datas["WSHOMCB"].values, episodes
        )
        return {r.id: r for r in readings}, phase

    return _trigger_memo.get_or_compute(key, compute)


# ---- co-movement with the balance sheet, per asset ---------------------------------------
BASES = ("WALCL", "NETLIQ")
_comove_memo = BoundedMemo(128)  # one entry per asset (≈60) and data version


def gather_comovement(series_id: str) -> tuple[Comovement, ...]:
    """The asset's weekly changes against WALCL and net liquidity (memoised per data)."""
    key = (series_id,) + fingerprints((series_id,) + BASES)

    def compute() -> tuple[Comovement, ...]:
        datas = get_store().get_many((series_id,) + BASES)
        asset = study_asset(series_id)
        return tuple(
            comovement(datas[base].values, study_asset(base), datas[series_id].values, asset)
            for base in BASES
        )

    return _comove_memo.get_or_compute(key, compute)


# ---- what preceded past turning points (playbooks) ---------------------------------------
_precedent_memo = BoundedMemo(MEMO_SIZE * 2)


def gather_precedents(kind: str) -> tuple[Precedent, ...]:
    """Which triggers fired in the six months before each past QE start (kind "QE") or QT
    end ("QT"), memoised per data version."""
    triggers = engine.load_triggers()
    ids = engine.required_series(triggers)
    episodes = main_episodes()
    key = (kind, triggers, episodes, fingerprints(ids))

    def compute() -> tuple[Precedent, ...]:
        datas = get_store().get_many(ids)
        series = {sid: d.values for sid, d in datas.items()}
        return tuple(precedents(triggers, series, turning_points(episodes, kind)))

    return _precedent_memo.get_or_compute(key, compute)


# ---- pages built from all of the above ---------------------------------------------------
# A deep dive or playbook is a pure function of the catalog's data (every trigger input and
# both bases are catalog series), the reference files and the day. So its component tree and
# figure are kept per data version, already in the JSON shape Dash sends: encoding a Figure
# object or a component tree costs 20–35 ms a visit, the same plain dicts and lists ~1 ms.
_page_memo = BoundedMemo(160)


def to_wire(obj: Any) -> Any:
    """`obj` (components, a Figure) as the plain JSON values Dash would send for it."""
    return json.loads(json.dumps(obj, cls=plotly.utils.PlotlyJSONEncoder))


def memo_page(name: tuple, build: Callable[[], Any]) -> Any:
    """`to_wire(build())` once per (name, day, data version); shared, so never mutate it."""
    return _page_memo.get_or_compute((name, date.today(), study_key()), lambda: to_wire(build()))
