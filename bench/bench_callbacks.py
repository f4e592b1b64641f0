"""Overview callback latency through the real endpoint, and how its cost grows.

Latency: the Overview chart callback (default overlays, Max range) posted to
`/_dash-update-component` of a one-worker gunicorn, once per layout mode, ≥ 200 calls each;
floor: `plotly.io.to_json` of the very figure it returned, and a bare HTTP round trip.
Growth: the same callback with 1, 4, 8 and 16 overlays (the page caps at its maximum and
says so) and with ranges 1Y → Max; plus the figure pipeline in-process (data → view →
figure → JSON) with the cap lifted, to see the cost of 16 overlays itself.

    python -m bench.bench_callbacks [--calls 200] [--growth-calls 40]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import tempfile
import time
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import requests

from bench.common import (
    SHARED_SERIES,
    ServerProcess,
    Stats,
    app_env,
    markdown_table,
    write_result,
)
from bench.dashproto import Call, DashSite, PageView, count_points, find_figures

# Component ids of the Overview page (dashboard/pages/overview/ids.py); read from the layout, so
# a renamed id fails here loudly instead of measuring the wrong thing.
GRAPH_FIGURE = "overview-graph.figure"
OVERLAYS = "overview-overlays.value"
ADD_SERIES = "overview-add-series"
RANGE = "overview-range.value"
MODE = "overview-mode.value"
OVERLAY_STEPS = (1, 4, 8, 16)


def chart_call(view: PageView) -> Call:
    for call in view.calls:
        if GRAPH_FIGURE in call.label:
            return call
    raise LookupError(f"no callback outputs {GRAPH_FIGURE}: has the Overview changed?")


def options(view: PageView, component_id: str) -> list:
    props = view.components[component_id]
    return [o["value"] if isinstance(o, dict) else o for o in props.get("options", [])]


def with_values(call: Call, **values) -> Call:
    """A copy of `call` with some input values replaced (keys: "id.prop")."""
    payload = json.loads(json.dumps(call.payload))
    for entry in payload["inputs"] + payload.get("state", []):
        if isinstance(entry, dict):
            key = f"{entry['id']}.{entry['property']}"
            if key in values:
                entry["value"] = values[key]
    label = ", ".join(f"{k.split('.')[0].removeprefix('overview-')}={v}" for k, v in values.items())
    return Call(label, payload, call.dependency)


def time_calls(site: DashSite, call: Call, n: int) -> tuple[list[float], requests.Response]:
    """Post `call` n times (after one warm-up); wall-clock ms per call, and the last answer."""
    body = call.body()
    headers = {"Content-Type": "application/json"}
    url = site.base + "/_dash-update-component"
    last = site.http.post(url, data=body, headers=headers, timeout=120)
    last.raise_for_status()
    times = []
    for _ in range(n):
        start = time.perf_counter()
        last = site.http.post(url, data=body, headers=headers, timeout=120)
        times.append((time.perf_counter() - start) * 1000)
        last.raise_for_status()
    return times, last


def figure_of(response: requests.Response) -> dict:
    figures = list(find_figures(response.json()))
    if not figures:
        raise LookupError("the chart callback returned no figure")
    return figures[0]


def to_json_floor(figure: dict, n: int) -> list[float]:
    """ms to serialise the same figure with plotly.io.to_json (the Figure built beforehand)."""
    fig = go.Figure(figure)
    pio.to_json(fig)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        pio.to_json(fig)
        times.append((time.perf_counter() - start) * 1000)
    return times


def http_floor(site: DashSite, n: int) -> list[float]:
    """ms for the smallest answer the app gives (an unknown API path → 404 JSON)."""
    times = []
    for _ in range(n):
        start = time.perf_counter()
        site.http.get(site.base + "/api/none", timeout=30)
        times.append((time.perf_counter() - start) * 1000)
    return times


def describe(response: requests.Response) -> dict:
    figure = figure_of(response)
    return {
        "response_bytes": len(response.content),
        "figure_bytes": len(json.dumps(figure, separators=(",", ":"))),
        "traces": len(figure.get("data", [])),
        "points": count_points(figure),
    }


def catalog_overlays(view: PageView) -> list[str]:
    """Overlay candidates in the order the page offers them: its checklist, then the picker."""
    from dashboard.catalog import is_known

    pool = options(view, "overview-overlays") + options(view, ADD_SERIES)
    return [
        sid
        for sid in dict.fromkeys(pool)
        if isinstance(sid, str) and sid != "WALCL" and is_known(sid)  # not group headers
    ]


def in_process_pipeline(overlay_ids: list[str], n: int, cache_dir: Path) -> dict:
    """The figure pipeline without HTTP or the page's overlay cap, Max range, axes mode."""
    from dashboard.analytics.overview import OverviewState
    from dashboard.config import Settings
    from dashboard.data import DataStore
    from dashboard.episodes import load_episodes
    from dashboard.figures.overview import overview_figure
    from dashboard.views import load_view

    settings = Settings(data_dir=SHARED_SERIES, cache_dir=cache_dir, offline=True)
    store = DataStore(settings)
    state = dataclasses.replace(OverviewState(), overlays=tuple(overlay_ids), range="MAX")
    episodes = list(load_episodes())
    times, size = [], 0
    for i in range(n + 1):
        start = time.perf_counter()
        view, _ = load_view(state, store=store, episodes=episodes)
        fig = overview_figure(view, "light")
        text = pio.to_json(fig)
        if i:  # the first run loads the series into the store's memo
            times.append((time.perf_counter() - start) * 1000)
        size = len(text)
    return {"ms": Stats.of(times).as_dict(), "figure_bytes": size, "overlays": len(overlay_ids)}


