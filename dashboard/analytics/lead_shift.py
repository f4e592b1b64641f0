"""Lead shift for the Compare page: series A moved N weeks later on the Wednesday grid, against
series B, and the correlation of their weekly changes at that shift.

Input is the aligned frame the lead/lag analysis uses (`compare.pair_weekly_changes`, cut to
the chosen range): columns "a" and "b" on consecutive Wednesdays, each the as-of level's weekly
change (no look-ahead). Shifting A by N weeks pairs A's change in week t with B's change in
week t + N, so the r at shift N is `cross_correlation`'s r at lag N, over the same pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.analytics.correlation import _pearson

SHIFT_LIMIT_WEEKS = 52  # a year either way: longer leads are not what the chart is for
MIN_PAIRS = 20  # as `cross_correlation`: fewer pairs give no r


@dataclass(frozen=True)
class ShiftedPair:
    """A's weekly changes `weeks` weeks later than they happened, against B's.

    `changes` is indexed by B's week; its column "a" holds A's change from `weeks` weeks
    before (NaN where that week is outside the aligned range)."""

    weeks: int
    changes: pd.DataFrame
    r: float  # Pearson r over the weeks where both exist; NaN with fewer than MIN_PAIRS
    n: int  # those weeks


def shifted_pair(aligned: pd.DataFrame, weeks: int, min_pairs: int = MIN_PAIRS) -> ShiftedPair:
    """Pair A's change in week t with B's change in week t + `weeks` (negative: B's earlier
    change), over the rows of `aligned` only."""
    changes = pd.DataFrame({"a": aligned["a"].shift(weeks), "b": aligned["b"]})
    both = changes.dropna()
    n = len(both)
    r = _pearson(both["a"].to_numpy(), both["b"].to_numpy()) if n >= min_pairs else float("nan")
    return ShiftedPair(weeks, changes, r, n)


def shifted_levels(
    levels_a: pd.Series, levels_b: pd.Series, weeks: int
) -> tuple[pd.Series, pd.Series]:
    """A's as-of weekly levels drawn `weeks` weeks later (A's value at t at t + `weeks`), and
    B's as they are; weeks without a value are left out."""
    a = levels_a.dropna()
    return a.set_axis(a.index + pd.Timedelta(weeks=weeks)), levels_b.dropna()


def clamp_shift(value: object) -> tuple[int, str | None]:
    """A whole number of weeks within ±SHIFT_LIMIT_WEEKS from a raw value (URL text, the
    number box, anything a browser sends), and a notice when the value had to change."""
    if value is None or value == "":
        return 0, None
    try:
        number = float(str(value).strip())
    except ValueError:
        return 0, f"Shift '{str(value)[:20]}' is not a number of weeks; showing no shift."
    if number != number:  # NaN
        return 0, "Shift is not a number of weeks; showing no shift."
    limit = SHIFT_LIMIT_WEEKS
    if abs(number) > limit:
        clamped = limit if number > 0 else -limit
        shown = f"{number:g}"[:20]
        return clamped, (
            f"Shift {shown} weeks is outside −{limit}…+{limit}; showing {signed(clamped)} weeks."
        )
    weeks = round(number)
    if weeks != number:
        return weeks, f"Shift {number:g} weeks rounded to {signed(weeks)} (whole weeks)."
    return weeks, None


def signed(weeks: int) -> str:
    """+13, −8, 0 (a true minus sign, as elsewhere on the page)."""
    return f"{'+' if weeks > 0 else '−' if weeks < 0 else ''}{abs(weeks)}"


def shift_label(label: str, weeks: int) -> str:
    """A series' name with its shift, e.g. "Net liquidity, shifted +13 wk"."""
    return label if weeks == 0 else f"{label}, shifted {signed(weeks)} wk"
