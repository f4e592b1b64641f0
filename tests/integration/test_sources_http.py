"""Each live source over real HTTP against the fake FRED, and stale-while-revalidate.

Values are compared with the shared data files read independently (csv module); the store
must serve what it holds at once, refresh in the background, and never use the network when
offline.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, date, datetime
from functools import cache

import pandas as pd
import pytest

from dashboard.catalog import DERIVED_INPUTS, get_info, stored_ids
from dashboard.config import BUNDLED_SNAPSHOT_DIR, Settings
from dashboard.data import FRESH, SNAPSHOT, STALE, UNAVAILABLE, DataStore
from dashboard.data.sources import (
    FredApiSource,
    FredCsvSource,
    LbmaSource,
    SourceError,
    YahooChartSource,
    http_get,
)
from tests.conftest import SHARED_SERIES, requires_shared
from tests.fakefred import FakeFred, read_rows

KEY = "abcdef0123456789abcdef0123456789"


@cache
def real_rows(series_id: str):
    return tuple(read_rows(SHARED_SERIES / f"{series_id}.csv"))


def as_dict(values: pd.Series) -> dict[str, float]:
    return dict(zip(values.index.strftime("%Y-%m-%d"), values.to_numpy()))


def rows_dict(rows) -> dict[str, float]:
    return {d: v for d, v in rows if v is not None}


@pytest.fixture
def fake():
    with FakeFred(api_key=KEY) as server:
        yield server


def settings_for(fake, tmp_path, **overrides) -> Settings:
    fields = {
        "cache_dir": tmp_path / "cache",
        "snapshot_dir": tmp_path / "no-snapshot",
        "http_timeout": 2.0,
        "background_refresh": False,
        **fake.urls,
        **overrides,
    }
    return Settings(**fields)


# ---- each source ----------------------------------------------------------------------------
@requires_shared
@pytest.mark.parametrize("series_id", ["WALCL", "RRPONTSYD", "DGS10"])
def test_src001_fred_api_values_match_the_file(fake, tmp_path, series_id):
    rows = list(real_rows(series_id))
    rows.append(("2000-01-02", None))  # FRED's "." for a day with no value (a Sunday)
    fake.add(series_id, sorted(rows, key=lambda row: row[0]))
    source = FredApiSource(settings_for(fake, tmp_path, fred_api_key=KEY))
    values = source.fetch(get_info(series_id))
    assert as_dict(values) == rows_dict(rows)
    assert values.dtype == "float64" and values.index.is_monotonic_increasing
    (request,) = fake.requests_for("fred_api")
    assert f"series_id={series_id}" in request.path and f"api_key={KEY}" in request.path


@requires_shared
@pytest.mark.parametrize("header", ["observation_date", "DATE"])
def test_src002_fred_csv_reads_both_headers_and_dots(tmp_path, header):
    rows = list(real_rows("SOFR"))
    rows[-3] = (rows[-3][0], None)  # "." for a missing value
    with FakeFred(csv_header=header) as fake:
        fake.add("SOFR", rows)
        values = FredCsvSource(settings_for(fake, tmp_path)).fetch(get_info("SOFR"))
        (request,) = fake.requests_for("fred_csv")
    assert as_dict(values) == rows_dict(rows)
    assert rows[-3][0] not in as_dict(values)
    assert "api_key" not in request.path, "the keyless download never carries a key"


@requires_shared
@pytest.mark.parametrize("ticker", ["SPY", "BTC-USD"])
def test_src003_yahoo_closes_land_on_the_trading_day(fake, tmp_path, ticker):
    """Yahoo stamps bars in UTC; the exchange's offset puts each on its local trading day."""
    rows = real_rows(ticker)
    fake.add(ticker, rows)
    values = YahooChartSource(settings_for(fake, tmp_path)).fetch(get_info(ticker))
    assert as_dict(values) == rows_dict(rows)
    assert "api_key" not in fake.requests_for("yahoo")[0].path


@requires_shared
def test_src004_lbma_gold_in_dollars(fake, tmp_path):
    rows = real_rows("LBMA_GOLD_PM_USD")
    fake.add("gold_pm", rows)
    values = LbmaSource(settings_for(fake, tmp_path)).fetch(get_info("LBMA_GOLD_PM_USD"))
    assert as_dict(values) == rows_dict(rows)


def test_src005_http_get_never_puts_the_url_in_errors(fake, caplog):
    caplog.set_level(logging.DEBUG)
    fake.fail("server_error")
    url = f"{fake.url}/fred/series/observations?series_id=X&api_key={KEY}"
    with pytest.raises(SourceError) as caught:
        http_get(url, None, 1.0, "FRED API", secret=KEY)
    assert caught.value.kind == "server" and "HTTP 500" in str(caught.value)
    assert "http://" not in str(caught.value) and KEY not in str(caught.value)
    # No chained exception (whose text would carry the URL) rides along.
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None or caught.value.__suppress_context__
    request_lines = [m for m in caplog.messages if "GET /fred" in m]
    assert len(request_lines) == 3, "urllib3 logged every attempt"
    assert all("api_key=***" in m and KEY not in m for m in request_lines)


def test_src006_connection_refused_is_reported_plainly(tmp_path):
    with FakeFred() as gone:
        urls = gone.urls
    settings = Settings(cache_dir=tmp_path, http_timeout=1.0, **urls)
    with pytest.raises(SourceError, match="could not connect") as caught:
        FredCsvSource(settings).fetch(get_info("WALCL"))
    assert caught.value.kind == "network"


