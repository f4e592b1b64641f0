"""The trigger feed three ways — CLI, `GET /api/triggers` over HTTP, and the page — gives the
same readings; bad API parameters get a 400; `--fail-on-firing` exits 3 when a trigger fires
(decided here independently from the CSV files)."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys

import pandas as pd
import pytest
import requests

from dashboard.__main__ import main
from dashboard.analytics import triggers as engine
from dashboard.config import PROJECT_ROOT
from tests.conftest import (
    FEED_FIELDS,
    REAL_SERIES,
    SHARED_SERIES,
    find_component,
    requires_series,
)


def last_value(series_id: str) -> float:
    frame = pd.read_csv(REAL_SERIES / f"{series_id}.csv")
    return float(pd.to_numeric(frame.iloc[:, 1], errors="coerce").dropna().iloc[-1])


def cli_json(capsys, *extra: str) -> tuple[int, list]:
    code = main(["triggers", "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


def test_trgfeed001_cli_api_and_page_show_the_same_readings(served_app, capsys):
    code, from_cli = cli_json(capsys)
    assert code == 0
    response = requests.get(served_app + "/api/triggers", timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    from_api = response.json()
    page = importlib.import_module("dashboard.pages.triggers")
    from_page = find_component(page.layout(), page.READINGS_STORE).data
    assert from_cli == from_api == from_page
    assert [r["id"] for r in from_cli] != [] and len(from_cli) == len(engine.load_triggers())
    first = from_cli[0]
    for key in FEED_FIELDS:
        assert key in first
    # The reserves reading is the file's last observation, with its date.
    reserves = next(r for r in from_cli if r["id"] == "reserves_below_3t")
    assert reserves["value"] == last_value("WRESBAL")


@pytest.mark.parametrize(
    ("query", "complaint"),
    [
        ("?colour=red", "Unknown parameter"),
        ("?status=loud", "Unknown status"),
        ("?id=no_such_trigger", "Unknown trigger id"),
        ("?status=" + "x" * 5000, "Unknown status"),
    ],
)
def test_trgfeed002_bad_api_parameters_get_a_400_json_error(served_app, query, complaint):
    response = requests.get(served_app + "/api/triggers" + query, timeout=30)
    assert response.status_code == 400
    body = response.json()
    assert complaint in body["error"] and len(body["error"]) < 200


def test_trgfeed003_api_filters_by_status_and_id(served_app):
    everything = requests.get(served_app + "/api/triggers", timeout=30).json()
    firing = requests.get(served_app + "/api/triggers?status=firing", timeout=30).json()
    assert firing == [r for r in everything if r["status"] == "firing"]
    two = requests.get(
        served_app + "/api/triggers?id=rrp_drained,curve_inverted", timeout=30
    ).json()
    assert {r["id"] for r in two} == {"rrp_drained", "curve_inverted"}


def test_trgfeed004_fail_on_firing_exit_code(snapshot_store, capsys, tmp_path):
    # Independently: the last reverse repo print is under $50B, so that trigger fires.
    assert last_value("RRPONTSYD") < 50
    assert main(["triggers", "--fail-on-firing"]) == 3
    capsys.readouterr()
    # A file with only the reserves trigger, quiet while reserves are above its threshold.
    threshold = last_value("WRESBAL") - 1000.0
    header, *rows = engine.TRIGGERS_FILE.read_text(encoding="utf-8").splitlines()
    row = next(r for r in rows if r.startswith("reserves_below_3t,"))
    mine = tmp_path / "quiet.csv"
    quiet = row.replace("below,no,3000000,", f"below,no,{threshold},")
    mine.write_text(header + "\n" + quiet + "\n")
    code, readings = cli_json(capsys, "--file", str(mine), "--fail-on-firing")
    assert code == 0
    assert [(r["id"], r["threshold"], r["status"] == "firing") for r in readings] == [
        ("reserves_below_3t", threshold, False)
    ]


def test_trgfeed005_edited_threshold_file_changes_the_cli_reading(snapshot_store, capsys, tmp_path):
    reserves = last_value("WRESBAL")
    text = engine.TRIGGERS_FILE.read_text(encoding="utf-8")
    new_threshold = int(reserves) - 1  # just under today's level: not firing
    mine = tmp_path / "triggers.csv"
    mine.write_text(text.replace("below,no,3000000,", f"below,no,{new_threshold},"))
    _, shipped = cli_json(capsys)
    _, edited = cli_json(capsys, "--file", str(mine))
    before = next(r for r in shipped if r["id"] == "reserves_below_3t")
    after = next(r for r in edited if r["id"] == "reserves_below_3t")
    assert before["value"] == after["value"] == reserves
    assert after["threshold"] == new_threshold
    assert (before["status"] == "firing") == (reserves < 3_000_000)
    assert after["status"] != "firing" and after["distance"] == pytest.approx(1.0)


def test_trgfeed006_unreadable_file_exits_2_with_a_message(snapshot_store, capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id,name,formula,scale,units,direction,inclusive,threshold,calm,why\n"
        "x,X,WALCL,1,u,sideways,no,1,,w\n"
    )
    assert main(["triggers", "--file", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "direction must be above or below" in err and "Traceback" not in err


@requires_series("TREAST", "WSHOMCB")
def test_trgfeed007_table_lists_every_trigger_and_the_phase(snapshot_store, capsys):
    assert main(["triggers"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("End-of-QT phase: Phase")
    for trigger in engine.load_triggers():
        assert trigger.name[:30] in out


def test_trgfeed008_as_a_cron_job_would_run_it(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DASHBOARD_", "FRED_"))}
    env = clean | {
        "DASHBOARD_DATA_DIR": str(SHARED_SERIES),
        "DASHBOARD_OFFLINE": "1",
        "DASHBOARD_CACHE_DIR": str(tmp_path / "cache"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "triggers", "--json", "--fail-on-firing"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    readings = json.loads(done.stdout)
    assert done.returncode == (3 if any(r["status"] == "firing" for r in readings) else 0)
    assert done.returncode == 3  # the reverse repo is drained in the snapshot
    assert {r["id"] for r in readings} == {t.id for t in engine.load_triggers()}
