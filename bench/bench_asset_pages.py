"""Asset deep dives and the QE/QT playbooks: server time per warm visit (the page callback,
then the callbacks it fires on load, over HTTP to one gunicorn worker), against the floor of
serialising the same figures with plotly.io.to_json, measured in the same run.

    python -m bench.bench_asset_pages [--rounds 3] [--visits 10]

Targets (issue 14): p95 ≤ 250 ms per deep-dive visit, ≤ 400 ms per playbook visit.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import plotly.io as pio

from bench.common import ServerProcess, Stats, app_env, markdown_table, write_result
from bench.dashproto import DashSite, find_figures

# Deep dives of different kinds: an ETF, a spread, crypto, a stress index, the Fed's own
# balance sheet and a derived series; then both playbooks.
DEEP_DIVES = (
    "/asset/TLT",
    "/asset/BAMLH0A0HYM2",
    "/asset/BTC-USD",
    "/asset/NFCI",
    "/asset/WALCL",
    "/asset/NETLIQ",
)
PLAYBOOKS = ("/playbook/qe", "/playbook/qt")
TARGET_P95_MS = {"deep dive": 250.0, "playbook": 400.0}


def kind_of(path: str) -> str:
    return "playbook" if path.startswith("/playbook") else "deep dive"


def visit(site: DashSite, path: str) -> tuple[float, list[dict]]:
    """(server ms of one visit, the figures it delivered)."""
    start = time.perf_counter()
    view = site.open_page(path)
    figures = list(find_figures(view.content))
    for call in view.calls:
        response = site.post(call)
        response.raise_for_status()
        figures.extend(find_figures(response.json()))
    return (time.perf_counter() - start) * 1000, figures


def floor_ms(figures: list[dict]) -> float:
    """Time to serialise the visit's figures once with plotly.io.to_json (no validation)."""
    start = time.perf_counter()
    for figure in figures:
        pio.to_json(figure, validate=False)
    return (time.perf_counter() - start) * 1000


def run(rounds: int = 3, visits: int = 10) -> dict:
    times: dict[str, list[float]] = {}
    floors: dict[str, list[float]] = {}
    cold: dict[str, list[float]] = {}
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            env = app_env(Path(tmp) / "cache")
            with ServerProcess.gunicorn(env, Path(tmp) / "gunicorn.log") as server:
                server.wait_until()
                site = DashSite(server.url, timeout=120)
                for path in DEEP_DIVES + PLAYBOOKS:  # first visits: the study is built here
                    cold.setdefault(path, []).append(visit(site, path)[0])
                for path in DEEP_DIVES + PLAYBOOKS:
                    for _ in range(visits):
                        ms, figures = visit(site, path)
                        times.setdefault(path, []).append(ms)
                        floors.setdefault(path, []).append(floor_ms(figures))
    pages = []
    for path in DEEP_DIVES + PLAYBOOKS:
        visit_stats, floor_stats = Stats.of(times[path]), Stats.of(floors[path])
        pages.append(
            {
                "path": path,
                "kind": kind_of(path),
                "first_visit_ms": Stats.of(cold[path]).as_dict(),
                "visit_ms": visit_stats.as_dict(),
                "floor_to_json_ms": floor_stats.as_dict(),
                "ratio_median": visit_stats.median / floor_stats.median,
            }
        )
    by_kind = {}
    for kind, target in TARGET_P95_MS.items():
        values = [v for p in DEEP_DIVES + PLAYBOOKS if kind_of(p) == kind for v in times[p]]
        stats = Stats.of(values)
        by_kind[kind] = {"visit_ms": stats.as_dict(), "target_p95_ms": target}
    result = {"pages": pages, "by_kind": by_kind, "rounds": rounds, "visits": visits}
    write_result("asset_pages", result)
    return result


def table(result: dict) -> str:
    rows = [
        [
            f"`{p['path']}`",
            Stats(**p["first_visit_ms"]).short(0),
            Stats(**p["visit_ms"]).short(0),
            f"{p['visit_ms']['p95']:.0f}",
            Stats(**p["floor_to_json_ms"]).short(1),
            f"{p['ratio_median']:.1f}×",
        ]
        for p in result["pages"]
    ]
    pages = markdown_table(
        [
            "page",
            "first visit ms",
            "warm visit ms",
            "warm p95 ms",
            "floor: to_json of its figures ms",
            "visit ÷ floor",
        ],
        rows,
    )
    kinds = markdown_table(
        ["page kind", "warm visit ms, median (min–max)", "p95 ms", "target p95 ms", "n"],
        [
            [
                kind,
                Stats(**k["visit_ms"]).short(0),
                f"{k['visit_ms']['p95']:.0f}",
                f"{k['target_p95_ms']:.0f}",
                k["visit_ms"]["n"],
            ]
            for kind, k in result["by_kind"].items()
        ],
    )
    return pages + "\n\n" + kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--visits", type=int, default=10)
    args = parser.parse_args()
    print(table(run(args.rounds, args.visits)))


if __name__ == "__main__":
    main()
