"""Load across hosts: two app processes sharing one Redis, with a Celery worker for exports.

Starts its own redis-server (free 127.0.0.1 port, no persistence, a temp folder), two gunicorn
processes (2 workers × 4 threads each, different ports, each with its own cache folder: two
"hosts") with `DASHBOARD_REDIS_URL` set, and one `celery -A app:celery_app worker --pool
threads --concurrency 1`. The users of `bench.load.run_load` (same pages, weights, think
times and control changes) are spread over both hosts; after an Overview visit, a share of
them also exports the chart as PNG the way the browser does it (the background callback's
start request, then a poll a second until the file arrives) and the end-to-end export time is
recorded separately. Everything is bounded and every process is stopped at the end.

    python -m bench.load.run_load_hosts [--users 100] [--seconds 60] [--export-share 0.15]
                                        [--response-cache 30]

Targets: 0 errors, p95 < 500 ms per request. Writes bench/results/load_hosts.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import redis

from bench.common import (
    PACED,
    PROJECT_ROOT,
    ServerProcess,
    Stats,
    app_env,
    free_port,
    markdown_table,
    write_result,
)
from bench.dashproto import DashSite
from bench.load.run_load import (
    KEEPALIVE_CLIENT_S,
    KEEPALIVE_SERVER_S,
    PAGE_WEIGHTS,
    REQUEST_TIMEOUT,
    Sample,
    client_address,
    plan,
    summarize,
    table,
    vary,
)

EXPORT_TIMEOUT = 60.0  # seconds an export may take end to end before it counts as failed
END_ID = re.compile(r'"end_id":\s*"([^"]+)"')


FAILURES: dict[str, int] = {}  # why requests or exports failed, for the result file


async def _request(session, samples, kind, method, url, body=None) -> None:
    """`run_load._request`, also counting why a request failed."""
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
        status = -1
        FAILURES["timeout"] = FAILURES.get("timeout", 0) + 1
    except aiohttp.ClientError as exc:
        status = -2
        FAILURES[type(exc).__name__] = FAILURES.get(type(exc).__name__, 0) + 1
    samples.append(Sample(kind, status, (time.perf_counter() - start) * 1000, nbytes, start))


def _failed_export(why: str) -> None:
    FAILURES[f"export: {why}"] = FAILURES.get(f"export: {why}", 0) + 1


def start_redis(folder: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    argv = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly"]
    argv += ["no", "--dir", str(folder)]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    client = redis.Redis(port=port, socket_connect_timeout=0.5)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            return proc, f"redis://127.0.0.1:{port}/0"
        except redis.ConnectionError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def start_worker(env: dict[str, str], log_path: Path) -> subprocess.Popen:
    argv = [sys.executable, "-m", "celery", "-A", "app:celery_app", "worker", "--pool"]
    argv += ["threads", "--concurrency", "1", "--loglevel", "INFO", "--without-gossip"]
    argv += ["--without-mingle"]
    log = open(log_path, "wb")  # noqa: SIM115 - the worker writes to it until stopped
    proc = subprocess.Popen(
        argv, cwd=PROJECT_ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 120
    while "ready." not in log_path.read_text(errors="replace"):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"celery worker did not start; see {log_path}")
        time.sleep(0.2)
    return proc


def export_body(site: DashSite, plans) -> dict:
    """The request the browser posts when the PNG item of the Export menu is clicked."""
    view = plans["/"].view
    for call in site.calls_for(view.components):
        if "overview-download.data" in call.label:
            payload = json.loads(json.dumps(call.payload))
            for entry in payload["inputs"]:
                if isinstance(entry, dict) and entry["id"] == "overview-export-png":
                    entry["value"] = 1
            payload["changedPropIds"] = ["overview-export-png.n_clicks"]
            return payload
    raise LookupError("no export callback on the Overview page")


async def export(session, base, body, samples, exports) -> None:
    """One PNG export as the renderer does it: start, then poll every second until done."""
    started = time.perf_counter()
    async with session.get(base + "/") as response:
        match = END_ID.search(await response.text())
    end_id = match.group(1) if match else ""
    update = f"{base}/_dash-update-component?endId={end_id}"
    handles: dict = {}
    for _attempt in range(int(EXPORT_TIMEOUT) + 1):
        url = update
        payload = body
        if handles:
            url += f"&cacheKey={handles['cacheKey']}&job={handles['job']}"
            payload = json.loads(json.dumps(body))
            for entry in payload["inputs"] + payload.get("state", []):
                entry["value"] = None
        t0 = time.perf_counter()
        status, answer = 0, {}
        try:
            async with session.post(
                url, data=json.dumps(payload), headers={"Content-Type": "application/json"}
            ) as response:
                status = response.status
                text = await response.text()
                answer = json.loads(text) if status == 200 and text else {}
        except (TimeoutError, aiohttp.ClientError) as exc:
            status = -1
            _failed_export(type(exc).__name__)
        kind = "export poll" if handles else "export start"
        samples.append(Sample(kind, status, (time.perf_counter() - t0) * 1000, 0, t0))
        if status != 200:
            _failed_export(f"HTTP {status}")
            break
        if not handles:
            handles = {k: answer.get(k) for k in ("cacheKey", "job")}
            if not all(handles.values()):
                _failed_export("no job handles: " + json.dumps(answer)[:200])
                break
        elif "response" in answer:
            data = answer["response"].get("overview-download", {}).get("data")
            ok = isinstance(data, dict) and data.get("filename", "").endswith(".png")
            if not ok:
                _failed_export(json.dumps(answer["response"])[:300])
            exports.append((ok, (time.perf_counter() - started) * 1000))
            return
        await asyncio.sleep(1.0)
    else:
        _failed_export(f"not done within {EXPORT_TIMEOUT:.0f} s")
    exports.append((False, (time.perf_counter() - started) * 1000))


async def user(base, plans, body, deadline, seed, samples, exports, think, share) -> None:
    rng = random.Random(seed)
    paths = [p for p in PAGE_WEIGHTS if p in plans]
    weights = [PAGE_WEIGHTS[p] for p in paths]
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    update = base + "/_dash-update-component"
    connector = aiohttp.TCPConnector(
        limit=6, keepalive_timeout=KEEPALIVE_CLIENT_S, local_addr=client_address(seed)
    )
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        await asyncio.sleep(rng.uniform(0, 2))
        while time.perf_counter() < deadline:
            page = plans[rng.choices(paths, weights)[0]]
            await _request(session, samples, "page HTML", "GET", base + page.path)
            await _request(session, samples, "layout", "GET", base + "/_dash-layout")
            await _request(session, samples, "dependencies", "GET", base + "/_dash-dependencies")
            await _request(session, samples, "page content", "POST", update, page.navigate.body())
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
                payload = json.dumps(vary(call, page.view, rng)).encode()
                await _request(session, samples, f"change {page.path}", "POST", update, payload)
                await asyncio.sleep(rng.uniform(*think))
            if page.path == "/" and rng.random() < share and time.perf_counter() < deadline:
                await export(session, base, body, samples, exports)
                await asyncio.sleep(rng.uniform(*think))


async def drive(bases, plans, body, users, seconds, think, share):
    samples: list[Sample] = []
    exports: list[tuple[bool, float]] = []
    start = time.perf_counter()
    deadline = start + seconds
    tasks = [
        user(bases[i % len(bases)], plans, body, deadline, i, samples, exports, think, share)
        for i in range(users)
    ]
    try:
        await asyncio.wait_for(
            asyncio.gather(*tasks), timeout=seconds + EXPORT_TIMEOUT + REQUEST_TIMEOUT
        )
    except TimeoutError:
        pass
    return samples, exports, time.perf_counter() - start


def run(
    users: int = 100,
    seconds: float = 60,
    think: tuple[float, float] = (1.0, 5.0),
    share: float = 0.15,
    response_cache: float = 0.0,
) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        redis_proc, url = start_redis(tmp_path)
        hosts: list[ServerProcess] = []
        worker = None
        try:
            for name in ("a", "b"):
                env = app_env(
                    tmp_path / name / "cache",
                    **PACED,
                    DASHBOARD_REDIS_URL=url,
                    DASHBOARD_RESPONSE_CACHE_SECONDS=f"{response_cache:g}",
                )
                (tmp_path / name).mkdir()
                extra = ("--backlog", "2048", "--timeout", "60", "--keep-alive")
                hosts.append(
                    ServerProcess.gunicorn(
                        env,
                        tmp_path / name / "gunicorn.log",
                        workers=2,
                        threads=4,
                        extra=(*extra, str(KEEPALIVE_SERVER_S)),
                    )
                )
            worker_env = app_env(tmp_path / "worker", DASHBOARD_REDIS_URL=url)
            worker = start_worker(worker_env, tmp_path / "worker.log")
            for host in hosts:
                host.wait_until()
            site = DashSite(hosts[0].url, timeout=120)
            plans = plan(site)
            body = export_body(site, plans)
            for host in hosts:
                for _ in range(4):  # every worker has loaded the data once
                    for page in plans.values():
                        DashSite(host.url).open_page(page.path)
            samples, exports, elapsed = asyncio.run(
                drive([h.url for h in hosts], plans, body, users, seconds, think, share)
            )
            tails = [h.logs()[-4000:] for h in hosts]
            worker_log = (tmp_path / "worker.log").read_text(errors="replace")
        finally:
            for host in hosts:
                host.stop()
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(20)
                except subprocess.TimeoutExpired:
                    worker.kill()
            redis_proc.terminate()
            redis_proc.wait(10)
    result = summarize(samples, elapsed)
    done = [ms for ok, ms in exports if ok]
    result["exports"] = {
        "started": len(exports),
        "delivered": len(done),
        "failed": len(exports) - len(done),
        "end_to_end_ms": Stats.of(done).as_dict(),
    }
    result["setup"] = {
        "users": users,
        "seconds": seconds,
        "gunicorn": "2 hosts × (--workers 2 --threads 4), 127.0.0.1, one Redis",
        "celery": "1 worker, --pool threads --concurrency 1",
        "think_time_s": list(think),
        "export_share": share,
        "response_cache_s": response_cache,
        "page_weights": PAGE_WEIGHTS,
    }
    result["server_log_tail_has_traceback"] = any("Traceback" in t for t in tails)
    result["worker_log_has_traceback"] = "Traceback" in worker_log
    result["failures"] = dict(FAILURES)
    if "Traceback" in worker_log:
        at = worker_log.index("Traceback")
        result["worker_traceback"] = worker_log[max(0, at - 500) : at + 2500]
    result["targets"]["met"] = result["targets"]["met"] and not result["exports"]["failed"]
    write_result("load_hosts" if not response_cache else "load_hosts_cached", result)
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, nargs=2, default=[1.0, 5.0], metavar=("MIN", "MAX"))
    parser.add_argument("--export-share", type=float, default=0.15)
    parser.add_argument("--response-cache", type=float, default=0.0, metavar="SECONDS")
    args = parser.parse_args()
    result = run(
        args.users, args.seconds, tuple(args.think), args.export_share, args.response_cache
    )
    print(table(result))
    e = result["exports"]
    s = Stats(**e["end_to_end_ms"])
    print(
        markdown_table(
            ["exports started", "delivered", "failed", "p50 ms", "p95 ms", "max ms"],
            [
                [
                    e["started"],
                    e["delivered"],
                    e["failed"],
                    f"{s.median:.0f}",
                    f"{s.p95:.0f}",
                    f"{s.max:.0f}",
                ]
            ],
        )
    )
