"""Correlation of paired weekly changes for the Compare page: over fixed windows, rolling,
by lead or lag (with its verdict and sentence), and the least-squares fit of the scatter.

Input is the frame `compare.pair_weekly_changes` builds: columns "a" and "b" on the
Wednesday grid (as-of levels, no look-ahead), NaN where a week is missing for one series.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

SIGNIFICANCE_Z = 1.96  # two-sided 5 % band for a correlation under no relation: ±1.96/√n
# The same 5 % spread over the 53 lags tested (Bonferroni, 0.05/53 two-sided): a peak beyond
# this is not explained by having looked at many lags.
BONFERRONI_Z = 3.30


@dataclass(frozen=True)
class Correlation:
    """Pearson correlation of paired weekly changes; `r` is NaN with fewer than 3 pairs."""

    label: str
    r: float
    n: int
    first: date | None
    last: date | None

    @property
    def band(self) -> float:
        """Half-width of the 5 % band for no correlation, 1.96/√n (NaN if n = 0)."""
        return SIGNIFICANCE_Z / math.sqrt(self.n) if self.n else float("nan")

    @property
    def significant(self) -> bool:
        return self.n >= 3 and abs(self.r) > self.band


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    if x.size < 3:
        return float("nan")
    xd, yd = x - x.mean(), y - y.mean()
    denom = math.sqrt(float((xd * xd).sum()) * float((yd * yd).sum()))
    return float((xd * yd).sum() / denom) if denom > 0 else float("nan")


def correlation(
    changes: pd.DataFrame, label: str, since: pd.Timestamp | None = None
) -> Correlation:
    """Correlation of columns "a" and "b" over rows dated after `since` (all rows if None),
    using only weeks where both changes exist."""
    rows = changes.dropna()
    if since is not None:
        rows = rows[rows.index > since]
    if rows.empty:
        return Correlation(label, float("nan"), 0, None, None)
    r = _pearson(rows["a"].to_numpy(), rows["b"].to_numpy())
    return Correlation(label, r, len(rows), rows.index[0].date(), rows.index[-1].date())


def correlation_windows(changes: pd.DataFrame) -> list[Correlation]:
    """Correlation over the last 52 weekly changes ("1Y"), the last 156 ("3Y") and the full
    overlap, each window ending at the last grid week."""
    if changes.empty:
        return [Correlation(k, float("nan"), 0, None, None) for k in ("1Y", "3Y", "Full")]
    end = changes.index[-1]
    return [
        correlation(changes, "1Y", end - pd.Timedelta(weeks=52)),
        correlation(changes, "3Y", end - pd.Timedelta(weeks=156)),
        correlation(changes, "Full", None),
    ]


def rolling_correlation(changes: pd.DataFrame, window: int = 52, min_pairs: int = 40) -> pd.Series:
    """Correlation over each trailing window of `window` grid weeks (ending at the row's
    date), from the weeks where both changes exist; NaN when fewer than `min_pairs` pairs."""
    a = changes["a"].where(changes["b"].notna())
    b = changes["b"].where(changes["a"].notna())
    result = a.rolling(window, min_periods=min_pairs).corr(b)
    result.name = "r"
    return result


@dataclass(frozen=True)
class LeadLag:
    """Cross-correlation of weekly changes by lag. At lag k, r = corr(a[t], b[t + k]):
    k > 0 means a's move comes k weeks before the matching move of b (a leads)."""

    table: pd.DataFrame  # index "lag" (weeks); columns r, n, band
    peak_lag: int | None
    peak_r: float
    peak_n: int
    peak_band: float

    @property
    def significant(self) -> bool:
        return self.peak_lag is not None and abs(self.peak_r) > self.peak_band

    @property
    def crossings(self) -> int:
        """How many lags have |r| above their band."""
        return int((self.table["r"].abs() > self.table["band"]).sum())


def cross_correlation(changes: pd.DataFrame, max_lag: int = 26, min_pairs: int = 20) -> LeadLag:
    """r, number of pairs and the ±1.96/√n band at each lag −max_lag … +max_lag; the peak
    is the lag with the largest |r| (among lags with at least `min_pairs` pairs)."""
    a, b = changes["a"].to_numpy(), changes["b"].to_numpy()
    size = a.size
    rows = []
    for lag in range(-max_lag, max_lag + 1):
        # Pair a[t] with b[t + lag] on plain arrays (a DataFrame per lag costs ~20x more).
        if lag >= 0:
            x, y = a[: max(size - lag, 0)], b[lag:]
        else:
            x, y = a[-lag:], b[: max(size + lag, 0)]
        both = ~(np.isnan(x) | np.isnan(y))
        x, y = x[both], y[both]
        n = int(x.size)
        r = _pearson(x, y) if n >= min_pairs else np.nan
        band = SIGNIFICANCE_Z / math.sqrt(n) if n else np.nan
        rows.append((lag, r, n, band))
    table = pd.DataFrame(rows, columns=["lag", "r", "n", "band"]).set_index("lag")
    valid = table["r"].dropna()
    if valid.empty:
        return LeadLag(table, None, float("nan"), 0, float("nan"))
    peak = int(valid.abs().idxmax())
    row = table.loc[peak]
    return LeadLag(table, peak, float(row["r"]), int(row["n"]), float(row["band"]))


