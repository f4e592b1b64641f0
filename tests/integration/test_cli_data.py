"""`python -m dashboard refresh` and `python -m dashboard data`, run as a user would.

Each test runs the real command in a subprocess, with the environment pointing at the fake
FRED server, a private cache and (where said) the shared data folder.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from datetime import UTC, date, datetime

import pytest

from dashboard.catalog import SERIES
from dashboard.config import PROJECT_ROOT
from tests.conftest import REAL_SERIES, SHARED_SERIES, requires_shared
from tests.fakefred import FakeFred, read_rows

KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"


def run_cli(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DASHBOARD_", "FRED_")) and k != "PYTHONWARNINGS"
    }
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=PROJECT_ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def last_row(series_id: str) -> tuple[str, int]:
    """(last date, number of rows with a value) of a shared file, read with the csv module."""
    with open(SHARED_SERIES / f"{series_id}.csv", newline="") as handle:
        rows = [r for r in list(csv.reader(handle))[1:] if r and r[1] not in ("", ".")]
    return rows[-1][0], len(rows)


def table_rows(stdout: str) -> dict[str, list[str]]:
    """The table's lines by their first column (split on runs of two or more spaces)."""
    import re

    lines = stdout.splitlines()
    out = {}
    for line in lines[2:]:
        if not line.strip():
            break
        cells = re.split(r"\s{2,}", line.strip())
        out[cells[0]] = cells
    return out


@pytest.fixture
def fake():
    with FakeFred(api_key=KEY) as server:
        yield server


@pytest.fixture
def env(tmp_path, fake):
    (tmp_path / "no-snapshot").mkdir()
    return {
        **fake.env,
        "DASHBOARD_CACHE_DIR": str(tmp_path / "cache"),
        "DASHBOARD_SNAPSHOT_DIR": str(tmp_path / "no-snapshot"),
        "DASHBOARD_HTTP_TIMEOUT": "1",
    }


@requires_shared
def test_cli001_data_lists_every_series_from_the_folder(env):
    done = run_cli("data", env={**env, "DASHBOARD_DATA_DIR": str(SHARED_SERIES)})
    assert done.returncode == 0, done.stderr
    table = table_rows(done.stdout)
    assert set(table) == {s.id for s in SERIES}
    for info in SERIES:
        if info.source == "derived":
            continue
        if not (SHARED_SERIES / f"{info.id}.csv").exists():  # fetched live only
            assert table[info.id][2] == "unavailable", table[info.id]
            continue
        last, count = last_row(info.id)
        cells = table[info.id]
        assert cells[2] == "offline snapshot" and cells[3] == "data folder", cells
        assert cells[4] == last and cells[6] == f"{count:,}", cells
        assert int(cells[5]) == (datetime.now(UTC).date() - date.fromisoformat(last)).days


def test_cli002_unknown_ids_exit_2_and_ask_nobody(env, fake):
    for command in ("data", "refresh"):
        done = run_cli(command, "--series", "WALCL", "NOPE", env=env)
        assert done.returncode == 2
        assert "Unknown series 'NOPE'" in done.stderr
        assert "Traceback" not in done.stderr
    assert fake.requests == []


@requires_shared
def test_cli003_refresh_fetches_shows_progress_and_a_summary(env, fake):
    for sid in ("WALCL", "SPY"):
        fake.add(sid, read_rows(SHARED_SERIES / f"{sid}.csv"))
    done = run_cli("refresh", "--series", "WALCL", "SPY", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Refreshing" in done.stderr and "2/2" in done.stderr, "a progress bar"
    table = table_rows(done.stdout)
    for sid in ("WALCL", "SPY"):
        last, count = last_row(sid)
        cells = table[sid]
        assert cells[1:4] == [f"{count:,}", last, "updated"], cells
        age = (datetime.now(UTC).date() - date.fromisoformat(last)).days
        if age > 30:  # months old by any calendar
            assert cells[4] == f"stale ({age} days old)"
    assert "2 series: 2 updated." in done.stdout

    # The cache now holds them: `data` shows where they came from, without any request.
    before = len(fake.requests)
    listed = table_rows(run_cli("data", "--series", "WALCL", "SPY", env=env).stdout)
    assert listed["WALCL"][3] == "FRED download" and listed["SPY"][3] == "Yahoo Finance"
    assert len(fake.requests) == before


@requires_shared
def test_cli004_a_failure_exits_1_keeps_data_and_never_shows_the_key(env, fake):
    for sid in ("WALCL", "SPY"):
        fake.add(sid, read_rows(SHARED_SERIES / f"{sid}.csv"))
    keyed = {**env, "FRED_API_KEY": KEY}
    assert run_cli("refresh", "--series", "WALCL", "SPY", env=keyed).returncode == 0
    fake.fail("server_error", "SPY")
    fake.fail("echo_key", "WALCL")
    done = run_cli("refresh", "--force", "--series", "WALCL", "SPY", env=keyed)
    assert done.returncode == 1
    table = table_rows(done.stdout)
    last, count = last_row("SPY")
    assert table["SPY"][1:4] == [f"{count:,}", last, "FAILED"]
    assert "HTTP 500" in table["SPY"][-1]
    assert table["WALCL"][3] == "FAILED" and "***" in table["WALCL"][-1]
    assert "Failed: WALCL SPY" in done.stderr
    assert KEY not in done.stdout + done.stderr


def test_cli005_offline_refresh_fetches_nothing(env, fake):
    done = run_cli("refresh", env={**env, "DASHBOARD_OFFLINE": "1"})
    assert done.returncode == 0
    assert "Offline mode" in done.stderr
    assert fake.requests == []


def test_cli006_derived_series_refresh_their_inputs(env, fake):
    for sid in ("WALCL", "WTREGEN", "RRPONTSYD"):
        fake.add(sid, read_rows(REAL_SERIES / f"{sid}.csv"))
    done = run_cli("refresh", "--no-progress", "--series", "NETLIQ", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert list(table_rows(done.stdout)) == ["WALCL", "WTREGEN", "RRPONTSYD"]
    assert sorted(r.series for r in fake.requests) == ["RRPONTSYD", "WALCL", "WTREGEN"]
    assert "Refreshing" not in done.stderr


@requires_shared
@pytest.mark.parametrize("command", [("triggers",), ("data",), ("scenario", "--preset", "qt")])
def test_cli007_output_cut_short_by_a_pipe_gives_no_traceback(env, command):
    # `python -m dashboard triggers | head -1`: the reader leaves after one line.
    env = {**env, "DASHBOARD_DATA_DIR": str(SHARED_SERIES)}
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DASHBOARD_", "FRED_"))}
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", *command],
        cwd=PROJECT_ROOT,
        env={**clean, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    first = proc.stdout.readline()
    proc.stdout.close()  # like `head -1` exiting
    stderr = proc.stderr.read().decode()
    code = proc.wait(timeout=120)
    assert first.strip(), "the command printed nothing"
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr
    assert code in (0, 1)
