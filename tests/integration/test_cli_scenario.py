"""`python -m dashboard scenario`, run as a user would: numbers against an independent
computation, one clear line and exit 2 on each kind of bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from dashboard.config import PROJECT_ROOT
from tests.conftest import SHARED_SERIES, requires_shared


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DASHBOARD_", "FRED_"))}
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "scenario", *args],
        cwd=PROJECT_ROOT,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def write_path(path, values, start="2026-09-30", dates=None) -> str:
    dates = dates or [d.date().isoformat() for d in pd.date_range(start, periods=len(values),
                                                                   freq="QE")]
    lines = ["date,holdings_pct_gdp"] + [f"{d},{float(v)!r}" for d, v in zip(dates, values)]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def independent(base, alt, normal, beta, c_bp):
    """PBE by an explicit double loop (not the module's recursion or matrix)."""
    def sums(x):
        return [sum(beta ** (s - t) * (x[s] - normal) for s in range(t, len(x)))
                for t in range(len(x))]

    gamma = c_bp / sums(base)[0]
    return gamma, [gamma * v for v in sums(base)], [gamma * v for v in sums(alt)]


def test_json_matches_an_independent_computation(tmp_path):
    base = list(np.linspace(19.9, 4.0, 41))
    alt = [19.9] + list(np.linspace(21.5, 4.0, 40))
    result = run_cli(
        "--baseline", write_path(tmp_path / "base.csv", base),
        "--path", write_path(tmp_path / "alt.csv", alt),
        "--calibrate-bp", "80", "--beta", "0.99", "--normal", "4", "--json",
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    gamma, base_bp, alt_bp = independent(base, alt, 4.0, 0.99, 80.0)
    assert out["gamma"] == pytest.approx(gamma, rel=1e-9)
    assert [r["date"] for r in out["baseline"]][:2] == ["2026-09-30", "2026-12-31"]
    assert len(out["baseline"]) == len(out["scenario"]) == 41
    for got, want in zip(out["baseline"], base_bp):
        assert abs(got["pbe_bp"] - want) < 0.01
    for got, want in zip(out["scenario"], alt_bp):
        assert abs(got["pbe_bp"] - want) < 0.01
    assert abs(out["impact_bp"] - (base_bp[0] - alt_bp[0])) < 0.01
    assert out["baseline"][0]["pbe_bp"] == pytest.approx(80.0)
    assert out["impact_bp"] < 0  # more holdings: the term premium falls


def test_without_path_only_the_baseline(tmp_path):
    base = [12.0, 9.0, 6.0, 4.0]
    result = run_cli("--baseline", write_path(tmp_path / "b.csv", base), "--calibrate-bp", "30",
                     "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) == {"gamma", "baseline"}
    gamma, base_bp, _ = independent(base, base, 4.0, 0.99, 30.0)
    assert [r["pbe_bp"] for r in out["baseline"]] == pytest.approx(base_bp, abs=0.01)


def test_table_output_shows_the_impact(tmp_path):
    base = [12.0, 9.0, 6.0, 4.0]
    alt = [12.0, 12.0, 8.0, 4.0]
    result = run_cli("--baseline", write_path(tmp_path / "b.csv", base),
                     "--path", write_path(tmp_path / "a.csv", alt))
    assert result.returncode == 0, result.stderr
    _, base_bp, alt_bp = independent(base, alt, 4.0, 0.99, 80.0)
    assert f"impact on announcement = {base_bp[0] - alt_bp[0]:+.2f} bp" in result.stdout


def bad(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def test_rows_of_different_lengths(tmp_path):
    bad(run_cli("--baseline", write_path(tmp_path / "b.csv", [10.0, 8.0, 4.0]),
                "--path", write_path(tmp_path / "a.csv", [10.0, 4.0])),
        "3 quarters", "scenario has 2")


def test_dates_out_of_order(tmp_path):
    dates = ["2026-09-30", "2027-03-31", "2026-12-31"]
    bad(run_cli("--baseline", write_path(tmp_path / "b.csv", [10.0, 8.0, 4.0], dates=dates)),
        "out of order", "2026-12-31")


def test_last_value_not_normal(tmp_path):
    bad(run_cli("--baseline", write_path(tmp_path / "b.csv", [10.0, 8.0, 5.0]),
                "--normal", "4"), "must end at the normal level 4", "5")


@pytest.mark.parametrize("beta", ["0", "1.5", "-0.2", "abc", "nan"])
def test_beta_outside_unit_interval(tmp_path, beta):
    bad(run_cli("--baseline", write_path(tmp_path / "b.csv", [10.0, 4.0]), "--beta", beta),
        "--beta")


def test_zero_discounted_excess(tmp_path):
    bad(run_cli("--baseline", write_path(tmp_path / "b.csv", [4.0, 4.0, 4.0])), "sum to 0")


def test_bad_files(tmp_path):
    bad(run_cli("--baseline", str(tmp_path / "missing.csv")), "does not exist")
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("when,x\n2026-09-30,4\n")
    bad(run_cli("--baseline", str(wrong)), "header date,holdings_pct_gdp")
    garbage = tmp_path / "garbage.csv"
    garbage.write_text("date,holdings_pct_gdp\n2026-09-30,lots\n")
    bad(run_cli("--baseline", str(garbage)), "line 2", "not a number")
    baddate = tmp_path / "baddate.csv"
    baddate.write_text("date,holdings_pct_gdp\n30/09/2026,4\n")
    bad(run_cli("--baseline", str(baddate)), "not a date")
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("date,holdings_pct_gdp\n2026-09-30,10\n2026-12-31,8,extra\n")
    bad(run_cli("--baseline", str(ragged)), "line 3", "expected 2 columns")
    bad(run_cli(), "--baseline")


def test_unknown_preset():
    bad(run_cli("--preset", "helicopter"), "Unknown preset", "bill_only")


@requires_shared
def test_preset_builds_paths_from_todays_data(tmp_path):
    env = {"DASHBOARD_DATA_DIR": str(SHARED_SERIES), "DASHBOARD_CACHE_DIR": str(tmp_path),
           "DASHBOARD_OFFLINE": "1"}
    result = run_cli("--preset", "qe", "--json", env=env)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert len(out["baseline"]) == len(out["scenario"]) == 41
    assert out["baseline"][0]["pbe_bp"] == pytest.approx(80.0)
    assert out["baseline"][-1]["pbe_bp"] == pytest.approx(0.0, abs=1e-9)
    assert out["impact_bp"] < 0  # buying more lowers the term premium on announcement
