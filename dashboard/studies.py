"""The event study of every catalog series over every main episode, computed once per data
version and shared by the asset deep dives and the playbooks.

Building it reads ~50 series and measures ~2,000 cells (about a second on a busy machine);
the data behind it changes a few times a day. So it is memoised on the fingerprint of every
series (observations and status), the episodes and the claims: new or revised data gives a
new key, hence a fresh study.
"""

from __future__ import annotations

from datetime import date

from dashboard.analytics import event_study as es
from dashboard.analytics import triggers as engine
from dashboard.analytics.deep_dive import Comovement, comovement
from dashboard.analytics.playbook import Precedent, precedents, turning_points
from dashboard.analytics.triggers import PhaseReading, TriggerReading
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


# ---- triggers and the phase tracker (same engine and inputs as the Triggers page) --------
PHASE_SERIES = ("WALCL", "TREAST", "WSHOMCB")
_trigger_memo = BoundedMemo(MEMO_SIZE)


def gather_triggers(today: date) -> tuple[dict[str, TriggerReading], PhaseReading]:
    """Every trigger's reading by id and the end-of-QT phase, memoised per data version."""
    triggers = engine.load_triggers()
    datas = get_store().get_many(engine.required_series(triggers) + list(PHASE_SERIES))
    episodes = main_episodes()
    key = (triggers, today, episodes, tuple(series_fingerprint(d) for d in datas.values()))

    def compute():
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
    datas = get_store().get_many((series_id,) + BASES)
    key = (series_id,) + tuple(series_fingerprint(d) for d in datas.values())

    def compute() -> tuple[Comovement, ...]:
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
    datas = get_store().get_many(engine.required_series(triggers))
    episodes = main_episodes()
    key = (kind, triggers, episodes, tuple(series_fingerprint(d) for d in datas.values()))

    def compute() -> tuple[Precedent, ...]:
        series = {sid: d.values for sid, d in datas.items()}
        return tuple(precedents(triggers, series, turning_points(episodes, kind)))

    return _precedent_memo.get_or_compute(key, compute)
