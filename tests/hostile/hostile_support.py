"""Helpers for the hostile-input tests: response checks, page discovery, process servers.

Pages and callbacks are discovered from the running app (`dash.page_registry`,
`/_dash-dependencies`), so pages added later are fuzzed without editing these tests.
"""

from __future__ import annotations

import inspect
import os
import re
import sys
from pathlib import Path

import dash
import requests
from hypothesis import strategies as st

from bench.common import ServerProcess, free_port
from dashboard.config import BUNDLED_SNAPSHOT_DIR, PROJECT_ROOT

# Same place tests/conftest.py looks (conftest modules cannot be imported by name): the data
# folder, else (a clone) the bundled Fed snapshot.
SHARED_SERIES = Path(
    os.environ.get("DASHBOARD_TEST_SERIES_DIR")
    or os.environ.get("DASHBOARD_DATA_DIR")
    or PROJECT_ROOT.parent / "shared" / "data" / "series"
).resolve()
if not (SHARED_SERIES / "WALCL.csv").is_file():
    SHARED_SERIES = BUNDLED_SNAPSHOT_DIR
TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "/', "werkzeug.debug")


def assert_handled(response: requests.Response, what: str) -> None:
    """A response a user or client can live with: no 5xx, no traceback, JSON errors for 4xx."""
    text = response.text
    for marker in TRACEBACK_MARKERS:
        assert marker not in text, f"{what}: the response shows a traceback"
    assert response.status_code < 500, f"{what}: HTTP {response.status_code}: {text[:300]}"


def registry_pages() -> list[dict]:
    """Every registered page except the 404 page (Dash's page registry is process-wide)."""
    return [p for p in dash.page_registry.values() if not p["module"].endswith("not_found_404")]


def query_params(page: dict) -> list[str]:
    """The URL query names a page understands: those its `layout` names explicitly, and those
    in the example links its module docstring documents (`/compare?a=WALCL&b=TLT`)."""
    names: list[str] = []
    layout = page.get("layout")
    if callable(layout):
        for name, param in inspect.signature(layout).parameters.items():
            if param.kind in (param.POSITIONAL_OR_KEYWORD, param.KEYWORD_ONLY):
                names.append(name)
    module = sys.modules.get(page["module"])
    for name in re.findall(r"[?&]([A-Za-z_]\w*)=", (module.__doc__ or "") if module else ""):
        if name not in names:
            names.append(name)
    return names


class ProcessServer(ServerProcess):
    """The app in its own process (gunicorn or `python app.py`), serving once constructed."""

    def __init__(self, argv: list[str], env: dict[str, str], log_path: Path, port: int):
        super().__init__(argv, env, log_path, port)
        try:
            self.wait_until("/_dash-layout", timeout=90)
        except Exception:
            self.stop()
            raise

    @classmethod
    def gunicorn(cls, env: dict[str, str], log_path: Path, workers: int = 1, extra=()):
        port = free_port()
        argv = [sys.executable, "-m", "gunicorn", "--workers", str(workers)]
        argv += ["--bind", f"127.0.0.1:{port}", "--access-logfile", "-", *extra, "app:server"]
        return cls(argv, env, log_path, port)


# ---- values a hostile client sends (hypothesis strategies) --------------------------------
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False)
    | st.text(max_size=40)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=20,
)
# Values a hostile client might put where a component value goes.
hostile_values = json_values | st.sampled_from(
    [
        "../../../../etc/passwd",
        "9999-12-31",
        "0000-00-00",
        "NOSUCHSERIES",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "x" * 5000,
        -1,
        10**12,
        [],
        {},
        [None],
        ["WALCL"] * 50,
    ]
)
