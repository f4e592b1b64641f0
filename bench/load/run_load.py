"""Load run: gunicorn (2 workers, 127.0.0.1 only) driven by 50 simulated users for 60 s.

Each user, in a loop until the time is up: opens a page the way the browser does (the HTML,
`/_dash-layout`, `/_dash-dependencies`, Dash's page callback, then every callback the page
fires on load), thinks 1–5 s (Locust's usual `between(1, 5)`), then on the Overview or Compare page changes a control one to
three times (a random overlay set, range and layout; a random pair and range), thinking in
between. Pages are drawn Overview 40 %, Compare 25 %, Triggers 15 %, Episodes 10 %, Data 10 %.
Static JS bundles are not fetched: they are fingerprinted and cached by the browser for a
year after the first visit. Everything is bounded: a fixed number of users, a deadline, a
30-s timeout per request; the server is stopped at the end.

    python -m bench.load.run_load [--users 50] [--seconds 60] [--workers 2] [--threads 4]
                                  [--think 1 5] [--bad-actors]

Targets: 0 errors and p95 under 500 ms. Writes bench/results/load.json.

With `--bad-actors`, two more clients run beside the users without thinking: one posts
malformed callback requests in turn (a 1 MB body, 2,000-deep JSON, a dict inside a pattern id,
250 forged gauge ids), one asks for server-side PNG exports four at a time. Their requests are
reported apart; the users' figures are what the run is judged on (written to
bench/results/load_bad_actors.json).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from bench.common import PACED, ServerProcess, Stats, app_env, markdown_table, write_result
from bench.dashproto import Call, DashSite, PageView

PAGE_WEIGHTS = {"/": 40, "/compare": 25, "/triggers": 15, "/episodes": 10, "/data": 10}
INTERACTIVE = {"/": "overview-graph.figure", "/compare": "compare-"}
TARGET_P95_MS = 500.0
REQUEST_TIMEOUT = 30.0
KEEPALIVE_SERVER_S = 5
KEEPALIVE_CLIENT_S = 4.0


@dataclass
class Sample:
    kind: str
    status: int
    ms: float
    nbytes: int
    at: float


@dataclass
class PagePlan:
    """What a visit to one page sends, built once from the running app."""

    path: str
    navigate: Call
    on_load: list[Call]
    interactive: list[Call]  # the callbacks a user drives on this page
    view: PageView


def _choices(view: PageView, key: str) -> list:
    """The values a user can pick for `id.prop` (from the component's options), if any."""
    cid = key.rsplit(".", 1)[0]
    props = view.components.get(cid, {})
    values = []
    for option in props.get("options") or []:
        if isinstance(option, dict):
            if not option.get("disabled") and not str(option.get("value", "")).startswith("group:"):
                values.append(option.get("value"))
        else:
            values.append(option)
    return values


def vary(call: Call, view: PageView, rng: random.Random) -> dict:
    """The call's payload with every option-backed input set to a random valid choice."""
    payload = json.loads(json.dumps(call.payload))
    for entry in payload["inputs"]:
        if not isinstance(entry, dict):
            continue
        key = f"{entry['id']}.{entry['property']}"
        choices = _choices(view, key)
        if not choices:
            continue
        if isinstance(entry.get("value"), list):  # a checklist: a random subset
            entry["value"] = rng.sample(choices, rng.randint(1, min(len(choices), 6)))
        else:
            entry["value"] = rng.choice(choices)
    return payload


def plan(site: DashSite) -> dict[str, PagePlan]:
    plans = {}
    for path in site.page_paths():
        view = site.open_page(path)
        marker = INTERACTIVE.get(path)
        interactive = [
            c
            for c in view.calls
            if marker
            and marker in c.label
            and any(_choices(view, f"{e['id']}.{e['property']}") for e in _flat(c))
        ]
        plans[path] = PagePlan(path, site.navigate_call(path), view.calls, interactive, view)
    return plans


def _flat(call: Call) -> list[dict]:
    out = []
    for item in call.payload["inputs"]:
        out.extend(item if isinstance(item, list) else [item])
    return out


async def _request(session, samples, kind, method, url, body=None) -> None:
    start = time.perf_counter()
    status, nbytes = 0, 0
    try:
        if method == "GET":
            async with session.get(url) as response:
                nbytes = len(await response.read())
                status = response.status
        else:
            async with session.post(
                url, data=body, headers={"Content-Type": "application/json"}
            ) as response:
                nbytes = len(await response.read())
                status = response.status
    except TimeoutError:
        status = -1  # no answer within REQUEST_TIMEOUT
    except aiohttp.ClientError:
        status = -2  # the connection failed
    samples.append(Sample(kind, status, (time.perf_counter() - start) * 1000, nbytes, start))


def client_address(n: int) -> tuple[str, int]:
    """Client n's own source address on the loopback network (Linux answers all of
    127.0.0.0/8): the server tells users apart by address, as it would on the internet."""
    return (f"127.0.{1 + n // 250}.{1 + n % 250}", 0)


async def user(base, plans, deadline, seed, samples, think) -> None:
    rng = random.Random(seed)
    paths = [p for p in PAGE_WEIGHTS if p in plans]
    weights = [PAGE_WEIGHTS[p] for p in paths]
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    update = base + "/_dash-update-component"
    # Like a browser, close an idle connection before the server would (gunicorn: 5 s), so a
    # request never races the server's keep-alive close.
    connector = aiohttp.TCPConnector(
        limit=6, keepalive_timeout=KEEPALIVE_CLIENT_S, local_addr=client_address(seed)
    )
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        await asyncio.sleep(rng.uniform(0, 2))  # users arrive over the first two seconds
        while time.perf_counter() < deadline:
            page = plans[rng.choices(paths, weights)[0]]
            await _request(session, samples, "page HTML", "GET", base + page.path)
            await _request(session, samples, "layout", "GET", base + "/_dash-layout")
            await _request(session, samples, "dependencies", "GET", base + "/_dash-dependencies")
            await _request(session, samples, "page content", "POST", update, page.navigate.body())
            # The renderer fires a page's load callbacks together.
            await asyncio.gather(
                *[
                    _request(session, samples, f"load {page.path}", "POST", update, c.body())
                    for c in page.on_load
                ]
            )
            await asyncio.sleep(rng.uniform(*think))
            for _ in range(rng.randint(1, 3) if page.interactive else 0):
                if time.perf_counter() >= deadline:
                    break
                call = rng.choice(page.interactive)
                body = json.dumps(vary(call, page.view, rng)).encode()
                await _request(session, samples, f"change {page.path}", "POST", update, body)
                await asyncio.sleep(rng.uniform(*think))


async def drive(
    base: str, plans: dict[str, PagePlan], users: int, seconds: float, think, hostile=None
):
    samples: list[Sample] = []
    start = time.perf_counter()
    deadline = start + seconds
    tasks = [user(base, plans, deadline, seed, samples, think) for seed in range(users)]
    if hostile is not None:
        malformed, export, hostile_samples = hostile
        tasks.append(bad_actor(base, malformed, deadline, hostile_samples, "malformed posts",
                               client_address(users)))
        tasks.append(bad_actor(base, [export], deadline, hostile_samples, "PNG exports",
                               client_address(users + 1), 4))
    # Hard stop: the deadline plus one request timeout, whatever happens.
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=seconds + REQUEST_TIMEOUT + 5)
    except TimeoutError:
        pass
    return samples, time.perf_counter() - start


