"""Shared fixtures: the real data, isolated stores, a served app and a browser.

Real data for tests comes from the data folder: `DASHBOARD_TEST_SERIES_DIR`, else
`DASHBOARD_DATA_DIR` (so a user with a folder of their own runs everything), else
`../shared/data/series` (CI). Without any folder (a user's clone) the tests run on the bundled
Fed snapshot (`data_cache/snapshot`); only tests that need series the project does not ship
(market prices, spreads, ...) skip, naming what they need.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from dashboard.config import BUNDLED_SNAPSHOT_DIR, PROJECT_ROOT, Settings
from dashboard.data import DataStore, set_store
from tests.fakefred import read_rows

# Every test client, browser and fuzzer comes from 127.0.0.1: the per-address pacing of
# callbacks (dashboard/pacing.py) would turn their bursts into 429s and hide what is under
# test. Apps started by the tests (in process or as gunicorn) run without it; its own tests
# (tests/unit/test_pacing.py, tests/hostile/test_hostile_pacing.py) turn it on.
os.environ["DASHBOARD_CLIENT_CALLBACKS_PER_SECOND"] = "0"

SHARED_SERIES = Path(
    os.environ.get("DASHBOARD_TEST_SERIES_DIR")
    or os.environ.get("DASHBOARD_DATA_DIR")
    or PROJECT_ROOT.parent / "shared" / "data" / "series"
).resolve()
HAVE_SHARED = (SHARED_SERIES / "WALCL.csv").is_file()
# The folder tests read real observations from: the data folder, else the bundled snapshot.
REAL_SERIES = SHARED_SERIES if HAVE_SHARED else BUNDLED_SNAPSHOT_DIR
# The data folder the test stores and served app use (None: the bundled snapshot alone).
TEST_DATA_DIR = SHARED_SERIES if HAVE_SHARED else None
requires_shared = pytest.mark.skipif(
    not HAVE_SHARED,
    reason=f"needs the full data folder at {SHARED_SERIES} (present in CI, not in a clone; "
    "set DASHBOARD_DATA_DIR)",
)


def missing_series(*series_ids: str) -> list[str]:
    """Those of `series_ids` the tests have no real file for (neither folder nor snapshot)."""
    return [
        sid
        for sid in series_ids
        if not (REAL_SERIES / f"{sid}.csv").is_file()
        and not (BUNDLED_SNAPSHOT_DIR / f"{sid}.csv").is_file()
    ]


def requires_series(*series_ids: str):
    """Skip unless real data for every one of `series_ids` is at hand (the bundled snapshot
    holds only Fed series: WALCL, WRESBAL, WTREGEN, RRPONTSYD, SOFR, IORB, DFEDTARU, GDP)."""
    missing = missing_series(*series_ids)
    return pytest.mark.skipif(
        bool(missing),
        reason=f"needs {', '.join(missing)}, not in the bundled snapshot: set "
        "DASHBOARD_DATA_DIR to a folder that has it (CI does)",
    )


CHROMIUM = os.environ.get("DASHBOARD_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def newest_offline_rows(series_id: str, folder: Path | None = TEST_DATA_DIR) -> tuple[str, list]:
    """(label, [(date, value)]) the store should serve offline for `series_id`, worked out with
    the csv module alone: the later-ending of the data folder's and the bundled snapshot's file
    (the folder on a tie), preceded by the other file's rows from before its first date."""
    paths = [("bundled snapshot", BUNDLED_SNAPSHOT_DIR / f"{series_id}.csv")]
    if folder is not None:
        paths.insert(0, ("data folder", folder / f"{series_id}.csv"))
    copies = [
        (label, [r for r in read_rows(path) if r[1] is not None])
        for label, path in paths
        if path.is_file()
    ]
    copies = [(label, rows) for label, rows in copies if rows]
    if not copies:
        return "none", []
    label, rows = copies[0]
    for other_label, other in copies[1:]:
        if other[-1][0] > rows[-1][0]:
            label, rows = other_label, other
    for _, other in copies:
        rows = [r for r in other if r[0] < rows[0][0]] + rows
    return label, rows


