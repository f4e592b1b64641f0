"""The fault matrix, over real HTTP: every way a source can misbehave, warm cache and cold.

For the FRED API (key set), FRED's keyless CSV and Yahoo (through yfinance, routed to the
fake server by `DASHBOARD_MARKET_URL`, nothing of ours patched), each fault must leave the user
with: a refresh that returns promptly and never raises, the last good data untouched, and a
status that says what happened in plain words. The API key must appear nowhere we write.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta
from functools import cache

import pandas as pd
import pytest

from dashboard.catalog import UnknownSeriesError, get_info
from dashboard.config import Settings
from dashboard.data import FRESH, SNAPSHOT, UNAVAILABLE, DataStore
from dashboard.data import sources as sources_module
from dashboard.data.freshness import expected_next_release
from tests.conftest import REAL_SERIES, missing_series, requires_series
from tests.fakefred import FakeFred, read_rows

KEY = "fk9Q7zX2mW4vT8rL1pN6sB3yH5cJ0dGa"  # recognisable, and nothing else looks like it
TIMEOUT = 0.5  # seconds; the client's http_timeout in these tests
# Worst case for one series: every attempt waits out the timeout, plus the back-off pauses,
# plus FRED's rate limit between attempts, plus slack for a busy 2-core machine.
PROMPT = (sources_module.RETRIES + 1) * (TIMEOUT + sources_module.FRED_INTERVAL) + 1.5 + 1.5

# mode -> (series id, settings key, endpoint the fake records)
MODES = {
    "api": ("WALCL", KEY, "fred_api"),
    "csv": ("WALCL", None, "fred_csv"),
    "yahoo": ("SPY", None, "yahoo"),
}
# What the status must say for each fault (lower-case fragments; any one of them).
SAYS = {
    "bad_key": {"api": "api key was rejected", "csv": "refused (http 400)", "yahoo": "no such"},
    "not_found": {"api": "no such series", "csv": "no such series", "yahoo": "no such ticker"},
    "rate_limit": "asked us to slow down",
    "server_error": "server had an error (http 500)",
    "html": "web page",
    "garbage": {"api": "not fred data", "csv": "not a csv", "yahoo": "unreadable answer"},
    "truncated": "broke off mid-answer",
    "empty": {"api": "no observations", "csv": "no observations", "yahoo": "no prices"},
    "stall": "no answer within",
    "short": "rows where we hold",
    "older": "before ours",
}
REFUSED_WHEN_WARM_ONLY = {"short", "older"}  # a cold cache has nothing to compare them with
# Market modes need a market file (not shipped in the bundled snapshot): they skip in a clone.
MODE_PARAMS = [pytest.param(m, marks=requires_series(MODES[m][0])) for m in MODES]


@cache
def real_rows(series_id: str):
    return tuple(read_rows(REAL_SERIES / f"{series_id}.csv"))


def expected_series(rows) -> pd.Series:
    """What the data layer should hold for `rows`, computed without the data layer."""
    kept = [(d, v) for d, v in rows if v is not None]
    index = pd.DatetimeIndex([d for d, _ in kept], name="date")
    return pd.Series([v for _, v in kept], index=index, dtype="float64")


class Clock:
    """A fake clock: `now` only moves when the test says so."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


def due_clock(series_id: str) -> Clock:
    """An hour after the next observation of the real file should have been published:
    the data is fresh, and a refresh is due."""
    rows = real_rows(series_id)
    last = datetime.fromisoformat(rows[-1][0]).date()
    return Clock(expected_next_release(get_info(series_id), last) + timedelta(hours=1))


@pytest.fixture
def fake():
    with FakeFred(api_key=KEY) as server:
        for sid in ("WALCL", "WTREGEN", "WRESBAL", "SPY", "BAMLH0A0HYM2", "SOFR"):
            if not missing_series(sid):
                server.add(sid, real_rows(sid))
        yield server


