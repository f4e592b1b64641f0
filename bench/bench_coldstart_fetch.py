"""Cold cache to a complete Overview, online: seconds from the first visit of `/` until every
series the Overview shows has been fetched live and the page has nothing left pending (its
polling switched off), against the fake server over real HTTP at FRED's 2 requests/s.

The app runs as `python app.py` with an empty cache, only the bundled Fed snapshot offline
(no data folder) — a user's first run. The fake server serves the real files of the shared
folder. Floor, measured in the same run: the requests the Overview needs (one per series)
at FRED's pace, n / 2 per second; what yfinance adds (its cookie, crumb and time-zone probe)
is counted separately.

    python -m bench.bench_coldstart_fetch [--runs 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench.common import (
    PROJECT_ROOT,
    SHARED_SERIES,
    ServerProcess,
    Stats,
    app_env,
    markdown_table,
    write_result,
)
from bench.dashproto import DashSite

sys.path.insert(0, str(PROJECT_ROOT))
from dashboard.catalog import get_info  # noqa: E402
from dashboard.data.sources import FRED_INTERVAL  # noqa: E402
from dashboard.data.store import DataStore  # noqa: E402
from tests.fakefred import FakeFred, read_rows  # noqa: E402

# What the Overview shows at its defaults: the cards, the regime card and the chart.
OVERVIEW = (
    "WALCL", "WRESBAL", "RRPONTSYD", "WTREGEN", "NETLIQ", "TREAST", "WSHOMCB",
    "TLT", "BAMLH0A0HYM2", "BTC-USD", "LBMA_GOLD_PM_USD",
)  # fmt: skip
LIVE_INTERVAL = "overview-live-interval"
POLL = 0.1  # seconds between checks; the browser itself polls every second


def needed() -> list[str]:
    return DataStore.expand(OVERVIEW)


def _served_as(series_id: str) -> str:
    """The name the fake server files a series under (LBMA's is its JSON file name)."""
    info = get_info(series_id)
    return "gold_pm" if info.source == "lbma" else info.source_id


def _fake() -> FakeFred:
    fake = FakeFred().start()
    for sid in needed():
        fake.add(_served_as(sid), read_rows(SHARED_SERIES / f"{sid}.csv"))
    return fake


def _chart_call(view):
    for call in view.calls:
        if ".figure" in call.label:
            return call
    raise LookupError("no Overview chart callback")


def one_run() -> dict:
    fake = _fake()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            env = app_env(
                Path(tmp) / "cache",
                DASHBOARD_DATA_DIR="",
                DASHBOARD_OFFLINE="",
                DASHBOARD_HTTP_TIMEOUT="10",
                **fake.env,
            )
            with ServerProcess.app_py(env, Path(tmp) / "app.log") as server:
                server.wait_until("/_dash-layout")
                site = DashSite(server.url, timeout=120)
                fake.reset_log()
                started = time.perf_counter()
                view = site.open_page("/")
                call = _chart_call(view)
                while True:
                    answer = site.post(call)
                    answer.raise_for_status()
                    if answer.json()["response"][LIVE_INTERVAL]["disabled"]:
                        break
                    if time.perf_counter() - started > 300:
                        raise TimeoutError("the Overview never completed")
                    time.sleep(POLL)
                seconds = time.perf_counter() - started
    finally:
        fake.stop()
    asked = fake.requests_for()
    served = {r.series for r in asked if r.status == 200 and r.endpoint != "yahoo_tz"}
    missing = [sid for sid in needed() if _served_as(sid) not in served]
    if missing:
        raise RuntimeError(f"not fetched live: {missing}")
    fred = [r for r in asked if r.endpoint == "fred_csv"]
    endpoints = {r.endpoint for r in asked}
    return {
        "seconds": seconds,
        "requests": len(asked),
        "fred_requests": len(fred),
        "fred_span_s": fred[-1].at - fred[0].at if len(fred) > 1 else 0.0,
        "by_endpoint": {e: sum(r.endpoint == e for r in asked) for e in sorted(endpoints)},
    }


def run(runs: int = 5) -> dict:
    one_run()  # unmeasured: warms the OS file cache and .pyc files
    measured = [one_run() for _ in range(runs)]
    n_needed = len(needed())
    floor = n_needed * FRED_INTERVAL  # one request per series at 2 per second
    # Only FRED is paced: its first request goes at once, each further one 0.5 s later. No
    # run can beat this, whatever the other sources cost.
    n_fred = sum(get_info(sid).source == "fred" for sid in needed())
    fred_floor = (n_fred - 1) * FRED_INTERVAL
    seconds = Stats.of([m["seconds"] for m in measured])
    result = {
        "what": "first visit of / with a cold cache -> every Overview series fetched live and "
        "nothing pending (s); fake server, FRED at 2 requests/s",
        "series_needed": n_needed,
        "floor_s": floor,
        "fred_requests_needed": n_fred,
        "fred_pacing_floor_s": fred_floor,
        "seconds": seconds.as_dict(),
        "ratio_median_to_floor": seconds.median / floor,
        "runs": measured,
    }
    write_result("coldstart_fetch", result)
    return result


def table(result: dict) -> str:
    runs = result["runs"]
    return markdown_table(
        [
            "cold cache → complete Overview",
            "median s (min–max)",
            "floor: n/2 per s",
            "ratio",
            "FRED pacing alone",
            "requests made",
        ],
        [
            [
                f"{result['series_needed']} series, FRED at 2/s",
                Stats(**result["seconds"]).short(1),
                f"{result['floor_s']:.1f} s",
                f"{result['ratio_median_to_floor']:.2f}",
                f"{result['fred_pacing_floor_s']:.1f} s ({result['fred_requests_needed']} FRED)",
                f"{min(r['requests'] for r in runs)}–{max(r['requests'] for r in runs)}",
            ]
        ],
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    print(table(run(parser.parse_args().runs)))
