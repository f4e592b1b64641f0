"""Series computed from other series: net liquidity and SOFR − IORB.

A derived series is a catalog row (source "derived", `source_id` naming its inputs, e.g.
"WALCL-WTREGEN-RRPONTSYD") plus a function here in `COMPUTE`, called with the inputs' values
in that order. The store computes it from whatever it holds for the inputs.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from dashboard.catalog import SERIES, SeriesInfo
from dashboard.data.align import asof_join


def net_liquidity_parts(walcl: pd.Series, tga: pd.Series, rrp: pd.Series) -> pd.DataFrame:
    """The three terms of net liquidity on its Wednesday grid, in millions of U.S. dollars:
    columns `walcl`, `tga` and `rrp` (see `net_liquidity` for the alignment). Net liquidity
    and its explanation by component (analytics/liquidity.py) both come from here, so the
    parts always add up to the series the app shows."""
    columns = ["walcl", "tga", "rrp"]
    weeks = walcl.dropna().index.intersection(tga.dropna().index)
    rrp = rrp.dropna()
    if rrp.empty or weeks.empty:
        return pd.DataFrame(
            columns=columns, index=pd.DatetimeIndex([], name="date"), dtype="float64"
        )
    weeks = weeks[weeks >= rrp.index[0]]
    rrp_asof = asof_join(rrp, weeks, max_age_days=6)["value"].fillna(0.0)
    parts = pd.DataFrame(
        {"walcl": walcl.loc[weeks], "tga": tga.loc[weeks], "rrp": rrp_asof * 1000.0}, index=weeks
    )
    parts.index.name = "date"
    return parts.astype("float64")


def net_liquidity(walcl: pd.Series, tga: pd.Series, rrp: pd.Series) -> pd.Series:
    """WALCL − WTREGEN − RRPONTSYD on the Wednesday grid, in millions of U.S. dollars.

    Inputs: WALCL and WTREGEN in millions (weekly, Wednesday), RRPONTSYD in billions (daily).
    Computed only on Wednesdays where WALCL and TGA both have an observation for that same
    Wednesday. RRP is taken as of the Wednesday (latest value in the week ending that Wednesday); a week
    with no RRP operation at all counts as zero (FRED leaves such days empty), but nothing is
    computed before the first RRP observation we hold, since its level there is unknown.
    """
    parts = net_liquidity_parts(walcl, tga, rrp)
    result = parts["walcl"] - parts["tga"] - parts["rrp"]
    result.index.name = "date"
    return result.astype("float64")


def sofr_minus_iorb(sofr: pd.Series, iorb: pd.Series) -> pd.Series:
    """SOFR − IORB in basis points, on SOFR's dates, with IORB as of each date.

    Inputs in percent. Only dates on or after IORB's first observation are kept, and IORB
    must be no older than 7 days (it is published every calendar day).
    """
    sofr = sofr.dropna()
    iorb_asof = asof_join(iorb, sofr.index, max_age_days=7)["value"]
    result = ((sofr - iorb_asof) * 100.0).dropna().round(6)
    result.index.name = "date"
    return result.astype("float64")


COMPUTE: dict[str, Callable[..., pd.Series]] = {
    "NETLIQ": net_liquidity,
    "SOFR_IORB": sofr_minus_iorb,
}
_MISSING = [s.id for s in SERIES if s.source == "derived" and s.id not in COMPUTE]
if _MISSING:  # a derived catalog row without its function: fail at start-up, not on a page
    raise ImportError(f"derived series without a function in dashboard/data/derived.py: {_MISSING}")


def compute(info: SeriesInfo, inputs: list[pd.Series]) -> pd.Series:
    """The derived series `info` from its inputs' values (in catalog order)."""
    return COMPUTE[info.id](*inputs)