# ---- stale-while-revalidate -------------------------------------------------------------------
def test_src010_get_never_waits_on_a_stalled_server(fake, tmp_path):
    """Online, with the snapshot on disk and a server that never answers: get() is instant."""
    settings = settings_for(
        fake, tmp_path, snapshot_dir=BUNDLED_SNAPSHOT_DIR, http_timeout=5.0, background_refresh=True
    )
    fake.fail("stall", stall=30)
    store = DataStore(settings)
    started = time.monotonic()
    walcl = store.get("WALCL")
    netliq = store.get("NETLIQ")
    elapsed = time.monotonic() - started
    assert elapsed < 0.5, f"get() took {elapsed:.2f} s"
    assert walcl.status.state == SNAPSHOT and not walcl.empty and not netliq.empty
    # ...and the background refresh really is under way, stuck on the server.
    deadline = time.monotonic() + 5
    while not fake.requests_for("fred_csv") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert fake.requests_for("fred_csv"), "get() queued a background refresh"
    again = time.monotonic()
    assert store.get("WALCL").values.equals(walcl.values)
    assert time.monotonic() - again < 0.2


def test_src011_request_refresh_updates_in_the_background(fake, tmp_path):
    fake.add("WALCL", [("2024-01-03", 7_700_000.0), ("2024-01-10", 7_680_000.0)])
    store = DataStore(settings_for(fake, tmp_path), clock=lambda: datetime(2024, 1, 12, tzinfo=UTC))
    assert store.get("WALCL").empty
    started = time.monotonic()
    store.request_refresh(["WALCL"])
    assert time.monotonic() - started < 0.1, "request_refresh returns at once"
    assert store.wait_for_refresh(10)
    data = store.get("WALCL")
    assert data.status.state == FRESH and data.status.source == "FRED download"
    assert list(data.values) == [7_700_000.0, 7_680_000.0]


@requires_shared
def test_src012_snapshot_data_is_revalidated_automatically(fake, tmp_path):
    """Serving the snapshot online queues a fetch; the next read shows the live data."""
    rows = read_rows(BUNDLED_SNAPSHOT_DIR / "WALCL.csv")
    newer = [*rows, ("2099-01-07", rows[-1][1] + 1.0)]
    fake.add("WALCL", newer)
    settings = settings_for(
        fake, tmp_path, snapshot_dir=BUNDLED_SNAPSHOT_DIR, background_refresh=True
    )
    store = DataStore(settings, clock=lambda: datetime(2099, 1, 9, tzinfo=UTC))
    first = store.get("WALCL")
    assert first.status.state == SNAPSHOT
    assert store.wait_for_refresh(10)
    store._forget("WALCL")  # the in-memory copy lives a minute; a page load after it:
    later = store.get("WALCL")
    assert later.status.state == FRESH and later.status.last_date == date(2099, 1, 7)
    assert as_dict(later.values) == rows_dict(newer)


@requires_shared
def test_src013_offline_never_touches_the_network(fake, tmp_path):
    for sid in ("WALCL", "SPY"):
        fake.add(sid, real_rows(sid))
    env = {
        **fake.env,
        "DASHBOARD_OFFLINE": "1",
        "DASHBOARD_CACHE_DIR": str(tmp_path / "cache"),
        "DASHBOARD_DATA_DIR": str(SHARED_SERIES),
        "FRED_API_KEY": KEY,
    }
    store = DataStore(Settings.from_env(env))
    assert store.settings.offline
    for sid in stored_ids() + ["NETLIQ", "SOFR_IORB"]:
        held = sid in DERIVED_INPUTS or (SHARED_SERIES / f"{sid}.csv").exists()
        assert store.get(sid).status.state == (SNAPSHOT if held else UNAVAILABLE), sid
    results = store.refresh(force=True)
    store.request_refresh(["WALCL"])
    store.wait_for_refresh(5)
    assert {r.outcome for r in results} == {"offline"}
    assert fake.requests == [], "offline mode made a request"


def test_src014_cadence_decides_fresh_stale_and_skips(fake, tmp_path):
    """H.4.1 data for Wednesday 2024-01-10 is out Thursday 2024-01-18 4:30 pm ET for the next
    Wednesday: before that a refresh has nothing to fetch; after it, it does."""
    fake.add("WALCL", [("2024-01-03", 7.70), ("2024-01-10", 7.68)])
    now = [datetime(2024, 1, 12, 15, tzinfo=UTC)]
    store = DataStore(settings_for(fake, tmp_path), clock=lambda: now[0])
    assert store.refresh(["WALCL"])[0].outcome == "updated"

    now[0] = datetime(2024, 1, 18, 21, 0, tzinfo=UTC)  # 4:00 pm ET: not out yet
    store._forget("WALCL")
    assert store.get("WALCL").status.state == FRESH
    assert store.refresh(["WALCL"])[0].message == "up to date"
    assert len(fake.requests_for("fred_csv")) == 1

    now[0] = datetime(2024, 1, 18, 21, 45, tzinfo=UTC)  # 4:45 pm ET: out
    fake.add("WALCL", [("2024-01-03", 7.70), ("2024-01-10", 7.68), ("2024-01-17", 7.66)])
    assert store.refresh(["WALCL"])[0].outcome == "updated"
    assert len(fake.requests_for("fred_csv")) == 2

    now[0] = datetime(2024, 2, 10, tzinfo=UTC)  # three weekly releases missed
    fake.fail("server_error")
    store.refresh(["WALCL"])
    status = store.get("WALCL").status
    assert status.state == STALE and status.label == "stale (24 days old)"
    assert "HTTP 500" in status.message