# The fields the triggers JSON feed promises (CLI --json and /api/triggers).
FEED_FIELDS = (
    "id", "name", "value", "units", "as_of", "threshold", "status", "proximity", "distance",
    "eta", "last_fired",
)


@pytest.fixture
def snapshot_settings(tmp_path) -> Settings:
    """Offline settings reading the data folder (or, without one, the bundled snapshot
    alone), with a private cache."""
    return Settings(data_dir=TEST_DATA_DIR, cache_dir=tmp_path / "cache", offline=True)


@pytest.fixture
def snapshot_store(snapshot_settings):
    store = DataStore(snapshot_settings)
    set_store(store)
    yield store
    set_store(None)
    store.cache.close()


@pytest.fixture
def bundled_only(tmp_path):
    """A store with no data folder, offline: only the bundled Fed snapshot (a fresh clone)."""
    store = DataStore(Settings(data_dir=None, cache_dir=tmp_path / "cache", offline=True))
    set_store(store)
    yield store
    set_store(None)
    store.cache.close()


def find_component(component, component_id):
    """The component with `component_id` in a Dash layout tree, or None."""
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            hit = find_component(child, component_id)
            if hit is not None:
                return hit
    return None


@pytest.fixture(scope="session")
def dash_app():
    """The one Dash app of the test session (Dash's page registry is process-wide)."""
    from dashboard.webapp import create_app

    return create_app()


@pytest.fixture(scope="session")
def served_app(dash_app, tmp_path_factory):
    """The app served over real HTTP on 127.0.0.1 with the data folder (or the bundled
    snapshot alone); yields its URL."""
    from werkzeug.serving import make_server

    settings = Settings(
        data_dir=TEST_DATA_DIR, cache_dir=tmp_path_factory.mktemp("cache"), offline=True
    )
    set_store(DataStore(settings))
    server = make_server("127.0.0.1", 0, dash_app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    set_store(None)


# One URL of each page kind, for checks that must hold on every page (contrast, names).
PAGE_KINDS = ["/", "/triggers", "/compare", "/episodes", "/data", "/scenarios", "/asset/WALCL",
              "/playbook/qe"]
_PAGE_READY = {"/data": "table"}  # what shows a page has drawn: a chart, unless named here


def open_drawn(page, base_url: str, path: str) -> None:
    """Open `path` and wait until it has drawn and its load callbacks are done."""
    page.goto(base_url + path)
    page.wait_for_selector(_PAGE_READY.get(path, ".js-plotly-plot .main-svg"))
    page.wait_for_load_state("networkidle")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("DASHBOARD_REQUIRE_BROWSER"):
            pytest.fail(f"DASHBOARD_REQUIRE_BROWSER is set but there is no Chromium at {CHROMIUM}")
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser page; `page.console_errors` collects console errors and page errors."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    tab.console_errors = []
    tab.on("console", lambda m: tab.console_errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.console_errors.append(str(e)))
    yield tab
    context.close()


@contextmanager
def served_online(dash_app, urls: dict, cache_dir: Path, http_timeout: float):
    """The app served on 127.0.0.1 by a store online against a fake server (`urls`), with a
    cold cache and only the bundled Fed snapshot offline; yields (url, store). Restores the
    previous store afterwards, once its background fetches are done."""
    from werkzeug.serving import make_server

    from dashboard.data import store as store_module

    settings = Settings(
        cache_dir=cache_dir,
        snapshot_dir=BUNDLED_SNAPSHOT_DIR,
        http_timeout=http_timeout,
        background_refresh=True,
        **urls,
    )
    before = store_module._STORE
    store = DataStore(settings)
    set_store(store)
    server = make_server("127.0.0.1", 0, dash_app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", store
    finally:
        server.shutdown()
        store.wait_for_refresh(30)
        set_store(before)
