"""Newest wins: per series, the store serves whichever of the cache, the data folder and the
bundled snapshot holds the latest observation (issue 9: the TGA case)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest

from dashboard.analytics.overview import headline_cards
from dashboard.config import BUNDLED_SNAPSHOT_DIR, Settings
from dashboard.data import SNAPSHOT, DataStore
from dashboard.data.cache import CachedSeries
from tests.conftest import SHARED_SERIES, requires_shared
from tests.fakefred import read_rows


def store_from_env(tmp_path, **env) -> DataStore:
    """A store configured the way the app is: from environment variables."""
    return DataStore(
        Settings.from_env(
            {"DASHBOARD_OFFLINE": "1", "DASHBOARD_CACHE_DIR": str(tmp_path / "cache"), **env}
        )
    )


def rows_of(path) -> dict[date, float]:
    return {date.fromisoformat(d): v for d, v in read_rows(path) if v is not None}


@requires_shared
def test_new001_tga_comes_from_the_newer_snapshot_with_the_folder_set(tmp_path):
    folder, snapshot = (
        rows_of(SHARED_SERIES / "WTREGEN.csv"),
        rows_of(BUNDLED_SNAPSHOT_DIR / "WTREGEN.csv"),
    )
    assert max(snapshot) > max(folder)  # the real case: 2026-08-19 against 2026-08-05
    store = store_from_env(tmp_path, DASHBOARD_DATA_DIR=str(SHARED_SERIES))
    tga = store.get("WTREGEN")
    assert tga.status.source == "bundled snapshot" and tga.status.state == SNAPSHOT
    assert tga.status.last_date == max(snapshot) == date(2026, 8, 19)
    served = {ts.date(): v for ts, v in tga.values.items()}
    assert served == snapshot


def netliq_by_hand(walcl, tga, rrp, wednesday: date) -> float:
    """WALCL − TGA − RRP×1000 in millions on `wednesday`; RRP as of that day, at most 6 days old,
    zero when no operation ran that week (nothing before the first RRP observation)."""
    recent = [d for d in rrp if wednesday - timedelta(days=6) <= d <= wednesday]
    rrp_millions = rrp[max(recent)] * 1000.0 if recent else 0.0
    return walcl[wednesday] - tga[wednesday] - rrp_millions


@requires_shared
def test_new002_net_liquidity_card_matches_the_files(tmp_path):
    """With the folder set, the net-liquidity card's level and 13-week change are those of the
    newest files (snapshot TGA), computed here from the CSV files alone."""
    walcl = rows_of(SHARED_SERIES / "WALCL.csv")
    tga = rows_of(BUNDLED_SNAPSHOT_DIR / "WTREGEN.csv")
    rrp = rows_of(SHARED_SERIES / "RRPONTSYD.csv")
    last = max(set(walcl) & set(tga))
    then = last - timedelta(weeks=13)
    level = netliq_by_hand(walcl, tga, rrp, last)
    change = level - netliq_by_hand(walcl, tga, rrp, then)

    store = store_from_env(tmp_path, DASHBOARD_DATA_DIR=str(SHARED_SERIES))
    ids = ("WALCL", "WRESBAL", "RRPONTSYD", "WTREGEN", "NETLIQ")
    cards = {c.series_id: c for c in headline_cards({s: store.get(s).values for s in ids})}
    card = cards["NETLIQ"]
    assert card.as_of == last
    assert card.value == pytest.approx(level / 1e6, abs=1e-9)
    thirteen = next(c for c in card.changes if c.days == 91)
    assert thirteen.absolute == pytest.approx(change / 1e3, abs=1e-6)
    # The figures issue 9 quotes ($5.79 tn, −116 bn), not the folder's stale TGA (+9.5 bn).
    assert round(card.value, 2) == 5.79 and round(thirteen.absolute) == -116
    assert cards["WTREGEN"].as_of == last


@requires_shared
def test_new003_a_newer_short_snapshot_keeps_the_folders_older_history(tmp_path):
    """IORB: the snapshot (from 2024) ends later than the folder (from 2021); the newer copy
    is served and the folder's older observations stay in front of it."""
    folder, snapshot = (
        rows_of(SHARED_SERIES / "IORB.csv"),
        rows_of(BUNDLED_SNAPSHOT_DIR / "IORB.csv"),
    )
    assert max(snapshot) > max(folder) and min(folder) < min(snapshot)
    store = store_from_env(tmp_path, DASHBOARD_DATA_DIR=str(SHARED_SERIES))
    iorb = store.get("IORB")
    served = {ts.date(): v for ts, v in iorb.values.items()}
    expected = {d: v for d, v in folder.items() if d < min(snapshot)} | snapshot
    assert served == expected
    assert iorb.status.source == "bundled snapshot" and iorb.status.last_date == max(snapshot)
    assert iorb.values.index.is_monotonic_increasing and iorb.values.index.is_unique


