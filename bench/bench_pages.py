"""Per page: what the browser downloads (layout + the callbacks fired on load, figure JSON
among it, raw and gzip'd), and the peak memory of one server process after visiting every
page. Floor for memory: a Python process that only imports dash, plotly, pandas and dbc.

    python -m bench.bench_pages [--rounds 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from bench.common import ServerProcess, Stats, app_env, markdown_table, write_result
from bench.dashproto import DashSite, count_points, find_figures

PEAK_RSS_SNIPPET = (
    "import dash, plotly, pandas, dash_bootstrap_components\n"
    "for line in open('/proc/self/status'):\n"
    "    if line.startswith(('VmHWM', 'VmRSS')): print(line.split()[1])\n"
)


def _peak_and_rss_mib(pid: int) -> tuple[float, float]:
    """(peak RSS, current RSS) in MiB from /proc (VmHWM is the kernel's high-water mark)."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmHWM", "VmRSS")):
            key, amount = line.split()[:2]
            values[key.rstrip(":")] = int(amount) / 1024
    return values["VmHWM"], values["VmRSS"]


def floor_peak_mib() -> float:
    out = subprocess.run(
        [sys.executable, "-c", PEAK_RSS_SNIPPET], capture_output=True, text=True, check=True
    ).stdout.split()
    return int(out[0]) / 1024


def visit_ms(site: DashSite, path: str) -> float:
    """Server time of one visit: the page callback, then its load callbacks one by one (ms)."""
    start = time.perf_counter()
    view = site.open_page(path)
    for call in view.calls:
        site.post(call)
    return (time.perf_counter() - start) * 1000


def visit_page(site: DashSite, path: str) -> dict:
    """Open a page as the browser does; sizes of everything it downloads."""
    view = site.open_page(path)
    figures = list(find_figures(view.content))
    callback_bytes = 0
    for call in view.calls:
        response = site.post(call)
        if response.status_code == 200:
            callback_bytes += len(response.content)
            figures.extend(find_figures(response.json()))
    figure_text = [json.dumps(f, separators=(",", ":")) for f in figures]
    html = site.http.get(site.base + path, timeout=60)
    return {
        "path": path,
        "html_bytes": len(html.content),
        "layout_bytes": view.content_bytes,
        "callbacks": len(view.calls),
        "callback_bytes": callback_bytes,
        "figures": len(figures),
        "traces": sum(len(f.get("data", [])) for f in figures),
        "points": sum(count_points(f) for f in figures),
        "figure_bytes": sum(len(t) for t in figure_text),
        "figure_gzip_bytes": sum(len(gzip.compress(t.encode())) for t in figure_text),
        "total_bytes": view.content_bytes + callback_bytes,
    }


def worker_pid(server: ServerProcess) -> int:
    children = psutil.Process(server.proc.pid).children()
    return children[0].pid if children else server.proc.pid


def run(rounds: int = 3) -> dict:
    floors, peaks, settled, pages = [], [], [], []
    visits: dict[str, list[float]] = {}
    for round_no in range(rounds):
        floors.append(floor_peak_mib())
        with tempfile.TemporaryDirectory() as tmp:
            env = app_env(Path(tmp) / "cache")
            with ServerProcess.gunicorn(env, Path(tmp) / "gunicorn.log") as server:
                server.wait_until()
                site = DashSite(server.url, timeout=120)
                pid = worker_pid(server)
                visited = [visit_page(site, path) for path in site.page_paths()]
                for path in site.page_paths():  # a second visit: memos and caches settle
                    visit_page(site, path)
                for path in site.page_paths():
                    visits.setdefault(path, []).extend(visit_ms(site, path) for _ in range(5))
                peak, rss = _peak_and_rss_mib(pid)
                peaks.append(peak)
                settled.append(rss)
                if round_no == 0:
                    pages = visited
    for page in pages:
        page["visit_ms"] = Stats.of(visits[page["path"]]).as_dict()
    result = {
        "pages": pages,
        "memory": {
            "floor_imports_peak_mib": Stats.of(floors).as_dict(),
            "server_peak_mib": Stats.of(peaks).as_dict(),
            "server_rss_after_mib": Stats.of(settled).as_dict(),
        },
    }
    write_result("pages", result)
    return result


def table(result: dict) -> str:
    rows = [
        [
            f"`{p['path']}`",
            f"{p['layout_bytes']:,}",
            p["callbacks"],
            f"{p['callback_bytes']:,}",
            p["figures"],
            p["traces"],
            f"{p['points']:,}",
            f"{p['figure_bytes']:,}",
            f"{p['figure_gzip_bytes']:,}",
            f"{p['total_bytes']:,}",
            Stats(**p["visit_ms"]).short(0),
        ]
        for p in result["pages"]
    ]
    pages = markdown_table(
        [
            "page",
            "layout B",
            "callbacks on load",
            "callback B",
            "figures",
            "traces",
            "points",
            "figure JSON B",
            "figure gzip B",
            "total B",
            "server ms per visit",
        ],
        rows,
    )
    memory = result["memory"]
    rows = [
        [
            "floor: python importing dash, plotly, pandas, dbc (peak)",
            memory["floor_imports_peak_mib"],
        ],
        ["one gunicorn worker after visiting every page twice (peak)", memory["server_peak_mib"]],
        ["the same worker, RSS at the end", memory["server_rss_after_mib"]],
    ]
    mem = markdown_table(
        ["memory", "median MiB (min–max)", "n"],
        [[name, Stats(**s).short(0), s["n"]] for name, s in rows],
    )
    return pages + "\n\n" + mem


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    print(table(run(parser.parse_args().rounds)))