def run(calls: int = 200, growth_calls: int = 40) -> dict:
    result: dict = {"latency": {}, "growth_overlays": [], "growth_range": [], "pipeline": []}
    with tempfile.TemporaryDirectory() as tmp:
        env = app_env(Path(tmp) / "cache")
        with ServerProcess.gunicorn(env, Path(tmp) / "gunicorn.log") as server:
            server.wait_until()
            site = DashSite(server.url, timeout=120)
            view = site.open_page("/")
            base = chart_call(view)
            modes = options(view, "overview-mode")
            ranges = options(view, "overview-range")
            max_range = next(r for r in ranges if str(r).lower() == "max")
            result["http_floor_ms"] = Stats.of(http_floor(site, calls)).as_dict()
            for mode in modes:
                call = with_values(base, **{RANGE: max_range, MODE: mode})
                times, last = time_calls(site, call, calls)
                figure = figure_of(last)
                result["latency"][mode] = {
                    "ms": Stats.of(times).as_dict(),
                    "to_json_floor_ms": Stats.of(to_json_floor(figure, calls)).as_dict(),
                    **describe(last),
                }
            pool = catalog_overlays(view)
            for count in OVERLAY_STEPS:
                call = with_values(base, **{RANGE: max_range, OVERLAYS: pool[:count]})
                times, last = time_calls(site, call, growth_calls)
                result["growth_overlays"].append(
                    {"requested": count, "ms": Stats.of(times).as_dict(), **describe(last)}
                )
            for range_ in [r for r in ranges if r != "EPISODE"]:
                call = with_values(base, **{RANGE: range_})
                times, last = time_calls(site, call, growth_calls)
                result["growth_range"].append(
                    {"range": range_, "ms": Stats.of(times).as_dict(), **describe(last)}
                )
    with tempfile.TemporaryDirectory() as tmp:
        for count in OVERLAY_STEPS:
            result["pipeline"].append(
                in_process_pipeline(pool[:count], max(5, growth_calls // 4), Path(tmp))
            )
    write_result("callbacks", result)
    return result


def table(result: dict) -> str:
    out = []
    rows = []
    floor = Stats(**result["http_floor_ms"])
    for mode, r in result["latency"].items():
        ms, fl = Stats(**r["ms"]), Stats(**r["to_json_floor_ms"])
        rows.append(
            [
                f"Overview chart, Max, {mode}",
                f"{ms.median:.1f}",
                f"{ms.p95:.1f}",
                f"{ms.min:.1f}–{ms.max:.1f}",
                ms.n,
                f"{fl.median:.1f} ({fl.min:.1f}–{fl.max:.1f})",
                f"{floor.median:.1f}",
                f"{r['response_bytes']:,}",
                r["traces"],
                f"{r['points']:,}",
            ]
        )
    out.append(
        markdown_table(
            [
                "callback",
                "median ms",
                "p95 ms",
                "min–max",
                "n",
                "floor: to_json ms",
                "floor: HTTP 404 ms",
                "bytes",
                "traces",
                "points",
            ],
            rows,
        )
    )
    rows = []
    for r in result["growth_overlays"]:
        ms = Stats(**r["ms"])
        rows.append(
            [
                f"{r['requested']} overlays, Max",
                f"{ms.median:.1f}",
                f"{ms.p95:.1f}",
                f"{r['response_bytes']:,}",
                r["traces"],
                f"{r['points']:,}",
            ]
        )
    for r in result["growth_range"]:
        ms = Stats(**r["ms"])
        rows.append(
            [
                f"default overlays, {r['range']}",
                f"{ms.median:.1f}",
                f"{ms.p95:.1f}",
                f"{r['response_bytes']:,}",
                r["traces"],
                f"{r['points']:,}",
            ]
        )
    out.append(
        markdown_table(
            ["cost growth (HTTP)", "median ms", "p95 ms", "bytes", "traces", "points"], rows
        )
    )
    rows = [
        [
            f"{r['overlays']} overlays",
            Stats(**r["ms"]).short(1),
            f"{r['figure_bytes']:,}",
        ]
        for r in result["pipeline"]
    ]
    out.append(
        markdown_table(
            ["pipeline in-process, no cap (Max, axes)", "median ms (min–max)", "figure JSON bytes"],
            rows,
        )
    )
    out.append(growth_verdict(result))
    return "\n\n".join(out)


def growth_verdict(result: dict) -> str:
    """Whether cost grew no faster than the work: ×n overlays must cost at most ×n."""
    lines = []
    pipeline = result["pipeline"]
    if len(pipeline) >= 2:
        first, last = pipeline[0], pipeline[-1]
        factor = last["overlays"] / first["overlays"]
        t = Stats(**last["ms"]).median / Stats(**first["ms"]).median
        b = last["figure_bytes"] / first["figure_bytes"]
        lines.append(
            f"Overlays ×{factor:g} ({first['overlays']} → {last['overlays']}, in-process): "
            f"time ×{t:.1f}, bytes ×{b:.1f} — "
            + ("no worse than linear." if t <= factor and b <= factor else "WORSE than linear.")
        )
    ranges = result["growth_range"]
    if len(ranges) >= 2:
        first, last = ranges[0], ranges[-1]
        t = Stats(**last["ms"]).median / Stats(**first["ms"]).median
        b = last["response_bytes"] / first["response_bytes"]
        p = last["points"] / max(first["points"], 1)
        lines.append(
            f"Range {first['range']} → {last['range']}: points ×{p:.1f}, time ×{t:.1f}, "
            f"bytes ×{b:.1f} — "
            + ("no worse than linear in the points drawn." if t <= p and b <= p else "WORSE.")
        )
    return "\n".join(f"- {line}" for line in lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--growth-calls", type=int, default=40)
    args = parser.parse_args()
    print(table(run(args.calls, args.growth_calls)))