def hostile_bodies(site: DashSite, plans: dict[str, PagePlan]) -> tuple[list[bytes], bytes]:
    """(malformed callback bodies, one PNG export body), built from the running app."""
    gauge = next(c for c in plans["/triggers"].on_load if "triggers-gauge" in c.label)
    base = gauge.payload
    deep = json.dumps(base).replace('"value": "light"', '"value": ' + "[" * 2000 + "]" * 2000)
    forged_dict = json.loads(json.dumps(base))
    bad = {"type": "triggers-gauge", "trigger": {"$ne": 1}}
    forged_dict["state"][0][0] = {"id": bad, "property": "id", "value": bad}
    many = json.loads(json.dumps(base))
    real = many["state"][0][0]["id"]
    many["state"][0] = [{"id": real, "property": "id", "value": real}] * 250
    many["outputs"] = [{"id": real, "property": "figure"}] * 250
    big = json.loads(json.dumps(base))
    big["state"][1]["value"] = "x" * 2**20
    bodies = [json.dumps(b).encode() for b in (big, forged_dict, many)] + [deep.encode()]
    home = plans["/"].view
    export = next(
        c for c in site.calls_for({**site.shell_components, **home.components})
        if "overview-download" in c.label
    )
    payload = json.loads(json.dumps(export.payload))
    payload["inputs"][0]["value"] = 1
    payload["changedPropIds"] = ["overview-export-png.n_clicks"]
    return bodies, json.dumps(payload).encode()


