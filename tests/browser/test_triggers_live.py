"""A first visit to the Triggers page with a cold cache, online: the cards whose series are not
in the bundled snapshot say "no data", the page says what it is fetching, and the cards and
gauges redraw by themselves when the series land — without a reload — then polling stops.
Everything live comes over real HTTP from the fake FRED server; the HY spread's answer is held
back a few seconds."""

from __future__ import annotations

import time

import pytest
import requests

from dashboard.analytics import triggers as engine
from tests.conftest import SHARED_SERIES, requires_shared, served_online
from tests.fakefred import FakeFred, read_rows

pytestmark = [pytest.mark.browser, requires_shared]

HY, HY_TRIGGER = "BAMLH0A0HYM2", "hy_spread_stress"
DELAY = 4.0  # seconds the HY spread's answer is held back
STATUS_TEXT = "((document.querySelector('#triggers-live-status') || {}).innerText || '')"
# The HY stress card as the browser shows it: its classes, value text and gauge needle.
CARD_JS = f"""() => {{
    const card = document.getElementById(
        JSON.stringify({{trigger: '{HY_TRIGGER}', type: 'triggers-card'}}));
    if (!card) return null;
    const gd = card.querySelector('.triggers-gauge .js-plotly-plot');
    return {{cls: card.className, value: card.querySelector('.triggers-value').innerText,
             gauge: gd && gd.data ? {{mode: gd.data[0].mode, value: gd.data[0].value}} : null}};
}}"""


@pytest.fixture
def cold_triggers_app(dash_app, tmp_path):
    """The app on 127.0.0.1, online against the fake server with every trigger series the
    shared folder holds, a cold cache and only the bundled Fed snapshot offline."""
    inputs = engine.required_series(engine.load_triggers())
    wanted = [*inputs, "SOFR", "IORB", "TREAST", "WSHOMCB"]
    with FakeFred() as fake:
        for sid in dict.fromkeys(wanted):
            if (SHARED_SERIES / f"{sid}.csv").exists():
                fake.add(sid, read_rows(SHARED_SERIES / f"{sid}.csv"))
        fake.fail("slow", HY, stall=DELAY)
        with served_online(dash_app, fake.urls, tmp_path / "cache", DELAY + 6) as (url, _store):
            yield url, fake


def test_trglive001_cold_triggers_page_fills_in_then_stops_polling(cold_triggers_app, page):
    url, fake = cold_triggers_app
    updates: list[float] = []
    page.on(
        "request",
        lambda r: updates.append(time.monotonic()) if "_dash-update-component" in r.url else None,
    )
    page.goto(url + "/triggers")
    page.wait_for_selector(".triggers-card")
    page.evaluate("() => { window.__notReloaded = true; }")
    first = page.evaluate(CARD_JS)
    # Not in the bundled snapshot and held back by the server: no data yet, an empty gauge.
    assert "triggers-card-no-data" in first["cls"] and first["value"] == "—", first
    page.wait_for_function(
        f"() => /^Fetching \\d+ of \\d+: .*HY OAS/.test({STATUS_TEXT})", timeout=30000
    )

    # The HY spread lands: its card and gauge redraw on their own with the file's last value.
    page.wait_for_function(
        f"() => {{ const c = ({CARD_JS})(); return c && !c.cls.includes('no-data'); }}",
        timeout=120000,  # a loaded 2-core CI machine: a dozen live fetches and a redraw
    )
    assert page.evaluate("() => window.__notReloaded === true"), "the page was reloaded"
    hy_rows = [value for _, value in read_rows(SHARED_SERIES / f"{HY}.csv") if value is not None]
    assert page.evaluate(CARD_JS)["value"] == f"{hy_rows[-1]:.2f}%"
    assert any(r.series == HY and r.fault == "slow" for r in fake.requests_for()), "HY came late"

    # Nothing is pending any more: the line is cleared and polling has stopped.
    page.wait_for_function(f"() => {STATUS_TEXT} === ''", timeout=60000)
    time.sleep(1.5)
    settled = len(updates)
    time.sleep(3.0)
    assert len(updates) == settled, "the page kept polling after everything landed"

    # The redrawn page agrees with the feed, which reads the same store: card values in the
    # feed's order, and the HY gauge's needle at the feed's proximity.
    feed = requests.get(url + "/api/triggers", timeout=30).json()
    hy = next(r for r in feed if r["id"] == HY_TRIGGER)
    assert hy["value"] == pytest.approx(hy_rows[-1])
    shown = page.locator(".triggers-value").all_inner_texts()
    assert shown == [
        engine.format_value(r["value"], r["units"], signed=r["lookback_weeks"] is not None)
        for r in feed
    ]
    gauge = page.evaluate(CARD_JS)["gauge"]
    assert gauge["mode"] == "gauge+number"
    assert gauge["value"] == pytest.approx(max(0.0, min(100.0, hy["proximity"])))
    assert "HY OAS: as of" in page.inner_text("#triggers-freshness")
    assert page.console_errors == []
