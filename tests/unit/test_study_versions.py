"""The deep dives' and playbooks' memo follows the data: a reload of unchanged data reuses the
study; a new observation in a data file gives a new study with the new value."""

from __future__ import annotations

import pytest

from dashboard import studies
from dashboard.config import Settings
from dashboard.data import DataStore, set_store
from dashboard.data import store as store_module

# Hand-written weekly WALCL levels (millions of USD), a few Wednesdays of 2020.
ROWS = [
    ("2020-03-04", 4_241_000.0),
    ("2020-03-11", 4_362_000.0),
    ("2020-03-18", 4_667_000.0),
    ("2020-03-25", 5_254_000.0),
]


def _write(folder, rows) -> None:
    lines = ["observation_date,WALCL"] + [f"{d},{v}" for d, v in rows]
    (folder / "WALCL.csv").write_text("\n".join(lines) + "\n")


@pytest.fixture
def folder_store(tmp_path, monkeypatch):
    data = tmp_path / "series"
    data.mkdir()
    _write(data, ROWS)
    monkeypatch.setattr(store_module, "MEMO_SECONDS", 0.0)  # every read reloads
    store = DataStore(
        Settings(
            data_dir=data,
            cache_dir=tmp_path / "cache",
            # No bundled snapshot: its 2026 WALCL would win over this folder (newest wins).
            snapshot_dir=tmp_path / "no-snapshot",
            offline=True,
            background_refresh=False,
        )
    )
    set_store(store)
    yield store, data
    set_store(None)
    store.cache.close()


def test_stv001_reloading_unchanged_data_keeps_the_fingerprint(folder_store):
    store, _ = folder_store
    first_version = store.version("WALCL")
    first = studies.fingerprints(["WALCL"])
    assert store.version("WALCL") != first_version  # reloaded (MEMO_SECONDS = 0) ...
    assert studies.fingerprints(["WALCL"]) == first  # ... but the same data


def test_stv002_a_new_observation_changes_the_fingerprint_and_the_study(folder_store):
    store, data = folder_store
    before = studies.fingerprints(["WALCL"])
    built = []
    studies.memo_page(("test-page",), lambda: built.append(1) or "page")
    studies.memo_page(("test-page",), lambda: built.append(1) or "page")
    assert built == [1]
    _write(data, ROWS + [("2020-04-01", 5_810_000.0)])
    assert studies.fingerprints(["WALCL"]) != before
    studies.memo_page(("test-page",), lambda: built.append(1) or "page")
    assert built == [1, 1]
    assert store.get("WALCL").values.iloc[-1] == 5_810_000.0
