"""Time to first rendered chart in headless Chromium: navigation start → the first Plotly
chart drawn with data (a `.main-svg` whose graph holds at least one trace with points).

Each run opens a fresh browser context (empty cache, as a first visit). Floor, same run: a
page holding only Plotly.js (served by the app itself) drawing a one-trace chart, so the
gap is what Dash, our layout and our callbacks add.

    python -m bench.bench_browser [--runs 5] [--pages / /triggers /compare]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import requests

from bench.common import ServerProcess, Stats, app_env, markdown_table, write_result

CHROMIUM = os.environ.get("DASHBOARD_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-component-update"]
DEFAULT_PAGES = ("/", "/triggers", "/compare")

# True once any Plotly graph on the page has drawn a trace with data; returns performance.now()
# (ms since navigation start) at that animation frame.
FIRST_CHART_JS = """() => {
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    if (!gd.querySelector('.main-svg') || !gd._fullData) continue;
    const drawn = gd._fullData.some(t => t.visible !== false &&
        ['x', 'y', 'values', 'value', 'z'].some(k => t[k] !== undefined &&
            (typeof t[k] === 'number' || (t[k] && t[k].length > 0))));
    if (drawn) return performance.now();
  }
  return false;
}"""


def floor_html(plotly_src: str) -> str:
    return f"""<!doctype html><html><head><script src="{plotly_src}"></script></head>
<body><div id="g"></div><script>
Plotly.newPlot('g', [{{x: [1, 2, 3], y: [2, 1, 3], type: 'scatter'}}]);
</script></body></html>"""


def measure(page, url: str, timeout_ms: float = 60000) -> float:
    page.goto(url, wait_until="commit")
    handle = page.wait_for_function(FIRST_CHART_JS, polling="raf", timeout=timeout_ms)
    return float(handle.json_value())


def run(runs: int = 5, pages: tuple[str, ...] = DEFAULT_PAGES) -> dict:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        return {"skipped": f"no Chromium at {CHROMIUM}"}
    results: dict[str, list[float]] = {p: [] for p in pages}
    floor: list[float] = []
    errors: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        env = app_env(Path(tmp) / "cache")
        with ServerProcess.gunicorn(env, Path(tmp) / "gunicorn.log", threads=4) as server:
            server.wait_until()
            # Dash loads Plotly.js itself ("eager" async) from the plotly package.
            plotly_src = "/_dash-component-suites/plotly/package_data/plotly.min.js"
            requests.get(server.url + plotly_src, timeout=60).raise_for_status()
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                floor_url = server.url + "/bench-floor"
                for run_no in range(runs + 1):  # run 0 warms the server's memo, not counted
                    for path in pages:
                        context = browser.new_context(viewport={"width": 1400, "height": 1000})
                        tab = context.new_page()
                        tab.on("pageerror", lambda e: errors.append(str(e)))
                        value = measure(tab, server.url + path)
                        if run_no:
                            results[path].append(value)
                        context.close()
                    context = browser.new_context()
                    tab = context.new_page()
                    tab.route(
                        floor_url,
                        lambda route: route.fulfill(
                            status=200, content_type="text/html", body=floor_html(plotly_src)
                        ),
                    )
                    value = measure(tab, floor_url)
                    if run_no:
                        floor.append(value)
                    context.close()
                browser.close()
    result = {
        "what": "navigation start to first chart drawn with data (ms), fresh context each run",
        "floor_plotly_only_ms": Stats.of(floor).as_dict(),
        "pages_ms": {p: Stats.of(v).as_dict() for p, v in results.items()},
        "page_errors": errors,
    }
    write_result("browser", result)
    return result


def table(result: dict) -> str:
    if "skipped" in result:
        return f"browser benchmark skipped: {result['skipped']}"
    rows = [["floor: Plotly.js alone, one trace", result["floor_plotly_only_ms"]]]
    rows += [[f"`{path}`", s] for path, s in result["pages_ms"].items()]
    return markdown_table(
        ["first chart drawn", "median ms (min–max)", "p95 ms", "n"],
        [[name, Stats(**s).short(0), f"{s['p95']:.0f}", s["n"]] for name, s in rows],
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", nargs="*", default=list(DEFAULT_PAGES))
    args = parser.parse_args()
    print(table(run(args.runs, tuple(args.pages))))
