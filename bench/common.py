"""Shared pieces of the benchmarks: the app in its own process, timing statistics, and the
JSON + Markdown outputs in `bench/results/` (git-ignored)."""

from __future__ import annotations

import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import requests

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = PROJECT_ROOT / "bench" / "results"
SHARED_SERIES = Path(
    os.environ.get("DASHBOARD_DATA_DIR") or PROJECT_ROOT.parent / "shared" / "data" / "series"
).resolve()


@dataclass(frozen=True)
class Stats:
    """Summary of repeated measurements (milliseconds, bytes or MiB, as the caller says)."""

    n: int
    median: float
    min: float
    max: float
    p95: float
    p99: float

    @classmethod
    def of(cls, values: list[float]) -> Stats:
        ordered = sorted(values)
        if not ordered:
            return cls(0, float("nan"), float("nan"), float("nan"), float("nan"), float("nan"))

        def pct(q: float) -> float:
            # Nearest-rank percentile: an observed value, never an interpolation.
            rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 1))))
            return ordered[rank - 1]

        return cls(
            len(ordered), statistics.median(ordered), ordered[0], ordered[-1], pct(0.95), pct(0.99)
        )

    def short(self, digits: int = 1) -> str:
        """`median (min–max)` for tables."""
        return f"{self.median:.{digits}f} ({self.min:.{digits}f}–{self.max:.{digits}f})"

    def as_dict(self) -> dict:
        return asdict(self)


PACED = {"DASHBOARD_CLIENT_CALLBACKS_PER_SECOND": ""}  # empty: the production default


def app_env(cache_dir: Path, **extra: str) -> dict[str, str]:
    """The environment every benchmark runs the app with: the full data folder, offline."""
    env = {
        "DASHBOARD_DATA_DIR": str(SHARED_SERIES),
        "DASHBOARD_OFFLINE": "1",
        "DASHBOARD_CACHE_DIR": str(cache_dir),
        "DASH_DEBUG": "",
        # One client timing the server's own work, not the per-address pacing; the load runs,
        # whose users each have an address, turn it back on (see PACED).
        "DASHBOARD_CLIENT_CALLBACKS_PER_SECOND": "0",
    }
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """The app in its own process (`python app.py` or gunicorn), output kept in a log file."""

    def __init__(self, argv: list[str], env: dict[str, str], log_path: Path, port: int):
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        self.started = time.perf_counter()
        self._log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        full_env = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            argv, cwd=PROJECT_ROOT, env=full_env, stdout=self._log, stderr=subprocess.STDOUT
        )

    @classmethod
    def app_py(cls, env: dict[str, str], log_path: Path) -> ServerProcess:
        port = free_port()
        return cls([sys.executable, "app.py"], {**env, "PORT": str(port)}, log_path, port)

    @classmethod
    def gunicorn(
        cls,
        env: dict[str, str],
        log_path: Path,
        workers: int = 1,
        threads: int = 1,
        extra: tuple[str, ...] = (),
    ) -> ServerProcess:
        port = free_port()
        argv = [sys.executable, "-m", "gunicorn", "--workers", str(workers)]
        argv += ["--threads", str(threads), "--bind", f"127.0.0.1:{port}", *extra, "app:server"]
        return cls(argv, env, log_path, port)

    def wait_until(self, path: str = "/_dash-layout", timeout: float = 120.0) -> float:
        """Poll `path` until HTTP 200; returns seconds since the process was started."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited ({self.proc.returncode}); see {self.log_path}")
            try:
                if requests.get(self.url + path, timeout=10).status_code == 200:
                    return time.perf_counter() - self.started
            except requests.RequestException:
                pass
            time.sleep(0.01)
        raise TimeoutError(f"{self.url}{path} not serving after {timeout}s")

    def logs(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if not self._log.closed:
            self._log.close()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def machine() -> dict:
    """What the numbers were measured on."""
    import dash
    import pandas
    import plotly

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "dash": dash.__version__,
        "plotly": plotly.__version__,
        "pandas": pandas.__version__,
        "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }


def write_result(name: str, data: dict) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, default=str))
    return path


def markdown_table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
