"""The data folder and the bundled snapshot load every series exactly as the files say."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest

from dashboard.catalog import SERIES, get_info, stored_ids
from dashboard.config import BUNDLED_SNAPSHOT_DIR, Settings
from dashboard.data import SNAPSHOT, UNAVAILABLE, DataStore
from tests.conftest import SHARED_SERIES, requires_shared


def read_csv_independently(path):
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], [(r[0], float(r[1])) for r in rows[1:] if r[1] not in ("", ".")]


@requires_shared
def test_data001_every_series_in_folder_is_in_catalog():
    files = {p.stem for p in SHARED_SERIES.glob("*.csv")}
    assert files <= set(stored_ids()), files - set(stored_ids())


@requires_shared
@pytest.mark.parametrize("series_id", stored_ids())
def test_data002_folder_values_match_file(snapshot_store, series_id):
    data = snapshot_store.get(series_id)
    if not (SHARED_SERIES / f"{series_id}.csv").exists():
        # Fetched live only (WSHOBL, WSHOFADSL): offline it is plainly unavailable.
        assert data.status.state == UNAVAILABLE and data.empty
        assert "DASHBOARD_DATA_DIR" in data.status.message
        return
    header, rows = read_csv_independently(SHARED_SERIES / f"{series_id}.csv")
    assert header == ["observation_date", series_id]
    assert len(data.values) == len(rows)
    assert data.status.state == SNAPSHOT
    assert data.status.last_date == date.fromisoformat(rows[-1][0])
    got = dict(zip(data.values.index.strftime("%Y-%m-%d"), data.values.to_numpy()))
    assert got == dict(rows)


@requires_shared
def test_data003_units_match_manifest():
    manifest = json.loads((SHARED_SERIES.parent / "MANIFEST.json").read_text())
    for entry in manifest["series"]:
        assert get_info(entry["id"]).units == entry["units"], entry["id"]


def test_data004_bundled_snapshot_loads_offline_without_data_dir(tmp_path):
    store = DataStore(Settings(cache_dir=tmp_path, offline=True))
    walcl = store.get("WALCL")
    header, rows = read_csv_independently(BUNDLED_SNAPSHOT_DIR / "WALCL.csv")
    assert walcl.status.state == SNAPSHOT and walcl.status.source == "bundled snapshot"
    assert len(walcl.values) == len(rows) and walcl.values.iloc[-1] == rows[-1][1]
    tlt = store.get("TLT")
    assert tlt.status.state == UNAVAILABLE and tlt.empty
    assert "DASHBOARD_DATA_DIR" in tlt.status.message


def test_data005_handed_out_series_are_copies(tmp_path):
    store = DataStore(Settings(cache_dir=tmp_path, offline=True))
    first = store.get("WALCL").values
    first.iloc[:] = -1.0
    assert (store.get("WALCL").values > 0).all()


def test_data006_unknown_series_has_clear_error(tmp_path):
    from dashboard.catalog import UnknownSeriesError

    store = DataStore(Settings(cache_dir=tmp_path, offline=True))
    with pytest.raises(UnknownSeriesError, match="Unknown series 'NOPE'"):
        store.get("NOPE")


def test_data007_catalog_is_consistent():
    ids = [s.id for s in SERIES]
    assert len(ids) == len(set(ids))
    for info in SERIES:
        assert info.units and info.owner and info.description
        assert info.change_kind in {"log", "diff"}
