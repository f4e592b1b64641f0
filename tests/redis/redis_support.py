"""A real Debian redis-server for the tests, on a free 127.0.0.1 port, with no persistence,
started and stopped by the tests themselves (and restartable on the same port)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import redis

from bench.common import PROJECT_ROOT, free_port

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
# Same place tests/conftest.py looks (conftest modules cannot be imported by name).
SHARED_SERIES = Path(
    os.environ.get("DASHBOARD_TEST_SERIES_DIR")
    or PROJECT_ROOT.parent / "shared" / "data" / "series"
).resolve()


class RedisServer:
    def __init__(self, folder: Path, port: int | None = None):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> RedisServer:
        argv = [
            REDIS_SERVER,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self.folder),
            "--protected-mode",
            "yes",
        ]
        log = open(self.folder / "redis.log", "ab")  # noqa: SIM115 - lives as long as the server
        self.proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start; see {self.folder}") from None
                time.sleep(0.05)
        client.close()
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=5)


class CeleryWorker:
    """`celery -A app:celery_app worker` in its own session (so it can be killed with every
    process it started, Chromium included), output kept in a log file."""

    def __init__(self, env: dict[str, str], log_path: Path, concurrency: int = 1):
        import sys

        self.log_path = log_path
        self._log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        argv = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "app:celery_app",
            "worker",
            "--pool",
            "threads",
            "--concurrency",
            str(concurrency),
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--hostname",
            f"test-{free_port()}@%h",
        ]
        self.proc = subprocess.Popen(
            argv,
            cwd=PROJECT_ROOT,
            env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while "ready." not in self.logs():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"celery worker did not start:\n{self.logs()[-3000:]}")
            time.sleep(0.2)

    def logs(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL the worker and everything it started: a host or container lost mid-job."""
        import signal

        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(10)
        if not self._log.closed:
            self._log.close()

    def stop(self) -> None:
        import signal

        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                pass
        self.kill()
