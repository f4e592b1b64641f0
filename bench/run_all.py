"""Run every benchmark and the load run; write JSON per benchmark and one Markdown report.

    python -m bench.run_all            # everything (about 8 minutes on 2 cores)
    python -m bench.run_all --quick    # fewer repetitions, a 20-s load run (about 2 minutes)
    python -m bench.run_all --only callbacks load

Results: bench/results/<name>.json and bench/results/REPORT.md (git-ignored). Every figure is
a median over repeated runs with min/max, next to a floor measured in the same run. The app
runs as its own process on 127.0.0.1 with the full data folder (`DASHBOARD_DATA_DIR`, default
../shared/data/series), offline. Benchmarks that other modules own (bench/bench_*.py with a
`main()`) are run too, as subprocesses, and their output is appended to the report.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable

from bench import (
    bench_browser,
    bench_callbacks,
    bench_cold_start,
    bench_coldstart_fetch,
    bench_pages,
)
from bench.common import PROJECT_ROOT, RESULTS_DIR, SHARED_SERIES, machine, write_result
from bench.load import run_load

OURS = ("cold_start", "coldstart_fetch", "callbacks", "pages", "browser", "load", "load_cached")
OTHERS = ("bench_data", "bench_overview")  # owned by the data layer and the Overview


def suites(quick: bool) -> dict[str, tuple[str, Callable[[], dict], Callable[[dict], str]]]:
    return {
        "cold_start": (
            "Cold start",
            lambda: bench_cold_start.run(runs=3 if quick else 7),
            bench_cold_start.table,
        ),
        "coldstart_fetch": (
            "Cold cache to a complete Overview, online (fake server, FRED at 2/s)",
            lambda: bench_coldstart_fetch.run(runs=3 if quick else 5),
            bench_coldstart_fetch.table,
        ),
        "callbacks": (
            "Overview callback latency and cost growth",
            lambda: bench_callbacks.run(
                calls=50 if quick else 200, growth_calls=10 if quick else 40
            ),
            bench_callbacks.table,
        ),
        "pages": (
            "Payload per page and peak memory",
            lambda: bench_pages.run(rounds=1 if quick else 3),
            bench_pages.table,
        ),
        "browser": (
            "Time to first chart in headless Chromium",
            lambda: bench_browser.run(runs=2 if quick else 5),
            bench_browser.table,
        ),
        "load": (
            "Load: 50 users for 60 s against gunicorn, 2 workers",
            lambda: run_load.run(seconds=20 if quick else 60),
            run_load.table,
        ),
        "load_cached": (
            "Load: the same with DASHBOARD_RESPONSE_CACHE_SECONDS=30",
            lambda: run_load.run(seconds=20 if quick else 60, response_cache=30),
            run_load.table,
        ),
    }


def run_other(name: str) -> str | None:
    """Another module's benchmark, run as a subprocess; its printed output, or None."""
    if not (PROJECT_ROOT / "bench" / f"{name}.py").is_file():
        return None
    done = subprocess.run(
        [sys.executable, "-m", f"bench.{name}"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DASHBOARD_DATA_DIR": str(SHARED_SERIES), "DASHBOARD_OFFLINE": "1"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    out = done.stdout.strip() or done.stderr.strip()[-2000:]
    return out if done.returncode == 0 else f"(exited {done.returncode})\n\n```\n{out}\n```"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run every benchmark; write JSON + Markdown.")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, short load")
    parser.add_argument("--only", nargs="*", choices=OURS + OTHERS, help="run just these")
    args = parser.parse_args(argv)
    if not (SHARED_SERIES / "WALCL.csv").is_file():
        print(f"needs the data folder at {SHARED_SERIES} (set DASHBOARD_DATA_DIR)")
        return 2
    chosen = args.only or list(OURS + OTHERS)
    env = machine()
    sections = [
        "# Benchmark report",
        f"{env['when']}, Python {env['python']}, {env['cpus']} CPUs, Dash {env['dash']}, "
        f"Plotly {env['plotly']}, pandas {env['pandas']}. Data: {SHARED_SERIES}."
        + (" Quick mode (fewer repetitions)." if args.quick else ""),
    ]
    summary: dict = {"machine": env, "quick": args.quick, "results": {}}
    failed: list[str] = []
    for name, (title, run, table) in suites(args.quick).items():
        if name not in chosen:
            continue
        print(f"== {title} …", flush=True)
        start = time.perf_counter()
        try:
            text = table(run())
        except Exception as exc:  # noqa: BLE001 - one broken benchmark must not hide the rest
            failed.append(name)
            text = f"FAILED: {type(exc).__name__}: {exc}"
        print(text, flush=True)
        sections += [f"## {title}", text]
        summary["results"][name] = {"seconds": round(time.perf_counter() - start, 1)}
    for name in OTHERS:
        if name in chosen:
            print(f"== {name} …", flush=True)
            text = run_other(name)
            if text is not None:
                if text.startswith("(exited"):
                    failed.append(name)
                print(text, flush=True)
                sections += [f"## {name}", text]
    report = RESULTS_DIR / "REPORT.md"
    report.write_text("\n\n".join(sections) + "\n")
    summary["failed"] = failed
    write_result("summary", summary)
    print(f"\nwrote {report}" + (f"; FAILED: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
