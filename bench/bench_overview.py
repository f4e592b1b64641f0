"""Overview chart callback, in process: latency and figure size against the floor.

Calls `dashboard.pages.overview.update_chart` as a plain function (default overlays, Max
range; then stacked, rebased and 10Y variants) many times on the real snapshot, and measures
what Dash does after it: serialising the figure to JSON. Floor, measured in the same run:
`plotly.io.to_json` of the very figure returned (the least any Plotly app pays to ship it).
Targets (issue 3): p95 under 150 ms server-side, figure under 400 KB.

    DASHBOARD_DATA_DIR=../shared/data/series python -m bench.bench_overview [--calls 300]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import plotly.io as pio
from plotly.utils import PlotlyJSONEncoder

from bench.common import SHARED_SERIES, Stats, markdown_table, write_result

TARGET_P95_MS = 150.0
TARGET_KB = 400.0

CASES = {
    # name: (overlays, range, rebase, log, mode, episodes, netliq, episode)
    "default (4 overlays, Max, right axes)": (
        ["TLT", "BAMLH0A0HYM2", "BTC-USD", "LBMA_GOLD_PM_USD"],
        "MAX",
        "off",
        False,
        "axes",
        True,
        False,
        None,
    ),
    "stacked, Max": (
        ["TLT", "BAMLH0A0HYM2", "BTC-USD", "LBMA_GOLD_PM_USD"],
        "MAX",
        "off",
        False,
        "stacked",
        True,
        False,
        None,
    ),
    "rebased + net liquidity, Max": (
        ["TLT", "BAMLH0A0HYM2", "BTC-USD", "LBMA_GOLD_PM_USD"],
        "MAX",
        "start",
        True,
        "axes",
        True,
        True,
        None,
    ),
    "5Y (daily points, not thinned)": (
        ["TLT", "BAMLH0A0HYM2", "BTC-USD", "LBMA_GOLD_PM_USD"],
        "5Y",
        "off",
        False,
        "axes",
        True,
        False,
        None,
    ),
}


def _setup():
    import dash

    from dashboard.config import Settings
    from dashboard.data import DataStore, set_store

    cache = Path(tempfile.mkdtemp(prefix="bench-overview-"))
    set_store(DataStore(Settings(data_dir=SHARED_SERIES, cache_dir=cache, offline=True)))
    # register_page needs an app with pages; an empty pages folder keeps the others out.
    dash.Dash(__name__, use_pages=True, pages_folder="")
    from dashboard.pages import overview

    return overview


def measure(callback, args: tuple, calls: int) -> dict:
    callback(*args, "light", 0, "")  # warm: data memo, imports
    total, serialise, floor = [], [], []
    size = floor_size = 0
    for _ in range(calls):
        t0 = time.perf_counter()
        fig = callback(*args, "light", 0, "")[0]
        t1 = time.perf_counter()
        body = json.dumps(fig, cls=PlotlyJSONEncoder)  # what Dash does with the return value
        t2 = time.perf_counter()
        floor_json = pio.to_json(fig)
        t3 = time.perf_counter()
        total.append((t2 - t0) * 1000)
        serialise.append((t2 - t1) * 1000)
        floor.append((t3 - t2) * 1000)
        size, floor_size = len(body), len(floor_json)
    points = sum(len(t.x) for t in fig.data if t.meta == "overview-line")
    return {
        "callback_plus_json_ms": Stats.of(total).as_dict(),
        "json_ms": Stats.of(serialise).as_dict(),
        "floor_to_json_ms": Stats.of(floor).as_dict(),
        "figure_kb": size / 1024,
        "floor_figure_kb": floor_size / 1024,
        "plotted_points": points,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args(argv)
    if not (SHARED_SERIES / "WALCL.csv").is_file():
        print(f"needs the data folder at {SHARED_SERIES} (set DASHBOARD_DATA_DIR)")
        return 2
    overview = _setup()
    results = {}
    for name, case in CASES.items():
        calls = args.calls if name.startswith("default") else max(args.calls // 3, 30)
        results[name] = measure(overview.update_chart, case, calls)
    rows = []
    for name, r in results.items():
        total, floor = r["callback_plus_json_ms"], r["floor_to_json_ms"]
        rows.append(
            [
                name,
                total["n"],
                f"{total['median']:.1f}",
                f"{total['p95']:.1f}",
                f"{floor['median']:.1f}",
                f"{r['figure_kb']:.0f}",
                f"{r['floor_figure_kb']:.0f}",
                r["plotted_points"],
            ]
        )
    print(
        markdown_table(
            [
                "case",
                "calls",
                "median ms",
                "p95 ms",
                "floor to_json ms",
                "figure KB",
                "floor KB",
                "points",
            ],
            rows,
        )
    )
    default = results[next(iter(CASES))]
    ok = (
        default["callback_plus_json_ms"]["p95"] < TARGET_P95_MS and default["figure_kb"] < TARGET_KB
    )
    print(
        f"\ntargets (default view): p95 < {TARGET_P95_MS:.0f} ms, figure < {TARGET_KB:.0f} KB:"
        f" {'met' if ok else 'NOT met'}"
    )
    path = write_result(
        "bench_overview",
        {
            "cases": results,
            "targets_met": ok,
            "targets": {"p95_ms": TARGET_P95_MS, "figure_kb": TARGET_KB},
        },
    )
    print(f"written to {path}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
