"""The background refresher as a page sees it, over real HTTP against the fake server: what an
open page shows is fetched before the rest of the catalog, progress says what is still
pending, and an unreachable source is reported on its own series only."""

from __future__ import annotations

import socket
import time

import pytest

from dashboard.components import live_text
from dashboard.config import Settings
from dashboard.data import DataStore
from dashboard.data.store import FetchProgress
from tests.conftest import SHARED_SERIES, requires_shared
from tests.fakefred import FakeFred, read_rows

pytestmark = requires_shared

CATALOG_PART = ("DGS10", "DGS2", "SOFR", "IORB", "WRESBAL", "RRPONTSYD", "WTREGEN", "T10Y2Y")


def _store(tmp_path, urls, timeout=5.0, background=True) -> DataStore:
    settings = Settings(
        cache_dir=tmp_path / "cache",
        snapshot_dir=tmp_path / "no-snapshot",
        http_timeout=timeout,
        background_refresh=background,
        **urls,
    )
    return DataStore(settings)


@pytest.fixture
def fake():
    with FakeFred() as server:
        for sid in (*CATALOG_PART, "WALCL"):
            server.add(sid, read_rows(SHARED_SERIES / f"{sid}.csv"))
        server.add("TLT", read_rows(SHARED_SERIES / "TLT.csv"))
        yield server


def test_lvp001_the_open_pages_series_jump_the_catalog_queue(tmp_path, fake):
    store = _store(tmp_path, fake.urls)
    fake.fail("slow", "DGS10", stall=1.0)  # the catalog run is busy when the page asks
    store.request_refresh(CATALOG_PART)  # e.g. the Data page's "refresh all"
    deadline = time.monotonic() + 10
    while not fake.requests_for("fred_csv") and time.monotonic() < deadline:
        time.sleep(0.01)  # until DGS10 is on the wire
    store.get("TLT")  # a page draws TLT: not held, so it is queued ahead
    store.get("WALCL")
    progress = store.fetch_progress(["TLT", "WALCL", "DGS2"])
    assert set(progress.waiting) == {"TLT", "WALCL", "DGS2"}
    assert store.wait_for_refresh(60)
    order = [r.series for r in fake.requests if r.endpoint in ("fred_csv", "yahoo")]
    assert order[0] == "DGS10", "the series being fetched when the page asked is finished"
    assert order[1:3] == ["TLT", "WALCL"], order
    assert sorted(order[3:]) == sorted(CATALOG_PART[1:])
    assert store.fetch_progress(["TLT", "WALCL"]) == FetchProgress((), {})
    assert store.get("TLT").status.source == "Yahoo Finance"


def test_lvp002_an_unreachable_source_is_reported_on_its_own_series_only(tmp_path, fake):
    with socket.socket() as probe:  # a port nobody listens on: connection refused
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    store = _store(tmp_path, {**fake.urls, "market_url": dead}, timeout=2.0)
    for sid in ("WALCL", "TLT", "DGS10"):
        store.get(sid)
    assert store.wait_for_refresh(60)
    progress = store.fetch_progress(["WALCL", "TLT", "DGS10"])
    assert progress.waiting == ()
    assert progress.unreachable == {"TLT": "Yahoo Finance"}
    assert store.get("WALCL").status.source == "FRED download"
    text = live_text(progress, [])
    assert text == "No connection to Yahoo Finance (TLT): showing the offline snapshot."
    # Not asked again at once: a page redrawing does not set off another round.
    store._forget("TLT")
    store.get("TLT")
    assert store.fetch_progress(["TLT"]).waiting == ()


def test_lvp003_progress_text_counts_the_round(tmp_path):
    progress = FetchProgress(("TLT", "BTC-USD", "LBMA_GOLD_PM_USD"), {})
    text = live_text(progress, ["WALCL", "WRESBAL", "TLT", "BTC-USD", "LBMA_GOLD_PM_USD"])
    assert text == "Fetching 3 of 5: TLT, Bitcoin, Gold…"


def test_lvp004_a_series_landing_while_the_page_draws_keeps_it_polling(tmp_path, fake):
    # The race a loaded machine hit: the page read its data (gold not there yet), gold
    # landed, then the page asked what was pending — nothing — and stopped polling, drawn
    # without gold for good. A series that landed after the page's token counts as pending
    # once more, so the page polls, sees it arrive and redraws.
    from dashboard.components import live_token, live_values
    from dashboard.data import set_store

    store = _store(tmp_path, fake.urls, background=False)  # the test lands it by hand
    set_store(store)
    try:
        since = live_token()  # the page opens
        assert store.get("WALCL").values.empty  # it reads its data: nothing yet
        store.refresh(["WALCL"], force=True)  # WALCL lands, over real HTTP
        shown, disabled, text = live_values(["WALCL"], since)
        assert shown["waiting"] == ["WALCL"] and disabled is False
        assert "Fetching" not in text  # not being fetched: only one more poll
        # The redraw after that poll starts from a new token: nothing is pending any more.
        shown, disabled, text = live_values(["WALCL"], live_token())
        assert shown["waiting"] == [] and disabled is True and text == ""
        # Derived series stand for their inputs; a malformed token counts every landing.
        assert live_values(["NETLIQ"], since)[0]["waiting"] == ["WALCL"]
        assert live_values(["WALCL"], "junk")[0]["waiting"] == ["WALCL"]
    finally:
        set_store(None)
        store.close()