async def bad_actor(base, bodies, deadline, samples, kind, address, at_once=1) -> None:
    """Post `bodies` round-robin, `at_once` at a time, without pause, until the deadline,
    from `address`, ignoring 429s and Retry-After."""
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    update = base + "/_dash-update-component"
    connector = aiohttp.TCPConnector(
        limit=at_once, keepalive_timeout=KEEPALIVE_CLIENT_S, local_addr=address
    )
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        turn = 0
        while time.perf_counter() < deadline:
            batch = [bodies[(turn + i) % len(bodies)] for i in range(at_once)]
            turn += at_once
            await asyncio.gather(
                *[_request(session, samples, kind, "POST", update, body) for body in batch]
            )


def summarize(samples: list[Sample], elapsed: float) -> dict:
    ok = [s for s in samples if 200 <= s.status < 400]
    errors = [s for s in samples if not 200 <= s.status < 400]
    by_kind = defaultdict(list)
    for s in samples:
        by_kind[s.kind].append(s)
    overall = Stats.of([s.ms for s in samples])
    return {
        "requests": len(samples),
        "elapsed_s": round(elapsed, 1),
        "requests_per_s": round(len(samples) / elapsed, 1),
        "errors": len(errors),
        "error_statuses": sorted({s.status for s in errors}),
        "latency_ms": overall.as_dict(),
        "bytes_per_s": round(sum(s.nbytes for s in ok) / elapsed),
        "by_kind": {
            kind: {
                "requests": len(group),
                "errors": sum(1 for s in group if not 200 <= s.status < 400),
                "latency_ms": Stats.of([s.ms for s in group]).as_dict(),
            }
            for kind, group in sorted(by_kind.items())
        },
        "targets": {
            "errors": 0,
            "p95_ms_below": TARGET_P95_MS,
            "met": not errors and overall.p95 < TARGET_P95_MS,
        },
    }


