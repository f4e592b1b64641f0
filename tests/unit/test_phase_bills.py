"""Phase 3 (full QE) needs duration bought: coupon Treasuries or MBS, not bills.

Bill purchases grow the balance sheet as fast as QE but add no duration (April–May 2026:
WALCL up $100B+ in 13 weeks from reserve-management bill purchases). With WSHOBL (bills held
outright) the rule leaves bills out and the banner shows bills and coupons apart; without it
the banner says bills cannot be separated.
"""

from __future__ import annotations

import importlib
from datetime import date

import pandas as pd

from dashboard.analytics import triggers as engine
from dashboard.episodes import Episode, main_episodes
from tests.conftest import requires_shared

QT = Episode("QTX", "QT test", "QT", None, date(2023, 12, 1), date(2023, 12, 1), None, "", "")
START = "2024-01-03"  # a Wednesday


def weekly(values) -> pd.Series:
    days = pd.date_range(START, periods=len(values), freq="7D")
    return pd.Series(list(values), index=days, dtype="float64")


def _balance_sheet(bill_rise: float, coupon_rise: float):
    """40 weeks: WALCL falls 10,000 a week to week 20 (QT runoff), then grows by the
    purchases from week 26; Treasuries = bills + coupons; MBS drift down 1,000 a week."""
    weeks = range(40)
    bills = [200_000 + bill_rise * max(0, i - 26) for i in weeks]
    coupons = [3_800_000 + coupon_rise * max(0, i - 26) for i in weeks]
    walcl = [
        7_000_000 - 10_000 * min(i, 20) + (bill_rise + coupon_rise) * max(0, i - 26)
        for i in weeks
    ]
    treasuries = [b + c for b, c in zip(bills, coupons)]
    mbs = [2_000_000 - 1_000 * i for i in weeks]
    return weekly(walcl), weekly(treasuries), weekly(mbs), weekly(bills)


def test_phb001_bill_purchases_alone_are_not_full_qe():
    walcl, treasuries, mbs, bills = _balance_sheet(bill_rise=9_000, coupon_rise=0)
    # WALCL +117,000 over 13 weeks, all of it bills.
    separated = engine.phase_tracker(walcl, treasuries, mbs, [QT], bills=bills)
    assert separated.phase == 2 and separated.bills_separated and separated.note == ""
    detail = separated.evidence[2].detail
    assert "bills +$117B" in detail and "coupons $0M" in detail
    assert not separated.evidence[3].met
    # Without WSHOBL the same purchases look like QE, and the reading says why it cannot tell.
    blind = engine.phase_tracker(walcl, treasuries, mbs, [QT])
    assert blind.phase == 3 and not blind.bills_separated
    assert "cannot be separated" in blind.note


def test_phb002_coupon_purchases_are_full_qe():
    walcl, treasuries, mbs, bills = _balance_sheet(bill_rise=0, coupon_rise=9_000)
    reading = engine.phase_tracker(walcl, treasuries, mbs, [QT], bills=bills)
    assert reading.phase == 3 and reading.evidence[3].met
    assert "coupons +$117B" in reading.evidence[3].detail
    history = engine.phase_series(walcl, treasuries, mbs, [QT], bills=bills)
    expected = (history["walcl"] >= 100_000) & (
        (history["treasuries"] - history["bills"] > 5_000) | (history["mbs"] > 5_000)
    )
    assert (history["phase"] == 3).equals(expected)


def test_phb003_empty_bills_series_counts_as_missing():
    walcl, treasuries, mbs, _ = _balance_sheet(bill_rise=9_000, coupon_rise=0)
    empty = pd.Series(dtype="float64", index=pd.DatetimeIndex([]))
    reading = engine.phase_tracker(walcl, treasuries, mbs, [QT], bills=empty)
    assert not reading.bills_separated and "cannot be separated" in reading.note
    assert reading.to_json()["bills_separated"] is False


@requires_shared
def test_phb004_banner_on_real_data_says_bills_cannot_be_separated(snapshot_store, dash_app):
    page = importlib.import_module("dashboard.pages.triggers")
    values = {s: snapshot_store.get(s).values for s in ("WALCL", "TREAST", "WSHOMCB")}
    reading = engine.phase_tracker(
        values["WALCL"], values["TREAST"], values["WSHOMCB"], main_episodes(), bills=None
    )
    text = str(page.phase_banner(reading))
    assert "cannot be separated" in text and "Treasuries excluding bills" in text
    assert "Treasuries incl. bills" in text