def lead_lag_verdict(result: LeadLag) -> str:
    """"none" (no measurable peak), "unreliable", "weak" or "reliable".

    Unreliable: the peak is inside its 5 % band, or no more lags clear the band than chance
    alone would give (5 % of those tested, rounded up) and the peak does not clear the stricter
    Bonferroni band for that many tries either: with 53 lags tested, two or three clear the
    5 % band by luck, so one of them being the peak says nothing. Weak: significant and more
    crossings than chance, but not twice as many. Reliable otherwise."""
    if result.peak_lag is None:
        return "none"
    if not result.significant:
        return "unreliable"
    tested = int(result.table["r"].notna().sum())
    expected = 0.05 * tested
    strict = BONFERRONI_Z * result.peak_band / SIGNIFICANCE_Z
    # "about 3 would by chance" and 3 found is no more than chance: compare whole lags
    if result.crossings <= math.ceil(expected) and abs(result.peak_r) <= strict:
        return "unreliable"
    if result.crossings <= 2 * expected and abs(result.peak_r) <= strict:
        return "weak"
    return "reliable"


def lead_lag_sentence(result: LeadLag, name_a: str, name_b: str) -> str:
    """One plain sentence that starts with its verdict (see `lead_lag_verdict`): who leads,
    by how many weeks, in which direction, and how the peak and the count of lags clearing
    the ±1.96/√n band compare with chance."""
    verdict = lead_lag_verdict(result)
    if verdict == "none":
        return "Too few overlapping weeks to measure a lead or lag."
    lag, r = result.peak_lag, result.peak_r
    direction = "in the same direction" if r > 0 else "in the opposite direction"
    weeks = f"{abs(lag)} week{'s' if abs(lag) != 1 else ''}"
    if lag > 0:
        lead = f"{name_a} leads {name_b} by {weeks}: {name_b} tends to move {direction} {weeks} after {name_a}"
        link = f"{name_a} leading {name_b} by {weeks} ({direction})"
    elif lag < 0:
        lead = f"{name_b} leads {name_a} by {weeks}: {name_a} tends to move {direction} {weeks} after {name_b}"
        link = f"{name_b} leading {name_a} by {weeks} ({direction})"
    else:
        lead = f"Neither leads: the strongest link is within the same week, {direction}"
        link = f"within the same week ({direction})"
    stats = f"peak r = {r:+.2f} over {result.peak_n} weeks, 5 % band ±{result.peak_band:.2f}"
    crossings, tested = result.crossings, int(result.table["r"].notna().sum())
    expected = 0.05 * tested
    chance = (
        f"{crossings} of {tested} lags clear the band where about {expected:.0f} would by "
        f"chance alone"
    )
    if verdict == "unreliable":
        if not result.significant:
            return (
                f"No reliable lead or lag: the strongest link, {link}, is inside the band "
                f"({stats}); {chance}."
            )
        return (
            f"No reliable lead or lag: {chance}, so the peak, {link}, may be one of "
            f"them ({stats})."
        )
    if verdict == "weak":
        return f"Weak evidence of a lead: {lead} ({stats}); {chance}."
    return f"{lead} ({stats}). The peak is significant at the 5 % level and {chance}."


@dataclass(frozen=True)
class LinearFit:
    """Least-squares line b = intercept + slope × a through paired weekly changes."""

    slope: float
    intercept: float
    r2: float
    n: int


def linear_fit(changes: pd.DataFrame) -> LinearFit:
    """Ordinary least squares of column "b" on column "a" over weeks where both exist;
    R² = r² for a one-regressor fit. NaN fields with fewer than 3 pairs or no spread in a."""
    rows = changes.dropna()
    x, y = rows["a"].to_numpy(), rows["b"].to_numpy()
    n = x.size
    if n < 3:
        return LinearFit(float("nan"), float("nan"), float("nan"), n)
    xd = x - x.mean()
    sxx = float((xd * xd).sum())
    if sxx == 0:
        return LinearFit(float("nan"), float("nan"), float("nan"), n)
    slope = float((xd * (y - y.mean())).sum()) / sxx
    intercept = float(y.mean() - slope * x.mean())
    r = _pearson(x, y)
    return LinearFit(slope, intercept, r * r, n)
