"""NBER recession shading on the Overview: the reference file, the USREC convention (month
after the peak through the trough month), the URL switch, and the shapes drawn."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics.overview import (
    OverviewState,
    SeriesInput,
    parse_state,
    prepare_view,
    state_to_query,
)
from dashboard.catalog import get_info
from dashboard.figures.overview import overview_figure
from dashboard.recessions import Recession, load_recessions, parse_recessions


def test_rec001_the_file_holds_the_nber_dates():
    recessions = load_recessions()
    assert len(recessions) == 8
    great = next(r for r in recessions if r.peak == date(2007, 12, 1))
    # USREC is 1 from January 2008 through June 2009.
    assert (great.start, great.end) == (date(2008, 1, 1), date(2009, 6, 30))
    covid = recessions[-1]
    assert (covid.start, covid.end) == (date(2020, 3, 1), date(2020, 4, 30))
    assert Recession(date(1973, 11, 1), date(1975, 3, 1)).end == date(1975, 3, 31)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("peak,trough\n2020-02,2019-04\n", "trough must follow the peak"),
        ("peak,trough\n2020-02,soon\n", "'soon' is not a YYYY-MM month"),
        ("peak,trough\n2020-02,2020-04\n2007-12,2009-06\n", "out of order"),
    ],
)
def test_rec002_a_bad_file_names_the_line(text, words):
    with pytest.raises(ValueError, match=words):
        parse_recessions(text)


def test_rec003_switch_round_trips_and_old_links_are_unchanged():
    state, notices = parse_state({"recessions": "1"}, [])
    assert state.recessions and notices == []
    assert state_to_query(state).endswith("&recessions=1")
    assert "recessions" not in state_to_query(OverviewState())
    _, notices = parse_state({"recessions": "maybe"}, [])
    assert any("recessions" in n for n in notices)


def test_rec004_shapes_for_the_recessions_in_the_window():
    index = pd.date_range("2006-01-04", "2021-12-29", freq="7D", name="date")
    walcl = pd.Series(np.linspace(0.8e6, 8e6, len(index)), index=index)
    inputs = {"WALCL": SeriesInput(get_info("WALCL"), walcl, index[-1].date(), "fresh")}
    on = prepare_view(
        inputs, OverviewState(overlays=(), recessions=True), [], (), load_recessions()
    )
    assert [r.peak.year for r in on.recessions] == [2007, 2020]
    fig = overview_figure(on, validate=True)
    shapes = {s.name: (s.x0, s.x1) for s in fig.layout.shapes if s.name.startswith("recession-")}
    assert shapes == {
        "recession-2007-12": ("2008-01-01", "2009-06-30"),
        "recession-2020-02": ("2020-03-01", "2020-04-30"),
    }
    key = next(a for a in fig.layout.annotations if a.name == "episode-key")
    assert "Recession (NBER)" in key.text
    off = prepare_view(inputs, OverviewState(overlays=()), [], (), load_recessions())
    assert off.recessions == ()