def make_store(tmp_path, fake, key=None, clock=None, **overrides) -> DataStore:
    fields = {
        "cache_dir": tmp_path / "cache",
        "snapshot_dir": tmp_path / "no-snapshot",
        "fred_api_key": key,
        "http_timeout": TIMEOUT,
        "background_refresh": False,
        **fake.urls,
        **overrides,
    }
    settings = Settings(**fields)
    return DataStore(settings, clock=clock)


def fault_options(fault: str) -> dict:
    # A long Retry-After is reported at once, not waited out (the short one has its own test).
    return {"retry_after": "30"} if fault == "rate_limit" else {}


def says(fault: str, mode: str) -> str:
    entry = SAYS[fault]
    return entry if isinstance(entry, str) else entry[mode]


# ---- the matrix ----------------------------------------------------------------------------
@pytest.mark.parametrize("fault", list(SAYS))
@pytest.mark.parametrize("mode", MODE_PARAMS)
def test_flt001_fault_with_warm_cache_keeps_good_data(tmp_path, fake, mode, fault):
    series_id, key, _ = MODES[mode]
    clock = due_clock(series_id)
    store = make_store(tmp_path, fake, key, clock)
    first = store.refresh([series_id])[0]
    assert first.outcome == "updated", first
    before = store.get(series_id)
    assert before.values.equals(expected_series(real_rows(series_id)))

    clock.advance(hours=2)
    fake.fail(fault, series_id, **fault_options(fault))
    started = time.monotonic()
    result = store.refresh([series_id])[0]
    elapsed = time.monotonic() - started

    after = store.get(series_id)
    assert elapsed < PROMPT, f"{fault}: refresh took {elapsed:.1f} s"
    assert result.outcome == "failed"
    assert after.values.equals(before.values), "the last good data must be kept"
    assert after.status.state == FRESH and after.status.last_date == before.status.last_date
    assert says(fault, mode) in after.status.message.lower(), after.status.message
    assert after.status.message.startswith("Last refresh failed")
    assert "http://" not in after.status.message and "api_key" not in after.status.message

    # A store opened afterwards (a restart) reads the same good data from disk.
    reopened = make_store(tmp_path, fake, key, clock)
    assert reopened.get(series_id).values.equals(before.values)


# With a cold cache, most faults need no data of the series at all: those run in a clone too.
NEEDS_ROWS = REFUSED_WHEN_WARM_ONLY | {"empty", "truncated"}
COLD_PARAMS = [
    pytest.param(
        mode,
        fault,
        id=f"{mode}-{fault}",
        marks=requires_series(MODES[mode][0]) if fault in NEEDS_ROWS else (),
    )
    for fault in SAYS
    for mode in MODES
]


@pytest.mark.parametrize(("mode", "fault"), COLD_PARAMS)
def test_flt002_fault_with_cold_cache_says_unavailable(tmp_path, fake, mode, fault):
    series_id, key, _ = MODES[mode]
    # Cold: any clock has the series due; without its file, "now" will do.
    clock = Clock(datetime.now(UTC)) if missing_series(series_id) else due_clock(series_id)
    store = make_store(tmp_path, fake, key, clock)
    fake.fail(fault, series_id, **fault_options(fault))

    started = time.monotonic()
    result = store.refresh([series_id])[0]
    elapsed = time.monotonic() - started
    data = store.get(series_id)

    assert elapsed < PROMPT, f"{fault}: refresh took {elapsed:.1f} s"
    if fault in REFUSED_WHEN_WARM_ONLY:
        # Nothing to compare with: the shorter/older answer is real data, so it is kept.
        rows = real_rows(series_id)
        served = rows[::-10][::-1] if fault == "short" else rows[:-5]
        assert result.outcome == "updated"
        assert data.values.equals(expected_series(served))
        assert data.status.state != UNAVAILABLE
        return
    assert result.outcome == "failed"
    assert data.empty and data.status.state == UNAVAILABLE
    assert says(fault, mode) in data.status.message.lower(), data.status.message
    assert "http://" not in data.status.message


