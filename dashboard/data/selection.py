"""Which copy of a series wins: the newest offline file (with the others' older history in
front of it), and a fresh answer merged into what we hold (or refused)."""

from __future__ import annotations

import pandas as pd

SHORTER_BY_FAR = 0.5  # an answer with under half our rows over its own span is rejected


def newest_offline(held: list[tuple[pd.Series, str]]) -> tuple[pd.Series, str] | None:
    """(values, label) of the offline copy with the latest last observation, the first listed
    on a tie, extended backwards with the others' observations from before its first date."""
    held = [(values, label) for values, label in held if not values.empty]
    if not held:
        return None
    values, label = max(held, key=lambda item: item[0].index[-1])  # max keeps the first tie
    for other, _ in held:
        earlier = other[other.index < values.index[0]]
        if not earlier.empty:
            values = pd.concat([earlier, values])
            values.index.name = "date"
    return values, label


def merge_update(old: pd.Series, new: pd.Series) -> tuple[pd.Series, str | None]:
    """Combine what we hold with a fresh answer, or say why the answer is refused.

    The answer wins where it has dates (revisions); older history it no longer serves (ICE
    spreads on FRED now cover only ~3 years) is kept. An answer that ends before our last
    observation, or has far fewer rows than we hold over its own span, is refused.
    """
    if new.empty:
        return old, "the source answered with no observations; kept the data we had"
    if old.empty:
        return new, None
    if new.index[-1] < old.index[-1]:
        return old, (
            f"the source's data ends {new.index[-1].date()}, before ours "
            f"({old.index[-1].date()}); kept the data we had"
        )
    held = old.loc[new.index[0] : new.index[-1]]
    if len(held) >= 20 and len(new) < SHORTER_BY_FAR * len(held):
        return old, (
            f"the source sent {len(new)} rows where we hold {len(held)}; kept the data we had"
        )
    merged = pd.concat([old[old.index < new.index[0]], new])
    merged.index.name = "date"
    return merged, None