def run(
    users: int = 50,
    seconds: float = 60,
    workers: int = 2,
    threads: int = 4,
    think: tuple[float, float] = (1.0, 5.0),
    response_cache: float = 0.0,
    bad_actors: bool = False,
) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        env = app_env(
            Path(tmp) / "cache", **PACED, DASHBOARD_RESPONSE_CACHE_SECONDS=f"{response_cache:g}"
        )
        extra = ("--backlog", "2048", "--timeout", "60", "--keep-alive", str(KEEPALIVE_SERVER_S))
        with ServerProcess.gunicorn(
            env, Path(tmp) / "gunicorn.log", workers=workers, threads=threads, extra=extra
        ) as server:
            server.wait_until()
            site = DashSite(server.url, timeout=120)
            plans = plan(site)
            for _ in range(workers * 2):  # every worker has loaded the data once
                for page in plans.values():
                    DashSite(server.url).open_page(page.path)
            hostile_samples: list[Sample] = []
            hostile = (*hostile_bodies(site, plans), hostile_samples) if bad_actors else None
            samples, elapsed = asyncio.run(
                drive(server.url, plans, users, seconds, think, hostile)
            )
            tail = server.logs()[-4000:]
    result = summarize(samples, elapsed)
    if bad_actors:
        result["bad_actors"] = {
            kind: {
                "requests": len(group),
                "statuses": {
                    str(code): sum(1 for s in group if s.status == code)
                    for code in sorted({s.status for s in group})
                },
                "latency_ms": Stats.of([s.ms for s in group]).as_dict(),
                # an exported PNG comes back as 100+ KB of base64; "busy" is a short line
                "answers_over_10kb": sum(1 for s in group if s.nbytes > 10_000),
            }
            for kind in ("malformed posts", "PNG exports")
            for group in [[s for s in hostile_samples if s.kind == kind]]
        }
    result["setup"] = {
        "users": users,
        "seconds": seconds,
        "gunicorn": f"--workers {workers} --threads {threads}, 127.0.0.1",
        "think_time_s": list(think),
        "response_cache_s": response_cache,
        "page_weights": PAGE_WEIGHTS,
    }
    result["setup"]["bad_actors"] = bad_actors
    result["server_log_tail_has_traceback"] = "Traceback" in tail
    name = "load" if not response_cache else "load_cached"
    write_result(name + ("_bad_actors" if bad_actors else ""), result)
    return result


def table(result: dict) -> str:
    overall = Stats(**result["latency_ms"])
    think = result["setup"]["think_time_s"]
    head = (
        f"{result['setup']['users']} users thinking {think[0]:g}–{think[1]:g} s, "
        f"{result['elapsed_s']} s, gunicorn "
        f"{result['setup']['gunicorn']}, response cache "
        f"{result['setup']['response_cache_s']:g} s: {result['requests']:,} requests, "
        f"{result['requests_per_s']} req/s, {result['errors']} errors; latency p50 "
        f"{overall.median:.0f} ms, p95 {overall.p95:.0f} ms, p99 {overall.p99:.0f} ms, max "
        f"{overall.max:.0f} ms. Targets (0 errors, p95 < {TARGET_P95_MS:.0f} ms): "
        f"{'met' if result['targets']['met'] else 'NOT met'}."
    )
    rows = []
    for kind, k in result["by_kind"].items():
        s = Stats(**k["latency_ms"])
        rows.append(
            [kind, k["requests"], k["errors"], f"{s.median:.0f}", f"{s.p95:.0f}", f"{s.p99:.0f}"]
        )
    for kind, k in result.get("bad_actors", {}).items():
        s = Stats(**k["latency_ms"])
        codes = ", ".join(f"{c}×{n}" for c, n in k["statuses"].items())
        codes += f"; {k['answers_over_10kb']} over 10 KB"
        rows.append([f"bad actor: {kind} ({codes})", k["requests"], "-", f"{s.median:.0f}",
                     f"{s.p95:.0f}", f"{s.p99:.0f}"])
    return (
        head
        + "\n\n"
        + markdown_table(["request", "n", "errors", "p50 ms", "p95 ms", "p99 ms"], rows)
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--think", type=float, nargs=2, default=[1.0, 5.0], metavar=("MIN", "MAX"))
    parser.add_argument(
        "--response-cache",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="DASHBOARD_RESPONSE_CACHE_SECONDS for the server (0 = off)",
    )
    parser.add_argument(
        "--bad-actors",
        action="store_true",
        help="add a malformed-post client and a PNG-export client beside the users",
    )
    args = parser.parse_args()
    result = run(
        args.users,
        args.seconds,
        args.workers,
        args.threads,
        tuple(args.think),
        args.response_cache,
        args.bad_actors,
    )
    print(table(result))
