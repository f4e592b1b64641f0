"""FOMC meetings as data and the expected next H.4.1: the reference file checked against
facts known independently of it, a malformed file named by its line, the release-day rule
around holidays, and the chart markers built from both."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics.overview import (
    OverviewState,
    SeriesInput,
    parse_state,
    prepare_view,
    state_from_controls,
    state_to_query,
)
from dashboard.analytics.releases import SCHEDULE_URL, next_h41_release, release_for_week
from dashboard.catalog import get_info
from dashboard.figures.markers import (
    FOMC_META,
    H41_META,
    fomc_marker_parts,
    release_marker_parts,
)
from dashboard.figures.overview import overview_figure
from dashboard.fomc import UNSCHEDULED, load_fomc_meetings, meetings_between, parse_fomc_meetings

HEADER = "start,end,kind,statement_date,note,source\n"


def test_fom001_every_year_has_its_eight_scheduled_meetings():
    meetings = load_fomc_meetings()
    per_year = Counter(m.end.year for m in meetings if m.kind == "scheduled")
    # 2020: the 17-18 March meeting was replaced by the unscheduled one of Sunday 15 March.
    expected = {year: 8 for year in range(2003, 2028)} | {2020: 7}
    assert {y: per_year[y] for y in range(2003, 2028)} == expected
    assert meetings[0].start <= date(2002, 12, 18)  # covers WALCL from its first week


def test_fom002_known_meetings_and_the_emergency_ones():
    by_end = {m.end: m for m in load_fomc_meetings()}
    # Dates known independently (press releases, minutes): two-day and one-day meetings.
    assert by_end[date(2008, 12, 16)].start == date(2008, 12, 15)  # ZIRP
    assert by_end[date(2012, 9, 13)].start == date(2012, 9, 12)  # QE3, a Wed-Thu meeting
    assert by_end[date(2010, 11, 3)].start == date(2010, 11, 2)  # QE2
    assert by_end[date(2010, 8, 10)].start == date(2010, 8, 10)  # one-day meeting
    assert by_end[date(2026, 12, 9)].start == date(2026, 12, 8)
    unscheduled = {m.start: m.statement_date for m in load_fomc_meetings() if m.unscheduled}
    assert unscheduled == {
        date(2008, 1, 21): date(2008, 1, 22),  # announced before the open the next morning
        date(2008, 10, 7): date(2008, 10, 8),
        date(2020, 3, 3): date(2020, 3, 3),
        date(2020, 3, 15): date(2020, 3, 15),
    }
    assert date(2020, 3, 18) not in by_end  # cancelled


def test_fom003_file_is_sorted_unique_and_statements_close_the_meeting():
    meetings = load_fomc_meetings()
    starts = [m.start for m in meetings]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    for m in meetings:
        if m.kind == "scheduled":
            assert m.statement_date == m.end, m
        assert m.source.startswith("https://www.federalreserve.gov/"), m
    assert all(m.note for m in meetings if m.kind == UNSCHEDULED)


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        (
            "2020-01-28,2020-01-29,scheduled,2020-01-29,,x\n2020-03-15,2020-03-15,emergency,"
            "2020-03-15,,x\n",
            "line 3: unknown kind 'emergency'",
        ),
        ("2020-01-28,2020-1-32,scheduled,2020-01-29,,x\n", "line 2: end '2020-1-32'"),
        (
            "2020-01-28,2020-01-29,scheduled,2020-01-29,,x\n2020-01-28,2020-01-29,scheduled,"
            "2020-01-29,,x\n",
            "line 3: out of order or a duplicate",
        ),
        ("2020-01-28,2020-01-29,scheduled,2020-02-05,,x\n", "line 2: statement_date"),
        ("2020-01-28,2020-02-29,scheduled,2020-02-29,,x\n", "line 2: end must be"),
    ],
)
def test_fom004_a_malformed_file_names_the_bad_line(rows, words):
    with pytest.raises(ValueError, match=words):
        parse_fomc_meetings(HEADER + rows)
    with pytest.raises(ValueError, match="line 1: missing column"):
        parse_fomc_meetings("start,end\n2020-01-28,2020-01-29\n")


@pytest.mark.parametrize(
    ("now_utc", "expected", "moved"),
    [
        ("2026-12-02T22:00", "2026-12-03", False),  # Wednesday evening: tomorrow
        ("2026-12-03T21:29", "2026-12-03", False),  # 4:29 p.m. ET: still to come
        ("2026-12-03T21:31", "2026-12-10", False),  # 4:31 p.m. ET: out, next week's
        ("2026-11-24T12:00", "2026-11-27", True),  # Thanksgiving Thursday: Friday
        ("2024-12-23T12:00", "2024-12-27", True),  # Christmas on the Wednesday before
        ("2025-06-17T12:00", "2025-06-20", True),  # Juneteenth on Thursday
        ("2020-06-17T12:00", "2020-06-18", False),  # before Juneteenth was a holiday
        ("2026-07-01T12:00", "2026-07-02", False),  # 4 July on Saturday: no change
    ],
)
def test_h41001_next_release_follows_the_thursday_rule(now_utc, expected, moved):
    release = next_h41_release(datetime.fromisoformat(now_utc).replace(tzinfo=UTC))
    assert (release.day, release.moved) == (date.fromisoformat(expected), moved)
    assert release.day.weekday() in (3, 4)


def test_h41002_text_says_day_and_time():
    assert next_h41_release(datetime(2026, 12, 2, 22, tzinfo=UTC)).text() == (
        "Thu 2026-12-03, 4:30 p.m. ET"
    )
    assert release_for_week(date(2026, 12, 31)).day == date(2026, 12, 31)  # not a holiday


def test_mrk001_markers_tell_unscheduled_meetings_apart():
    meetings = meetings_between(load_fomc_meetings(), date(2020, 1, 1), date(2020, 6, 30))
    assert [m.statement_date.isoformat() for m in meetings] == [
        "2020-01-29",
        "2020-03-03",
        "2020-03-15",
        "2020-04-29",
        "2020-06-10",
    ]
    shapes, traces = fomc_marker_parts(meetings, "dark")
    assert len(shapes) == 5 and all(s["yref"] == "paper" for s in shapes)  # every panel
    by_name = {t["name"]: t for t in traces}
    assert by_name["FOMC (unscheduled)"]["x"] == ["2020-03-03", "2020-03-15"]
    assert (
        by_name["FOMC (unscheduled)"]["marker"]["color"]
        != by_name["FOMC meeting"]["marker"]["color"]
    )
    assert "FOMC 15 Mar 2020 (unscheduled)" in by_name["FOMC (unscheduled)"]["text"][1]
    assert {t["meta"] for t in traces} == {FOMC_META}

    (line,), (label,), (tick,) = release_marker_parts(
        next_h41_release(datetime(2026, 12, 2, 22, tzinfo=UTC))
    )
    assert line["x0"] == tick["x"][0] == "2026-12-03" and tick["meta"] == H41_META
    assert "expected" in tick["hovertemplate"] and SCHEDULE_URL in label["text"]


def _walcl_until(last: str):
    index = pd.date_range("2019-01-02", last, freq="7D", name="date")
    values = pd.Series(np.linspace(4e6, 7e6, len(index)), index=index)
    return {"WALCL": SeriesInput(get_info("WALCL"), values, index[-1].date(), "fresh")}


def test_mrk002_switches_round_trip_through_the_url():
    state, notices = parse_state({"fomc": "1", "h41": "1"}, [])
    assert state.fomc and state.h41 and notices == []
    assert state_to_query(state).endswith("&fomc=1&h41=1")
    query = state_to_query(OverviewState())
    assert "fomc" not in query and "h41" not in query  # off: older links read the same
    _, notices = parse_state({"fomc": "perhaps"}, [])
    assert any("fomc" in n for n in notices)
    from_controls, _ = state_from_controls(
        [], "MAX", "off", False, "axes", True, False, None, [], fomc=True, h41=["on"]
    )
    assert from_controls.fomc and from_controls.h41


@pytest.mark.parametrize("mode", ["axes", "stacked"])
def test_mrk003_chart_draws_the_meetings_and_the_next_release(mode):
    inputs = _walcl_until("2026-11-25")
    release = next_h41_release(datetime(2026, 12, 2, 22, tzinfo=UTC))
    state = OverviewState(overlays=(), mode=mode, fomc=True, h41=True, range="1Y")
    view = prepare_view(inputs, state, [], fomc_meetings=load_fomc_meetings(), next_release=release)
    assert [m.end.isoformat() for m in view.fomc][-2:] == ["2026-09-16", "2026-10-28"]
    assert view.h41 == release
    # an export builds the same figure from the same view: no range slider, fixed size
    for fig in (
        overview_figure(view, validate=True),
        overview_figure(view, rangeslider=False, width=1200, height=700, title="t"),
    ):
        names = [s.name for s in fig.layout.shapes]
        assert "fomc-2026-10-28" in names and "h41-next" in names
        assert fig.layout.xaxis.range[1] == "2026-12-04"  # stretched to show the release
        assert {t.meta for t in fig.data} >= {FOMC_META, H41_META}
        key = next(a for a in fig.layout.annotations if a.name == "episode-key")
        assert "FOMC" in key.text and "next H.4.1 (expected)" in key.text
    # a window that stops before the latest observation does not reach the release
    earlier = replace(state, date_to=date(2026, 6, 30))
    view = prepare_view(
        inputs, earlier, [], fomc_meetings=load_fomc_meetings(), next_release=release
    )
    assert view.h41 is None and view.fomc[-1].end == date(2026, 6, 17)
    off = prepare_view(
        inputs, OverviewState(overlays=()), [], (), (), load_fomc_meetings(), release
    )
    assert off.fomc == () and off.h41 is None
    assert "fomc-" not in str([s.name for s in overview_figure(off).layout.shapes])


def test_mrk004_a_long_window_keeps_ticks_but_not_two_hundred_lines():
    meetings = load_fomc_meetings()
    shapes, traces = fomc_marker_parts(meetings)
    assert sum(len(t["x"]) for t in traces) == len(meetings)  # every meeting still on hover
    assert sorted(s["x0"] for s in shapes) == [
        "2008-01-22",
        "2008-10-08",
        "2020-03-03",
        "2020-03-15",
    ]  # only the unscheduled ones keep a line
    five_years = meetings_between(meetings, date(2021, 1, 1), date(2025, 12, 31))
    assert len(fomc_marker_parts(five_years)[0]) == 40


def test_mrk005_svg_export_honours_the_switches(dash_app, snapshot_store):
    """The export builds from the controls' state, so the file has the markers when on."""
    import base64

    from dashboard.pages.overview import export_download

    def svg(**switches) -> str:
        data, _status = export_download(
            "svg", [], "3Y", "off", False, "axes", True, False, None, "light", **switches
        )
        return base64.b64decode(data["content"]).decode()

    on, off = svg(fomc=True), svg()
    assert "FOMC" in on and "FOMC" not in off
    assert on.count("<path") > off.count("<path")  # the lines and ticks are drawn
