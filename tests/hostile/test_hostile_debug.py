"""Debug mode is off unless asked for, and nothing of Dash's dev tools is reachable."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import requests
from hostile_support import TRACEBACK_MARKERS, ProcessServer, free_port

from dashboard.config import PROJECT_ROOT, ServerSettings


def _renderer_config(html: str) -> dict:
    match = re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', html)
    assert match, "the page has no Dash config block"
    return json.loads(match.group(1))


def test_hst101_debug_is_off_by_default():
    assert ServerSettings.from_env({}).debug is False
    assert ServerSettings.from_env({"DASH_DEBUG": "0"}).debug is False


def test_hst102_dev_tools_unreachable_on_the_served_app(served_app):
    response = requests.get(served_app + "/_reload-hash", timeout=30)
    assert response.status_code == 404
    assert "reloadHash" not in response.text
    html = requests.get(served_app + "/", timeout=30).text
    config = _renderer_config(html)
    assert config["ui"] is False and config["props_check"] is False
    assert "hot_reload" not in config
    assert "dash-debug-menu" not in html


def test_hst103_python_app_py_runs_without_debug(tmp_path):
    """`python app.py` as the README says, with no DASH_DEBUG: no reloader, no dev tools."""
    port = free_port()
    env = {"PORT": str(port), "DASHBOARD_OFFLINE": "1", "DASHBOARD_CACHE_DIR": str(tmp_path)}
    env["DASH_DEBUG"] = ""  # as if unset, whatever the test runner's environment says
    server = ProcessServer([sys.executable, "app.py"], env, tmp_path / "app.log", port)
    try:
        assert requests.get(server.url + "/_reload-hash", timeout=30).status_code == 404
        config = _renderer_config(requests.get(server.url + "/", timeout=30).text)
        assert config["ui"] is False
    finally:
        server.stop()
    assert "Debug mode: on" not in server.logs()
    assert "Debugger is active" not in server.logs()


CRASHING_APP = """
import dash, logging, sys
from dash import Input, Output, html
logging.basicConfig(level=logging.CRITICAL)
from dashboard.httpguard import install_guards
app = dash.Dash(__name__)
app.layout = html.Div([html.Button(id="b"), html.Div(id="o")])
@app.callback(Output("o", "children"), Input("b", "n_clicks"))
def boom(n):
    raise ValueError("secret internals")
install_guards(app)
client = app.server.test_client()
client.get("/")
r = client.post("/_dash-update-component", json={
    "output": "o.children", "outputs": {"id": "o", "property": "children"},
    "inputs": [{"id": "b", "property": "n_clicks", "value": 1}], "changedPropIds": ["b.n_clicks"],
})
sys.stdout.write(str(r.status_code) + "\\n" + r.get_data(as_text=True))
"""


def test_hst104_a_crashing_callback_answers_without_a_traceback():
    """A callback bug in production: a short JSON 500, no traceback, no exception text."""
    done = subprocess.run(
        [sys.executable, "-c", CRASHING_APP],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    status, _, body = done.stdout.partition("\n")
    assert status == "500", done.stderr[-2000:]
    assert json.loads(body)["error"]
    assert "secret internals" not in body
    for marker in TRACEBACK_MARKERS:
        assert marker not in body
