"""Plausibility over real HTTP: rows that parse but cannot be true never reach a page.

Each case is what an independent probe found accepted: a row dated 2099 or 2300, WALCL of
1e308, a gold fix of −5000, WRESBAL × 10⁶. The answer is refused with the series, the row and
the rule named, the last good data stays, and the next correct answer is taken.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from dashboard.catalog import get_info
from dashboard.config import Settings
from dashboard.data import FRESH, SNAPSHOT, DataStore
from dashboard.data.cache import CachedSeries
from dashboard.data.plausibility import find_implausible, rule_for
from tests.conftest import SHARED_SERIES, requires_shared
from tests.fakefred import FakeFred
from tests.integration.test_faults import KEY, due_clock, expected_series, make_store, real_rows

pytestmark = requires_shared
HTTP_TIMEOUT = 10  # a busy machine serves 14,000 rows of gold slowly; faults are not tested here


@pytest.fixture
def fake():
    with FakeFred(api_key=KEY) as server:
        yield server


def _refuses_then_recovers(tmp_path, fake, series_id, served_as, bad_rows, says):
    """Warm the cache with the real rows, serve `bad_rows`, then the real rows again."""
    rows = list(real_rows(series_id))
    clock = due_clock(series_id)
    store = make_store(tmp_path, fake, KEY, clock, http_timeout=HTTP_TIMEOUT)
    fake.add(served_as, rows)
    assert store.refresh([series_id])[0].outcome == "updated"
    good = store.get(series_id)

    fake.add(served_as, bad_rows)
    clock.advance(hours=2)
    result = store.refresh([series_id], force=True)[0]
    after = store.get(series_id)
    assert result.outcome == "failed"
    assert series_id in result.message and "implausible" in result.message
    for fragment in says:
        assert fragment in result.message, result.message
    assert after.values.equals(good.values), "the last good data is kept"
    assert after.status.last_date == good.status.last_date
    assert "implausible" in after.status.message

    # Upstream fixed: the correct answer is taken, not refused as "ends before ours".
    fake.add(served_as, rows + [_next_row(rows, series_id)])
    clock.advance(hours=2)
    fixed = store.refresh([series_id], force=True)[0]
    assert fixed.outcome == "updated", fixed
    latest = store.get(series_id)
    assert latest.status.state == FRESH and latest.status.message == ""
    assert latest.values.index[-1] > good.values.index[-1]


def _next_row(rows, series_id):
    """One more plausible observation after the real last one (the next release)."""
    last = date.fromisoformat(rows[-1][0])
    step = 7 if get_info(series_id).is_weekly else 1
    return ((last + timedelta(days=step)).isoformat(), rows[-1][1])


@pytest.mark.parametrize("day", ["2099-01-07", "2300-01-01"])
def test_pls001_far_future_row_is_refused_and_does_not_stick(tmp_path, fake, day):
    rows = list(real_rows("WALCL"))
    _refuses_then_recovers(
        tmp_path, fake, "WALCL", "WALCL", rows + [(day, rows[-1][1])],
        [f"row {day}", "dated after today + 7 days"],
    )


def test_pls002_walcl_1e308_is_refused(tmp_path, fake):
    rows = list(real_rows("WALCL"))
    bad = rows[:-1] + [(rows[-1][0], 1e308)]
    _refuses_then_recovers(
        tmp_path, fake, "WALCL", "WALCL", bad, [f"row {rows[-1][0]}", "1e+308", "1,000 times"]
    )


def test_pls003_negative_gold_fix_is_refused(tmp_path, fake):
    rows = list(real_rows("LBMA_GOLD_PM_USD"))
    bad = rows[:-1] + [(rows[-1][0], -5000.0)]
    _refuses_then_recovers(
        tmp_path, fake, "LBMA_GOLD_PM_USD", "gold_pm", bad,
        [f"row {rows[-1][0]} (-5,000)", "must be above 0"],
    )


def test_pls004_reserves_times_a_million_are_refused(tmp_path, fake):
    rows = list(real_rows("WRESBAL"))
    bad = rows[:-1] + [(rows[-1][0], rows[-1][1] * 1e6)]
    _refuses_then_recovers(
        tmp_path, fake, "WRESBAL", "WRESBAL", bad, [f"row {rows[-1][0]}", "1,000 times"]
    )


def test_pls005_whole_answer_in_wrong_units_is_refused(tmp_path, fake):
    """Every row × 10⁶ has no jump inside it; it disagrees with what we hold instead."""
    rows = list(real_rows("WRESBAL"))
    bad = [(d, None if v is None else v * 1e6) for d, v in rows]
    _refuses_then_recovers(
        tmp_path, fake, "WRESBAL", "WRESBAL", bad, ["the value we hold for that date"]
    )


def test_pls006_bad_row_stored_by_an_older_version_is_repaired(tmp_path, fake):
    rows = list(real_rows("WALCL"))
    clock = due_clock("WALCL")
    store = make_store(tmp_path, fake, KEY, clock, http_timeout=HTTP_TIMEOUT)
    good = expected_series(rows)
    stored = pd.concat([good, pd.Series([good.iloc[-1]], index=pd.DatetimeIndex(["2300-01-01"]))])
    stored.index = pd.DatetimeIndex(stored.index, name="date").as_unit("us")
    store.cache.put("WALCL", CachedSeries(stored, "FRED API", clock().timestamp()))

    shown = store.get("WALCL")
    assert shown.values.equals(good), "the stored 2300 row is not shown"
    assert "row 2300-01-01" in shown.status.message and "next refresh" in shown.status.message

    fake.add("WALCL", rows)
    result = store.refresh(["WALCL"])[0]  # not forced: the repair makes it due
    assert result.outcome in ("updated", "unchanged"), result
    assert store.cache.get("WALCL").values.equals(good), "the cache is repaired"
    assert store.get("WALCL").status.message == ""


def test_pls007_data_folder_row_in_the_future_is_left_out(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    text = (SHARED_SERIES / "WALCL.csv").read_text()
    (folder / "WALCL.csv").write_text(text.rstrip("\n") + "\n2099-01-06,7000000\n")
    store = DataStore(Settings(data_dir=folder, cache_dir=tmp_path / "c", offline=True))
    data = store.get("WALCL")
    assert data.values.equals(expected_series(real_rows("WALCL")))
    assert data.status.state == SNAPSHOT and data.status.age_days >= 0
    assert "WALCL row 2099-01-06" in data.status.message
    assert "dated after today" in data.status.message


def test_pls008_every_real_series_passes_its_rule():
    """The rules refuse errors, not history: 2008's reserves, the reverse repo starting from
    zero, WTI below zero in April 2020 all pass."""
    from dashboard.catalog import stored_ids

    checked = 0
    for series_id in stored_ids():
        path = SHARED_SERIES / f"{series_id}.csv"
        if not path.is_file():
            continue
        values = expected_series(real_rows(series_id))
        found = find_implausible(values, rule_for(get_info(series_id)), date.today())
        assert not found, f"{series_id}: {found}"
        checked += 1
    assert checked >= 40


def test_pls009_folder_named_like_a_series_file_gets_a_clear_message(tmp_path):
    folder = tmp_path / "data"
    (folder / "BTC-USD.csv").mkdir(parents=True)
    store = DataStore(Settings(data_dir=folder, cache_dir=tmp_path / "c", offline=True))
    data = store.get("BTC-USD")
    assert data.empty
    assert "BTC-USD.csv is a folder" in data.status.message
    assert "set DASHBOARD_DATA_DIR" not in data.status.message


def test_pls010_every_catalog_kind_has_a_rule():
    from dashboard.catalog import PLAUSIBILITY_KINDS, SERIES
    from dashboard.data.plausibility import kind_of, load_rules

    rules = load_rules()
    assert set(PLAUSIBILITY_KINDS) <= set(rules), set(PLAUSIBILITY_KINDS) - set(rules)
    assert all(kind_of(info) == info.plausibility for info in SERIES)


def test_pls011_oversized_folder_file_is_not_read(tmp_path):
    from dashboard.data.sources import MAX_FOLDER_FILE_BYTES

    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "WALCL.csv"
    path.write_text("observation_date,WALCL\n2024-01-03,7700000\n")
    with open(path, "r+b") as handle:  # sparse: the size a 200 MB file reports
        handle.truncate(MAX_FOLDER_FILE_BYTES + 1)
    store = DataStore(Settings(data_dir=folder, cache_dir=tmp_path / "c", offline=True))
    data = store.get("WALCL")
    assert "WALCL.csv is 32 MB, over the 32 MB" in data.status.message
    assert data.status.source == "bundled snapshot" and not data.empty
