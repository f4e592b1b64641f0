"""The event study on the real series in ../shared/data/series, checked cell by cell against
closes read straight from the CSV files with the csv module (no pandas, no data layer)."""

from __future__ import annotations

import bisect
import csv
from datetime import date, timedelta

import pytest

from dashboard.analytics import event_study as es
from dashboard.catalog import get_info
from dashboard.episodes import main_episodes
from tests.conftest import REAL_SERIES, requires_shared


@pytest.fixture(scope="module")
def page(dash_app):
    """The Episodes page module (pages register only once the app exists)."""
    import importlib

    return importlib.import_module("dashboard.pages.episodes")


def read_csv(series_id: str) -> tuple[list[date], list[float]]:
    """Dates and values of a FRED-format file, skipping empty and "." rows."""
    dates, values = [], []
    with open(REAL_SERIES / f"{series_id}.csv", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for day, value in reader:
            if value.strip() in ("", "."):
                continue
            dates.append(date.fromisoformat(day))
            values.append(float(value))
    return dates, values


def close_at(data: tuple[list[date], list[float]], day: date) -> tuple[date, float] | None:
    """The page's stated rule, written independently: last observation on or before `day`,
    at most 7 days old, and `day` not after the last observation."""
    dates, values = data
    if day > dates[-1]:
        return None
    i = bisect.bisect_right(dates, day) - 1
    if i < 0 or (day - dates[i]).days > 7:
        return None
    return dates[i], values[i]


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, d))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def expected_change(series_id: str, start: date, end: date) -> float | None:
    data = read_csv(series_id)
    a, b = close_at(data, start), close_at(data, end)
    if a is None or b is None:
        return None
    if get_info(series_id).change_kind == "log":
        return (b[1] / a[1] - 1) * 100
    return (b[1] - a[1]) * 100  # yields and spreads in percent → basis points


@requires_shared
def test_evr001_tlt_change_over_each_episode_is_the_ratio_of_two_closes(snapshot_store, page):
    tlt = snapshot_store.get("TLT").values
    asset = next(a for a in page.study_assets() if a.id == "TLT")
    data = read_csv("TLT")
    checked = 0
    for episode in main_episodes():
        if episode.end is None:
            continue
        cell = es.event_change(tlt, asset, episode, "end")
        start, end = close_at(data, episode.start), close_at(data, episode.end)
        assert cell.start.date == start[0] and cell.end.date == end[0], episode.id
        assert cell.change == pytest.approx((end[1] / start[1] - 1) * 100, rel=1e-12)
        checked += 1
    assert checked >= 8


@requires_shared
def test_evr002_every_cell_matches_the_csv_files(snapshot_store, page):
    series = {sid: snapshot_store.get(sid).values for sid in page.STUDY_ASSETS}
    cells = es.event_study(series, page.study_assets(), main_episodes())
    by_key = {(c.episode_id, c.asset_id, c.window): c for c in cells}
    for episode in main_episodes():
        for sid in page.STUDY_ASSETS:
            last = read_csv(sid)[0][-1]
            for window in es.WINDOWS:
                if window == "end":
                    end = episode.end or last
                else:
                    end = add_months(episode.start, int(window[:-1]))
                expected = expected_change(sid, episode.start, end)
                cell = by_key[(episode.id, sid, window)]
                if expected is None:
                    assert cell.change is None and cell.reason, (episode.id, sid, window)
                else:
                    assert cell.change == pytest.approx(expected, rel=1e-9, abs=1e-9), (
                        episode.id,
                        sid,
                        window,
                    )


@requires_shared
def test_evr003_bitcoin_is_na_before_its_data_and_beyond_the_data_end(snapshot_store, page):
    btc = snapshot_store.get("BTC-USD").values
    asset = next(a for a in page.study_assets() if a.id == "BTC-USD")
    first_btc = read_csv("BTC-USD")[0][0]
    for episode in main_episodes():
        cell = es.event_change(btc, asset, episode, "12m")
        if episode.start < first_btc:
            assert cell.change is None
            assert f"starts {first_btc:%Y-%m-%d}" in cell.reason
    latest = max(main_episodes(), key=lambda e: e.start)
    beyond = es.event_change(btc, asset, latest, "12m")
    if add_months(latest.start, 12) > read_csv("BTC-USD")[0][-1]:
        assert beyond.change is None and "after the last" in beyond.reason


def test_evr004_walcl_change_in_dollars_and_percent(snapshot_store, page):
    walcl = snapshot_store.get("WALCL").values
    asset = es.Asset("WALCL", "WALCL", "log", get_info("WALCL").units)
    data = read_csv("WALCL")
    for episode in main_episodes():
        cell = es.event_change(walcl, asset, episode, "end")
        start = close_at(data, episode.start)
        end = close_at(data, episode.end or data[0][-1])
        assert cell.end.value - cell.start.value == pytest.approx(end[1] - start[1])
        assert cell.change == pytest.approx((end[1] / start[1] - 1) * 100)


@requires_shared
def test_evr005_claims_use_the_qe_episodes_and_the_stated_rule(snapshot_store, page):
    series = {sid: snapshot_store.get(sid).values for sid in page.STUDY_ASSETS}
    qe = [e for e in main_episodes() if e.kind == "QE"]
    cells = es.event_study(series, page.study_assets(), qe)
    for claim in es.episodes_page_claims():
        check = es.check_claim(claim, cells)
        measured = {}
        for episode in qe:
            value = expected_change(claim.asset_id, episode.start, add_months(episode.start, 12))
            if value is not None:
                measured[episode.id] = value
        assert {c.episode_id: c.change for c in check.measured} == pytest.approx(measured)
        low = -float("inf") if claim.low is None else claim.low
        high = float("inf") if claim.high is None else claim.high
        inside = [v for v in measured.values() if low <= v <= high and v != 0]
        if not measured:
            expected = es.NO_DATA
        elif len(inside) == len(measured):
            expected = es.HOLDS
        elif inside:
            expected = es.PARTLY
        else:
            expected = es.FAILS
        assert check.verdict == expected, claim.id


@requires_shared
def test_evr006_paths_are_closes_over_the_start_close(snapshot_store, page):
    spy = snapshot_store.get("SPY").values
    asset = next(a for a in page.study_assets() if a.id == "SPY")
    data = read_csv("SPY")
    for episode in main_episodes():
        path = es.episode_path(spy, asset, episode.start)
        start = close_at(data, episode.start)
        for offset in (-60, 45, 200, 365):
            point = close_at(data, episode.start + timedelta(days=offset))
            if point is None:
                assert path.isna().loc[offset]
            else:
                assert path.loc[offset] == pytest.approx(point[1] / start[1] * 100)


@requires_shared
def test_evr007_page_layout_shows_the_measured_numbers(snapshot_store, page):
    from dashboard.figures.compare import format_change

    layout = page.layout()
    text = str(layout)
    qe1 = next(e for e in main_episodes() if e.id == "QE1")
    spx = expected_change("SPY", qe1.start, add_months(qe1.start, 12))
    assert format_change(spx, "%") in text
    assert page.CLAIMS in text and page.TABLE in text
    odd = page.layout(asset="NOPE", window="99y")
    assert "Unknown asset 'NOPE'" in str(odd) and "Unknown window '99y'" in str(odd)