@pytest.mark.parametrize("fault", ["server_error", "stall", "garbage"])
def test_flt003_fault_with_bundled_snapshot_keeps_snapshot(tmp_path, fake, fault):
    """Cold cache, but the bundled snapshot has the series: it stays on screen, labelled."""
    from dashboard.config import BUNDLED_SNAPSHOT_DIR

    store = make_store(tmp_path, fake, KEY, due_clock("WALCL"), snapshot_dir=BUNDLED_SNAPSHOT_DIR)
    before = store.get("WALCL")
    fake.fail(fault, "WALCL")
    assert store.refresh(["WALCL"])[0].outcome == "failed"
    after = store.get("WALCL")
    assert after.status.state == SNAPSHOT and after.status.source == "bundled snapshot"
    assert after.values.equals(before.values) and not after.empty
    assert says(fault, "api") in after.status.message.lower()


# ---- good answers, merges -------------------------------------------------------------------
@pytest.mark.parametrize("mode", MODE_PARAMS)
def test_flt004_good_answer_updates_cache_and_becomes_fresh(tmp_path, fake, mode):
    series_id, key, endpoint = MODES[mode]
    rows = real_rows(series_id)
    clock = due_clock(series_id)
    store = make_store(tmp_path, fake, key, clock)
    # The server first knows the history without its last 5 observations...
    fake.add(series_id, rows[:-5])
    assert store.refresh([series_id])[0].outcome == "updated"
    assert store.get(series_id).status.last_date.isoformat() == rows[-6][0]
    # ...then publishes them.
    fake.add(series_id, rows)
    clock.advance(hours=2)
    result = store.refresh([series_id])[0]
    data = store.get(series_id)
    assert result.outcome == "updated" and result.last_date.isoformat() == rows[-1][0]
    assert data.status.state == FRESH and data.status.message == ""
    assert data.status.fetched_at == clock.now
    assert data.values.equals(expected_series(rows))
    assert len(fake.requests_for(endpoint)) == 2
    # And it is on disk: a new store (a restart) serves it without asking the server.
    assert make_store(tmp_path, fake, key, clock).get(series_id).values.equals(data.values)
    assert len(fake.requests_for(endpoint)) == 2


def test_flt005_recovery_after_failure_clears_the_message(tmp_path, fake):
    clock = due_clock("WALCL")
    store = make_store(tmp_path, fake, None, clock)
    store.refresh(["WALCL"])
    fake.fail("server_error", "WALCL")
    clock.advance(hours=2)
    store.refresh(["WALCL"])
    assert "HTTP 500" in store.get("WALCL").status.message
    fake.clear()
    clock.advance(minutes=10)
    assert store.refresh(["WALCL"])[0].message == "checked recently"  # waits 15 min after a failure
    clock.advance(minutes=10)
    assert store.refresh(["WALCL"])[0].outcome == "unchanged"
    assert store.get("WALCL").status.message == ""


@requires_series("BAMLH0A0HYM2")
def test_flt006_ice_style_short_history_merges_with_older(tmp_path, fake):
    """FRED now serves ICE spreads for ~3 years only: older history we hold must survive."""
    rows = real_rows("BAMLH0A0HYM2")
    clock = due_clock("BAMLH0A0HYM2")
    store = make_store(tmp_path, fake, None, clock)
    fake.add("BAMLH0A0HYM2", rows[:-3])  # what we fetched long ago: the full history
    store.refresh(["BAMLH0A0HYM2"])
    since = (datetime.fromisoformat(rows[-1][0]) - timedelta(days=3 * 365)).date().isoformat()
    fake.add("BAMLH0A0HYM2", rows)
    fake.fail("recent", "BAMLH0A0HYM2", since=since)
    clock.advance(days=1)
    result = store.refresh(["BAMLH0A0HYM2"])[0]
    data = store.get("BAMLH0A0HYM2")
    assert result.outcome == "updated"
    assert data.values.equals(expected_series(rows)), "old history kept, new days added"
    assert data.values.index[0].isoformat()[:10] == rows[0][0] < since


