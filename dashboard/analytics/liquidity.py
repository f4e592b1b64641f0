"""Net liquidity explained: its weekly change split into what WALCL, the Treasury account
(TGA) and the reverse repo (RRP) each did. Pure: series in, a frame of $ billions out.

Net liquidity = WALCL − TGA − RRP, so its change from one Wednesday to the next is
ΔWALCL − ΔTGA − ΔRRP exactly. A positive contribution added liquidity that week (the Fed's
balance sheet grew, or cash left the TGA or the reverse repo); a negative one drained it.
"""

from __future__ import annotations

import pandas as pd

from dashboard.data.derived import net_liquidity_parts

COMPONENTS = ("walcl", "tga", "rrp")  # the contribution columns, in drawing order
WEEK_DAYS = 7
DEFAULT_WEEKS = 26


def net_liquidity_contributions(
    walcl: pd.Series, tga: pd.Series, rrp: pd.Series, weeks: int = DEFAULT_WEEKS
) -> pd.DataFrame:
    """For each of the last `weeks` Wednesdays: `walcl` = ΔWALCL, `tga` = −ΔTGA, `rrp` =
    −ΔRRP and `net` = Δ(net liquidity), all in $ billions, indexed by the Wednesday.

    Inputs in FRED units (WALCL and WTREGEN in millions, weekly; RRPONTSYD in billions,
    daily), aligned exactly as the app builds NETLIQ (`net_liquidity_parts`). A change is
    only taken between Wednesdays seven days apart: a week missing from WALCL or the TGA
    leaves a gap rather than a two-week change passed off as one.
    """
    parts = net_liquidity_parts(walcl, tga, rrp)
    level = parts["walcl"] - parts["tga"] - parts["rrp"]  # NETLIQ, as data/derived.py has it
    step = parts.index.to_series().diff().dt.days
    weekly = step == WEEK_DAYS
    out = (
        pd.DataFrame(
            {
                "walcl": parts["walcl"].diff(),
                "tga": -parts["tga"].diff(),
                "rrp": -parts["rrp"].diff(),
                "net": level.diff(),
            }
        )[weekly]
        / 1000.0
    )
    out.index.name = "date"
    return out.tail(max(int(weeks), 0)) if weeks else out.iloc[0:0]
