"""Moved to the data layer (`dashboard/data/derived.py`); kept so old imports still work."""

from dashboard.data.derived import net_liquidity, sofr_minus_iorb

__all__ = ["net_liquidity", "sofr_minus_iorb"]
