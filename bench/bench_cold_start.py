"""Cold start: `python app.py` started → first HTTP 200 on `/`, on `/_dash-layout`, and the
Overview's first chart answered, with the full data folder offline. Floor: the bare imports
`python -c "import dash, plotly, pandas, dash_bootstrap_components"` timed the same way.

    python -m bench.bench_cold_start [--runs 5]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import PROJECT_ROOT, ServerProcess, Stats, app_env, markdown_table, write_result
from bench.dashproto import DashSite

FLOOR_IMPORTS = "import dash, plotly, pandas, dash_bootstrap_components"
# Timed until the child says it is done importing (like the app's first answer), so neither
# side pays for interpreter teardown.
FLOOR_CMD = [sys.executable, "-c", FLOOR_IMPORTS + "; print('ready', flush=True)"]


def first_chart_seconds(server: ServerProcess) -> float:
    """Seconds from process start until the Overview page and its chart callback answer."""
    site = DashSite(server.url, timeout=120)
    view = site.open_page("/")
    for call in view.calls:
        if ".figure" in call.label:
            site.post(call).raise_for_status()
            break
    return time.perf_counter() - server.started


def _floor_ms() -> float:
    start = time.perf_counter()
    with subprocess.Popen(FLOOR_CMD, cwd=PROJECT_ROOT, stdout=subprocess.PIPE) as child:
        assert child.stdout is not None and child.stdout.readline().strip() == b"ready"
        elapsed = time.perf_counter() - start
    return elapsed * 1000


def _app_ms() -> tuple[float, float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        server = ServerProcess.app_py(app_env(Path(tmp) / "cache"), Path(tmp) / "app.log")
        with server:
            index = server.wait_until("/") * 1000
            layout = server.wait_until("/_dash-layout") * 1000
            return index, layout, first_chart_seconds(server) * 1000


def run(runs: int = 5) -> dict:
    # One unmeasured round warms the OS file cache and the .pyc files for both; then floor
    # and app alternate, so background load on the machine hits both alike.
    _floor_ms()
    _app_ms()
    floor, index, layout, chart = [], [], [], []
    for _ in range(runs):
        floor.append(_floor_ms())
        i, lay, c = _app_ms()
        index.append(i)
        layout.append(lay)
        chart.append(c)
    result = {
        "what": "process start to first HTTP 200 (ms), python app.py, full data folder, offline",
        "floor_imports_ms": Stats.of(floor).as_dict(),
        "index_ms": Stats.of(index).as_dict(),
        "layout_ms": Stats.of(layout).as_dict(),
        "first_chart_ms": Stats.of(chart).as_dict(),
    }
    write_result("cold_start", result)
    return result


def table(result: dict) -> str:
    rows = [
        ["floor: import dash, plotly, pandas, dbc", result["floor_imports_ms"]],
        ["first 200 on `/`", result["index_ms"]],
        ["first 200 on `/_dash-layout`", result["layout_ms"]],
        ["Overview chart answered", result["first_chart_ms"]],
    ]
    return markdown_table(
        ["cold start", "median ms (min–max)", "n"],
        [[name, Stats(**s).short(0), s["n"]] for name, s in rows],
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    print(table(run(parser.parse_args().runs)))
