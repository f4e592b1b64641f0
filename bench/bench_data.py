"""Benchmark: time to load every catalog series, from a warm disk cache and from the data dir.

Each run builds a new `DataStore` (so its in-memory memo never counts) and calls `get` for
every catalog series, derived ones included. Scenarios:

- `cache, warm`: the disk cache holds every series as a refresh leaves it (no data folder).
- `data dir, cold cache`: `DASHBOARD_DATA_DIR` with an empty cache: every CSV is parsed.
- `data dir, warm cache`: the same folder once seen (parses are kept in the cache by file
  mtime and size): what a restart of the app costs.
- floors measured in the same run: `pandas.read_csv` of every file (the least any CSV load
  can cost) and raw `diskcache` reads of every cached entry (the least the cache can cost).

Usage: `DASHBOARD_DATA_DIR=../shared/data/series python -m bench.bench_data [--runs 9]`.
Prints a table and writes JSON to bench/results/ (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import diskcache
import pandas as pd

from dashboard.catalog import SERIES, stored_ids
from dashboard.config import PROJECT_ROOT, Settings
from dashboard.data import UNAVAILABLE, DataStore
from dashboard.data.cache import CachedSeries

TARGET_SECONDS = 0.5
RESULTS_DIR = PROJECT_ROOT / "bench" / "results"


def load_all(settings: Settings) -> int:
    """Open a new store and get every catalog series; returns the number of observations."""
    store = DataStore(settings)
    total = 0
    for info in SERIES:
        data = store.get(info.id)
        if data.status.state == UNAVAILABLE:
            raise RuntimeError(f"{info.id} unavailable: {data.status.message}")
        total += len(data.values)
    store.close()
    return total


def floor_read_csv(folder: Path) -> int:
    total = 0
    for sid in stored_ids():
        frame = pd.read_csv(folder / f"{sid}.csv", index_col=0, parse_dates=True)
        total += len(frame)
    return total


def floor_diskcache(folder: Path) -> int:
    cache = diskcache.Cache(str(folder))
    total = sum(len(cache.get(sid)["values"]) for sid in stored_ids())
    cache.close()
    return total


def timed(fn, runs: int) -> dict:
    fn()  # one untimed pass: imports, page cache, lazy module state
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return {
        "median_s": statistics.median(times),
        "min_s": min(times),
        "max_s": max(times),
        "runs": runs,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="timed runs per scenario (>= 7)")
    parser.add_argument("--data-dir", default=os.environ.get("DASHBOARD_DATA_DIR"))
    args = parser.parse_args(argv)
    if not args.data_dir or not (Path(args.data_dir) / "WALCL.csv").is_file():
        print("Set DASHBOARD_DATA_DIR (or --data-dir) to the folder of series CSVs.")
        return 2
    data_dir = Path(args.data_dir).resolve()
    runs = max(7, args.runs)
    work = Path(tempfile.mkdtemp(prefix="bench-data-"))
    empty_snapshot = work / "no-snapshot"
    empty_snapshot.mkdir()
    try:
        # A warm cache as a refresh leaves it: every stored series, fetched "now".
        warm_cache = work / "warm"
        seeding = DataStore(Settings(data_dir=data_dir, cache_dir=work / "seed", offline=True))
        filler = DataStore(
            Settings(cache_dir=warm_cache, snapshot_dir=empty_snapshot, offline=True)
        )
        now = time.time()
        for sid in stored_ids():
            filler.cache.put(sid, CachedSeries(seeding.get(sid).values, "FRED API", now))
        filler.close()
        seeding.close()
        cache_only = Settings(cache_dir=warm_cache, snapshot_dir=empty_snapshot, offline=True)

        folder_warm = Settings(data_dir=data_dir, cache_dir=work / "folder-warm", offline=True)
        cold_dirs = iter(range(10_000))

        def folder_cold():
            return load_all(
                Settings(
                    data_dir=data_dir, cache_dir=work / f"cold-{next(cold_dirs)}", offline=True
                )
            )

        observations = load_all(cache_only)
        scenarios = {
            "cache, warm": timed(lambda: load_all(cache_only), runs),
            "data dir, warm cache": timed(lambda: load_all(folder_warm), runs),
            "data dir, cold cache": timed(folder_cold, runs),
            "floor: pandas.read_csv of every file": timed(lambda: floor_read_csv(data_dir), runs),
            "floor: raw diskcache reads": timed(
                lambda: floor_diskcache(warm_cache / "series"), runs
            ),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"Loading all {len(SERIES)} catalog series ({observations:,} observations), {runs} runs")
    print(f"{'scenario':40} {'median':>9} {'min':>9} {'max':>9}")
    for name, r in scenarios.items():
        print(
            f"{name:40} {r['median_s'] * 1000:7.1f}ms {r['min_s'] * 1000:7.1f}ms "
            f"{r['max_s'] * 1000:7.1f}ms"
        )
    warm = scenarios["cache, warm"]["median_s"]
    verdict = "meets" if warm < TARGET_SECONDS else "MISSES"
    print(
        f"\nWarm cache: {warm * 1000:.0f} ms, {verdict} the {TARGET_SECONDS * 1000:.0f} ms target."
    )

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS_DIR / f"bench_data-{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "benchmark": "load all catalog series",
                "when_utc": stamp,
                "series": len(SERIES),
                "observations": observations,
                "target_s": TARGET_SECONDS,
                "machine": {
                    "python": sys.version.split()[0],
                    "pandas": pd.__version__,
                    "cpus": os.cpu_count(),
                    "platform": platform.platform(),
                },
                "scenarios": scenarios,
            },
            indent=2,
        )
    )
    print(f"Wrote {out.relative_to(PROJECT_ROOT)}")
    return 0 if warm < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
