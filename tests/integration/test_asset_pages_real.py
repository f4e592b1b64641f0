"""Deep dives and playbooks on the real series in ../shared/data/series: per-episode figures
checked against closes read straight from the CSV files with the csv module (no pandas, no
data layer), every catalog id's deep dive rendered, and the playbooks listing every asset."""

from __future__ import annotations

import bisect
import csv
import importlib
import statistics
from datetime import date

import pytest

from dashboard.catalog import SERIES
from dashboard.episodes import main_episodes
from dashboard.figures.compare import format_change
from tests.conftest import SHARED_SERIES, find_component, requires_shared


def find(tree, component_id):
    """The props of the component with `component_id` in a layout as Dash sends it (the
    pages serve their trees as plain JSON), or None."""
    if isinstance(tree, dict):
        props = tree.get("props", {})
        if props.get("id") == component_id:
            return props
        children = props.get("children")
        for child in children if isinstance(children, list) else [children]:
            hit = find(child, component_id)
            if hit is not None:
                return hit
    return None


pytestmark = requires_shared


@pytest.fixture(scope="module")
def pages(dash_app):
    """(deep dive layout module, playbook layout module); pages register once the app exists."""
    return (
        importlib.import_module("dashboard.pages.asset.layout"),
        importlib.import_module("dashboard.pages.playbook.layout"),
    )