def write_fred_csv(folder, series_id, rows):
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"observation_date,{series_id}"] + [f"{d},{v}" for d, v in rows]
    (folder / f"{series_id}.csv").write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize(
    ("folder_last", "snapshot_last", "winner"),
    [
        ("2024-01-17", "2024-01-10", "data folder"),
        ("2024-01-10", "2024-01-17", "bundled snapshot"),
        ("2024-01-17", "2024-01-17", "data folder"),  # a tie goes to the folder the user set
    ],
)
def test_new004_later_last_observation_wins_ties_to_the_folder(
    tmp_path, folder_last, snapshot_last, winner
):
    weds = ["2024-01-03", "2024-01-10", "2024-01-17"]
    folder_rows = [(d, 7_700_000 + i) for i, d in enumerate(weds) if d <= folder_last]
    snap_rows = [(d, 7_600_000 + i) for i, d in enumerate(weds) if d <= snapshot_last]
    write_fred_csv(tmp_path / "folder", "WALCL", folder_rows)
    write_fred_csv(tmp_path / "snap", "WALCL", snap_rows)
    store = store_from_env(
        tmp_path,
        DASHBOARD_DATA_DIR=str(tmp_path / "folder"),
        DASHBOARD_SNAPSHOT_DIR=str(tmp_path / "snap"),
    )
    walcl = store.get("WALCL")
    expected = folder_rows if winner == "data folder" else snap_rows
    assert walcl.status.source == winner
    assert list(walcl.values.to_numpy()) == [float(v) for _, v in expected]


def test_new005_the_cache_wins_only_when_it_is_at_least_as_new(tmp_path):
    weds = ["2024-01-03", "2024-01-10", "2024-01-17"]
    write_fred_csv(tmp_path / "folder", "WALCL", [(d, 7_700_000) for d in weds])
    (tmp_path / "no-snapshot").mkdir()
    env = {
        "DASHBOARD_DATA_DIR": str(tmp_path / "folder"),
        "DASHBOARD_SNAPSHOT_DIR": str(tmp_path / "no-snapshot"),
    }
    store = store_from_env(tmp_path, **env)
    fetched = datetime(2024, 1, 19, tzinfo=UTC).timestamp()
    older = pd.Series([1.0, 2.0], index=pd.DatetimeIndex(weds[:2], name="date"))
    store.cache.put("WALCL", CachedSeries(older, "FRED download", fetched))
    assert store.get("WALCL").status.source == "data folder"
    store.close()

    store = store_from_env(tmp_path, **env)  # a fresh process: no in-memory memo
    same_day = pd.Series([1.0, 2.0, 3.0], index=pd.DatetimeIndex(weds, name="date"))
    store.cache.put("WALCL", CachedSeries(same_day, "FRED download", fetched))
    walcl = store.get("WALCL")
    assert walcl.status.source == "FRED download" and list(walcl.values) == [1.0, 2.0, 3.0]