def test_flt007_revisions_replace_values_inside_the_answer(tmp_path, fake):
    rows = list(real_rows("WALCL"))
    clock = due_clock("WALCL")
    store = make_store(tmp_path, fake, KEY, clock)
    store.refresh(["WALCL"])
    revised_day, old_value = rows[-2]
    rows[-2] = (revised_day, old_value + 1.0)  # the Fed revised last week's figure
    fake.add("WALCL", rows)
    clock.advance(hours=2)
    assert store.refresh(["WALCL"])[0].outcome == "updated"
    assert store.get("WALCL").values[revised_day] == old_value + 1.0


# ---- limits, retries, Retry-After -------------------------------------------------------------
def test_flt008_fred_requests_are_rate_limited(tmp_path, fake):
    store = make_store(tmp_path, fake, None, due_clock("WALCL"))
    store.refresh(["WALCL", "WTREGEN", "WRESBAL", "SOFR"], force=True)
    times = [r.at for r in fake.requests_for("fred_csv")]
    assert len(times) == 4
    gaps = [b - a for a, b in zip(times, times[1:])]
    # FRED allows about 2 requests a second. Gaps are read where the fake server receives the
    # requests, so a loaded machine can delay one and bring it closer to the next (0.41 s for
    # 0.5 s seen under a parallel test run); unpaced requests would come milliseconds apart.
    assert min(gaps) >= sources_module.FRED_INTERVAL * 0.7, gaps
    assert len(times) / (times[-1] - times[0] + sources_module.FRED_INTERVAL) <= 2.05


def test_flt009_retry_after_is_honoured(tmp_path, fake):
    store = make_store(tmp_path, fake, KEY, due_clock("WALCL"))
    fake.fail("rate_limit", "WALCL", times=1, retry_after="1")
    result = store.refresh(["WALCL"])[0]
    calls = fake.requests_for("fred_api")
    assert result.outcome == "updated"
    assert [c.status for c in calls] == [429, 200]
    assert calls[1].at - calls[0].at >= 1.0, "the retry waited for Retry-After"
    assert store.get("WALCL").status.state == FRESH


def test_flt010_long_retry_after_is_respected_on_the_next_refresh(tmp_path, fake):
    clock = due_clock("WALCL")
    store = make_store(tmp_path, fake, KEY, clock)
    fake.fail("rate_limit", "WALCL", retry_after="3600")
    started = time.monotonic()
    assert store.refresh(["WALCL"])[0].outcome == "failed"
    assert time.monotonic() - started < 2, "an hour's Retry-After is not waited out"
    assert "3600 s" in store.get("WALCL").status.message
    fake.clear()
    clock.advance(minutes=30)
    assert store.refresh(["WALCL"])[0].message == "checked recently"
    assert len(fake.requests_for("fred_api")) == 1
    clock.advance(minutes=31)
    assert store.refresh(["WALCL"])[0].outcome == "updated"


@requires_series("SPY")
def test_flt011_server_errors_are_retried_then_succeed(tmp_path, fake):
    store = make_store(tmp_path, fake, None, due_clock("SPY"))
    fake.fail("server_error", "SPY", times=2)
    assert store.refresh(["SPY"])[0].outcome == "updated"
    assert [c.status for c in fake.requests_for("yahoo")] == [500, 500, 200]


def test_flt012_dead_source_costs_one_timeout_not_one_per_series(tmp_path, fake):
    store = make_store(tmp_path, fake, KEY, due_clock("WALCL"))
    fake.fail("stall")
    started = time.monotonic()
    results = store.refresh(["WALCL", "WTREGEN", "WRESBAL", "SOFR"])
    elapsed = time.monotonic() - started
    assert [r.outcome for r in results] == ["failed"] * 4
    assert len(fake.requests_for("fred_api")) == 1
    assert elapsed < TIMEOUT + 1.5
    assert "not tried" in store.get("SOFR").status.message
    assert "no answer within" in store.get("SOFR").status.message


