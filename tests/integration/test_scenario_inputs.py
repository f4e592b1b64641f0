"""What the scenario lab reads through the data layer: the real folder (bills and agency debt
missing, said so) and a fresh clone with only the bundled snapshot (no holdings: a message)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.analytics import scenario_inputs
from dashboard.analytics import scenarios as sc
from tests.conftest import SHARED_SERIES, requires_series


def read(series_id: str) -> pd.Series:
    frame = pd.read_csv(SHARED_SERIES / f"{series_id}.csv", index_col=0, parse_dates=True)
    return pd.to_numeric(frame.iloc[:, 0], errors="coerce").dropna()


@requires_series("TREAST", "WSHOMCB", "THREEFYTP10", "DGS10")
def test_real_folder_history_growth_and_start(snapshot_store):
    inputs = scenario_inputs.load_inputs()
    assert inputs.problem == ""
    assert sc.NOTE_NO_BILLS in inputs.notes and sc.NOTE_NO_AGENCY in inputs.notes
    treasuries, mbs, gdp = read("TREAST"), read("WSHOMCB"), read("GDP")
    last = treasuries.index.intersection(mbs.index)[-1]
    assert inputs.history.pct_gdp.index[-1] == last
    # units: millions / 1000 = billions, over billions of GDP, in percent
    assert inputs.start.pct_gdp == pytest.approx(
        (treasuries[last] + mbs[last]) / 1000 / gdp.iloc[-1] * 100
    )
    assert inputs.default_growth == pytest.approx(gdp.iloc[-1] / gdp.iloc[-5] - 1)
    window = mbs.loc[last - pd.Timedelta(weeks=26):last]
    pace = (window.iloc[0] - window.iloc[-1]) / 1000 / (window.index[-1] - window.index[0]).days
    assert inputs.start.mbs_pace_bn_month == pytest.approx(pace * 365.25 / 12)
    assert set(inputs.context) == {"THREEFYTP10", "DGS10"}
    # memoised per data version: the same object while the data are unchanged
    assert scenario_inputs.load_inputs() is inputs


def test_bundled_snapshot_only_says_what_is_missing(bundled_only):
    inputs = scenario_inputs.load_inputs()
    assert inputs.start is None and inputs.history is None
    assert "TREAST" in inputs.problem and "WSHOMCB" in inputs.problem
    assert "cannot be put in % of GDP" in inputs.problem
