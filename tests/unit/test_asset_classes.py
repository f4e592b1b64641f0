"""The asset-class reference: every catalog series has a class, every asset class the issue
names has a QE and a QT claim, and class claims are judged per asset like the Episodes page."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.analytics import event_study as es
from dashboard.catalog import SERIES, get_info
from dashboard.episodes import Episode

NAMED_CLASSES = (
    "equities",
    "long_treasuries",
    "short_treasuries",
    "tips",
    "ig_credit",
    "hy_credit",
    "gold",
    "oil_gas",
    "crypto",
    "dollar",
    "fin_conditions",
)


def test_acl001_every_catalog_series_has_a_class():
    classes = es.load_asset_classes()
    missing = [info.id for info in SERIES if info.id not in classes]
    assert missing == []


def test_acl002_every_named_class_has_a_qe_and_a_qt_claim_in_its_members_units():
    classes = es.load_asset_classes()
    for name in NAMED_CLASSES:
        members = [sid for sid, c in classes.items() if c.id == name]
        assert members, name
        for kind in es.STUDY_KINDS:
            claim = es.class_claim(name, kind)
            assert claim is not None, (name, kind)
            assert claim.horizon_months == 12
    # a range with a bound other than 0 is only meaningful if every member measures change
    # in the claim's unit (a sign-only claim, bounded at 0, holds across units)
    for name in {c.id for c in classes.values()}:
        units = set()
        for sid, c in classes.items():
            if c.id == name and sid in {s.id for s in SERIES}:
                info = get_info(sid)
                units.add(es.change_unit(info.change_kind, info.units)[1])
        for kind in es.STUDY_KINDS:
            claim = es.class_claim(name, kind)
            if claim is not None and {claim.low, claim.high} - {None, 0}:
                assert units <= {claim.unit}, (name, kind)


def test_acl003_direction_of_open_ranges():
    up = es.Claim("u", "", "up", 12, 0, None, "%")
    down = es.Claim("d", "", "down", 12, None, 0, "bp")
    weaker = es.Claim("w", "", "weaker", 12, -15, -5, "%")
    assert (up.direction, down.direction, weaker.direction) == (1, -1, -1)


def _episode(id_: str, kind: str, start: date, end: date) -> Episode:
    return Episode(id_, id_, kind, None, start, start, end, "", "")


def test_acl004_build_study_median_hits_and_verdict_from_a_hand_written_series():
    days = pd.date_range("2020-01-01", "2023-12-31", freq="D")
    # 100 until mid-2021, then 130: up 30 % a year after a 2020-06-01 start, flat after 2022.
    values = pd.Series([100.0 if d < pd.Timestamp("2021-01-01") else 130.0 for d in days], days)
    asset = es.Asset("SPY", "SPY", "log", "U.S. Dollars per share")
    episodes = (
        _episode("E1", "QE", date(2020, 6, 1), date(2020, 12, 1)),
        _episode("E2", "QE", date(2022, 1, 3), date(2022, 6, 1)),
        _episode("T1", "QT", date(2021, 3, 1), date(2021, 9, 1)),
    )
    study = es.build_study({"SPY": values}, [asset], episodes)
    qe = study.summary("SPY", "QE")
    assert [c.change for c in qe.changes("12m")] == pytest.approx([30.0, 0.0])
    assert qe.median("12m") == pytest.approx(15.0)
    assert qe.hits("12m") == (1, 2)  # 0 % is not a rise
    assert qe.claim.text.startswith("S&P 500 gains") and qe.verdict == es.PARTLY
    qt = study.summary("SPY", "QT")
    assert qt.hits("12m") == (0, 1) and qt.verdict == es.FAILS
    # beyond the data: n/a, not the last value carried forward
    late = es.build_study(
        {"SPY": values}, [asset], (_episode("E3", "QE", date(2023, 6, 1), date(2023, 9, 1)),)
    )
    assert late.summary("SPY", "QE").changes("12m") == []
    assert late.summary("SPY", "QE").verdict == es.NO_DATA