def test_flt013_one_bad_series_does_not_stop_the_others(tmp_path, fake):
    store = make_store(tmp_path, fake, None, due_clock("WALCL"))
    fake.fail("garbage", "WTREGEN")
    results = {r.series_id: r.outcome for r in store.refresh(["WTREGEN", "WALCL", "WRESBAL"])}
    assert results == {"WTREGEN": "failed", "WALCL": "updated", "WRESBAL": "updated"}


# ---- bad input ------------------------------------------------------------------------------------
def test_flt014_unknown_series_is_a_clear_error_and_asks_nobody(tmp_path, fake):
    store = make_store(tmp_path, fake, KEY)
    with pytest.raises(UnknownSeriesError, match="Unknown series 'NOPE'"):
        store.get("NOPE")
    with pytest.raises(UnknownSeriesError, match="Unknown series 'NOPE'"):
        store.refresh(["WALCL", "NOPE"])
    with pytest.raises(UnknownSeriesError):
        store.request_refresh(["NOPE"])
    assert fake.requests == []


def test_flt015_series_fred_does_not_have(tmp_path, fake):
    """A catalog id the server has never heard of: a plain 'no such series', no crash."""
    store = make_store(tmp_path, fake, KEY, due_clock("WALCL"))
    result = store.refresh(["DFF"])[0]
    assert result.outcome == "failed" and "no such series" in result.message


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_flt016_unsorted_and_repeated_dates_in_a_file_are_cleaned(tmp_path, fake):
    folder = tmp_path / "data"
    write(
        folder / "WALCL.csv",
        "observation_date,WALCL\n2024-01-17,7.5\n2024-01-03,7.7\n2024-01-10,7.6\n"
        "2024-01-10,7.6\n2024-01-24,.\n",
    )
    store = make_store(tmp_path, fake, None, data_dir=folder, offline=True)
    data = store.get("WALCL")
    assert list(data.values.index.strftime("%Y-%m-%d")) == [
        "2024-01-03",
        "2024-01-10",
        "2024-01-17",
    ]
    assert list(data.values) == [7.7, 7.6, 7.5]
    assert data.status.state == SNAPSHOT and data.status.source == "data folder"


def test_flt017_conflicting_dates_in_a_file_are_rejected_with_a_message(tmp_path, fake):
    from dashboard.config import BUNDLED_SNAPSHOT_DIR

    folder = tmp_path / "data"
    write(folder / "WALCL.csv", "observation_date,WALCL\n2024-01-03,7.7\n2024-01-03,7.9\n")
    write(folder / "SPY.csv", "observation_date,SPY\n2024-01-03,470.1\n2024-01-03,471\n")
    store = make_store(
        tmp_path, fake, None, data_dir=folder, offline=True, snapshot_dir=BUNDLED_SNAPSHOT_DIR
    )
    spy = store.get("SPY")
    assert spy.empty and spy.status.state == UNAVAILABLE
    assert "two different values for 2024-01-03" in spy.status.message
    assert "SPY.csv" in spy.status.message
    # WALCL falls back to the bundled snapshot and still says what was wrong with the file.
    walcl = store.get("WALCL")
    assert walcl.status.source == "bundled snapshot" and not walcl.empty
    assert "two different values" in walcl.status.message


# ---- the API key ----------------------------------------------------------------------------------
def test_flt018_api_key_appears_nowhere(tmp_path, fake, caplog, capfd):
    """Run every fault against the keyed API and look for the key in everything we wrote."""
    caplog.set_level(logging.DEBUG)  # urllib3 logs each request line at DEBUG
    clock = due_clock("WALCL")
    store = make_store(tmp_path, fake, KEY, clock)
    said: list[str] = [repr(store.settings), str(store.settings)]
    for result in store.refresh(["WALCL", "SOFR"]):
        said.append(repr(result))
    for fault in SAYS:
        for series_id in ("WALCL", "SOFR"):
            fake.fail(fault, series_id, **fault_options(fault))
        clock.advance(hours=2)
        for result in store.refresh(["WALCL", "SOFR", "WTREGEN"]):
            said.append(repr(result))
        for series_id in ("WALCL", "SOFR", "WTREGEN", "NETLIQ"):
            said.append(repr(store.get(series_id).status))
        fake.clear()
    # A cold store on a bad key, too.
    cold = make_store(tmp_path / "cold", fake, KEY + "x", clock)
    said.extend(repr(r) for r in cold.refresh(["WALCL"]))
    said.append(repr(cold.get("WALCL").status))

    out, err = capfd.readouterr()
    assert any("api_key=" in r.getMessage() for r in caplog.records), "logging was captured"
    assert len(fake.requests_for("fred_api")) > 10 and all(
        KEY in r.path for r in fake.requests_for("fred_api")[:1]
    ), "the key was really sent"
    for where, text in [
        ("logs", "\n".join(caplog.messages)),
        ("formatted logs", caplog.text),
        ("stdout", out),
        ("stderr", err),
        ("statuses and results", "\n".join(said)),
        ("served bodies", b"\n".join(fake.bodies).decode("latin-1")),
    ]:
        assert KEY not in text, f"the API key leaked into {where}"