def read_csv(series_id: str) -> tuple[list[date], list[float]]:
    dates, values = [], []
    with open(SHARED_SERIES / f"{series_id}.csv", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for day, value in reader:
            if value.strip() not in ("", "."):
                dates.append(date.fromisoformat(day))
                values.append(float(value))
    return dates, values


def value_at(data, day: date) -> float | None:
    """The stated rule: last observation on or before `day`, at most 7 days older, and
    `day` not after the last observation."""
    dates, values = data
    if day > dates[-1]:
        return None
    i = bisect.bisect_right(dates, day) - 1
    if i < 0 or (day - dates[i]).days > 7:
        return None
    return values[i]


def plus_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def episode(episode_id: str):
    return next(e for e in main_episodes() if e.id == episode_id)


def test_apr001_tlt_over_qe3_gold_after_qe2_hy_during_covid_qe(snapshot_store, pages):
    from dashboard.studies import gather_study

    study, _ = gather_study()
    qe3, qe2, covid = episode("QE3"), episode("QE2"), episode("QECOVID")

    tlt = read_csv("TLT")
    expected = (value_at(tlt, qe3.end) / value_at(tlt, qe3.start) - 1) * 100
    cell = study.summary("TLT", "QE").cells[("QE3", "end")]
    assert cell.change == pytest.approx(expected, rel=1e-12)

    gold = read_csv("LBMA_GOLD_PM_USD")
    after = plus_months(qe2.start, 12)
    expected = (value_at(gold, after) / value_at(gold, qe2.start) - 1) * 100
    assert study.summary("LBMA_GOLD_PM_USD", "QE").cells[("QE2", "12m")].change == (
        pytest.approx(expected, rel=1e-12)
    )

    hy = read_csv("BAMLH0A0HYM2")  # percent → basis points
    expected = (value_at(hy, covid.end) - value_at(hy, covid.start)) * 100
    assert study.summary("BAMLH0A0HYM2", "QE").cells[("QECOVID", "end")].change == (
        pytest.approx(expected, abs=1e-9)
    )

    # and the deep dive shows those numbers
    layout_module, _ = pages
    text = str(layout_module.layout(series_id="TLT"))
    tlt_qe3 = (value_at(tlt, qe3.end) / value_at(tlt, qe3.start) - 1) * 100
    assert format_change(tlt_qe3, "%") in text


@pytest.mark.parametrize(
    ("series_id", "kind", "window"),
    [("SPY", "QE", "12m"), ("DGS10", "QT", "end"), ("NFCI", "QE", "6m"), ("ETH-USD", "QT", "3m")],
)
def test_apr002_median_and_hit_rate_match_the_csv(snapshot_store, series_id, kind, window):
    from dashboard.analytics import event_study as es
    from dashboard.catalog import get_info
    from dashboard.studies import gather_study

    study, _ = gather_study()
    summary = study.summary(series_id, kind)
    data = read_csv(series_id)
    log = get_info(series_id).change_kind == "log"
    scale = 1 if get_info(series_id).units.startswith("Index") else 100
    moves = []
    for e in (e for e in main_episodes() if e.kind == kind):
        end = (e.end or data[0][-1]) if window == "end" else plus_months(e.start, int(window[:-1]))
        a, b = value_at(data, e.start), value_at(data, end)
        if a is not None and b is not None:
            moves.append((b / a - 1) * 100 if log else (b - a) * scale)
    if not moves:
        assert summary.median(window) is None
        return
    assert summary.median(window) == pytest.approx(statistics.median(moves), abs=1e-9)
    claim = es.class_claim(es.class_of(series_id).id, kind)
    if claim.high is None or claim.low is None:
        direction = 1 if claim.high is None else -1
    else:
        direction = 1 if claim.low + claim.high > 0 else -1
    assert summary.hits(window) == (sum(m * direction > 0 for m in moves), len(moves))


def test_apr003_every_catalog_id_has_a_deep_dive_with_real_data(snapshot_store, pages):
    layout_module, _ = pages
    for info in SERIES:
        tree = layout_module.layout(series_id=info.id)
        assert find(tree, "asset-page") is not None, info.id
        assert find(tree, "asset-notice") is None, info.id
        for table in ("asset-episodes-qe", "asset-episodes-qt", "asset-comovement-table"):
            assert find(tree, table) is not None, (info.id, table)
        text = str(tree)
        assert info.name in text and info.units in text
        if not snapshot_store.get(info.id).empty:
            assert "as of " in text, info.id


def test_apr004_unknown_or_hostile_id_gets_a_message_not_a_traceback(snapshot_store, pages):
    layout_module, _ = pages
    for bad in ("NOPE", "", None, "<script>alert(1)</script>", ["TLT"], "x" * 5000):
        tree = layout_module.layout(series_id=bad)
        notice = find_component(tree, "asset-notice")
        assert notice is not None
        assert "Data page" in str(notice)
        assert len(str(notice)) < 1000  # the id is cut, not echoed whole


def test_apr005_playbooks_list_every_asset_with_a_verdict(snapshot_store, pages):
    from dashboard.analytics import event_study as es

    _, playbook = pages
    for kind, layout in (("QE", playbook.qe_layout), ("QT", playbook.qt_layout)):
        tree = layout()
        table = find(tree, "playbook-impact-table")
        rows = {row["id"]: row for row in table["data"]}
        assert set(rows) == {info.id for info in SERIES}, kind
        verdicts = {es.HOLDS, es.PARTLY, es.FAILS, es.NO_DATA, es.NO_CLAIM}
        assert all(row["verdict"] in verdicts for row in rows.values())
        assert rows["TLT"]["asset"] == "[TLT](/asset/TLT)"
        # a claimed class has a real verdict; the median is the CSV median
        assert rows["SPY"]["verdict"] in {es.HOLDS, es.PARTLY, es.FAILS}
        spy = read_csv("SPY")
        moves = [
            (value_at(spy, e.end) / value_at(spy, e.start) - 1) * 100
            for e in main_episodes()
            if e.kind == kind and value_at(spy, e.start) and value_at(spy, e.end)
        ]
        assert rows["SPY"]["during"] == pytest.approx(round(statistics.median(moves), 1))
        watch = find(tree, "playbook-watch-table")
        assert "/triggers?open=" in str(watch)
        assert find(tree, "playbook-trigger") is not None
        assert find(tree, "playbook-phase") is not None


def test_apr006_the_study_is_computed_once_per_data_version(snapshot_store):
    from dashboard.studies import gather_study

    first, _ = gather_study()
    again, _ = gather_study()
    assert again is first