def test_flt019_key_echoed_by_a_server_is_masked(tmp_path, fake, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    store = make_store(tmp_path, fake, KEY, due_clock("WALCL"))
    fake.fail("echo_key", "WALCL")
    result = store.refresh(["WALCL"])[0]
    status = store.get("WALCL").status
    out, err = capfd.readouterr()
    assert KEY.encode() in b"".join(fake.bodies), "the server did echo it"
    assert "Unknown request token ***" in status.message
    for text in (result.message, status.message, caplog.text, out, err):
        assert KEY not in text


@requires_series("SPY")
def test_flt020_a_long_retry_after_holds_every_series_of_that_source(tmp_path, fake):
    clock = due_clock("WALCL")
    store = make_store(tmp_path, fake, None, clock)
    fake.fail("rate_limit", retry_after="3600")
    results = store.refresh(["WALCL", "WTREGEN", "SPY"])
    assert [r.outcome for r in results] == ["failed", "failed", "failed"]
    assert len(fake.requests_for("fred_csv")) == 1, "FRED was asked once, then left alone"
    # yfinance itself asks once more after a 4xx, with its other cookie strategy.
    assert len(fake.requests_for("yahoo")) == 2, "Yahoo is another source: asked on its own"
    fake.clear()
    clock.advance(minutes=40)  # past the usual 15-minute wait, inside FRED's hour
    held = {r.series_id: r.message for r in store.refresh(["WALCL", "WTREGEN"])}
    assert held == {"WALCL": "checked recently", "WTREGEN": "checked recently"}
    assert len(fake.requests_for("fred_csv")) == 1


def test_flt030_yahoo_rate_limit_through_yfinance_waits_a_short_retry_after(tmp_path, fake):
    """yfinance raises YFRateLimitError (it keeps no Retry-After); we read the header off our
    session and honour a short one like any other source's."""
    store = make_store(tmp_path, fake, None, due_clock("SPY"))
    fake.fail("rate_limit", "SPY", times=2, retry_after="1")
    result = store.refresh(["SPY"])[0]
    calls = fake.requests_for("yahoo")
    assert result.outcome == "updated", result
    assert [c.status for c in calls] == [429, 429, 200]
    assert calls[2].at - calls[1].at >= 1.0, "the retry waited for Retry-After"
    assert store.get("SPY").values.equals(expected_series(real_rows("SPY")))


@pytest.mark.parametrize("fault", ["not_found", "empty", "garbage", "html", "rate_limit"])
def test_flt031_yahoo_failures_are_told_in_our_words_not_yfinances(tmp_path, fake, fault, capfd):
    store = make_store(tmp_path, fake, None, due_clock("SPY"))
    fake.fail(fault, "SPY", **fault_options(fault))
    result = store.refresh(["SPY"])[0]
    message = store.get("SPY").status.message
    out, err = capfd.readouterr()
    assert result.outcome == "failed" and message.startswith("Last refresh failed: Yahoo Finance")
    for text in (message, out, err):
        for library_words in ("Traceback", "possibly delisted", "$SPY", "YFRateLimitError"):
            assert library_words not in text, (library_words, text)
