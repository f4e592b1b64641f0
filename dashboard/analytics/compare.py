"""Pair statistics for the Compare page: period changes, 90-day statistics, correlation of
weekly changes (full, rolling and lagged), the z-scored spread and the scatter fit.

Inputs are level series as the data layer hands them out (float64, DatetimeIndex, real
observations only, sorted). Every "as of" value is the latest observation dated on or before
the date in question; nothing here looks ahead.

How a move is measured follows the catalog's `change_kind`:
- "log" (prices, balances): period changes in percent, (end / base − 1) × 100; weekly changes
  as log changes × 100 ("log %", close to percent for small moves).
- "diff" (rates, spreads, indices): differences in the series' own units; series quoted in
  percent are shown in basis points (× 100).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from dashboard.data.align import asof_join, wednesday_grid

LOG, DIFF = "log", "diff"
PERCENT_UNITS = "Percent"
BP_UNITS = "Basis points"
WEEKLY_MAX_AGE_DAYS = 7  # a weekly grid point may use an observation up to a week old
BASE_MAX_AGE_DAYS = 14  # the base of a period change must be near its date (no long gaps)
PERIODS: tuple[tuple[str, pd.DateOffset | None], ...] = (
    ("1W", pd.DateOffset(weeks=1)),
    ("1M", pd.DateOffset(months=1)),
    ("3M", pd.DateOffset(months=3)),
    ("YTD", None),  # base: as of 31 December of the previous year
    ("1Y", pd.DateOffset(years=1)),
)
RANGES: dict[str, pd.DateOffset | None] = {
    "1Y": pd.DateOffset(years=1),
    "3Y": pd.DateOffset(years=3),
    "5Y": pd.DateOffset(years=5),
    "10Y": pd.DateOffset(years=10),
    "MAX": None,
}
SIGNIFICANCE_Z = 1.96  # two-sided 5 % band for a correlation under no relation: ±1.96/√n
# The same 5 % spread over the 53 lags tested (Bonferroni, 0.05/53 two-sided): a peak beyond
# this is not explained by having looked at many lags.
BONFERRONI_Z = 3.30


# ---- units ------------------------------------------------------------------------------
def change_unit(change_kind: str, units: str) -> tuple[float, str]:
    """How a change of a series is expressed: (multiplier, unit label).

    "log" → (100, "%"); "diff" of a series in percent → (100, "bp"); "diff" of a series in
    basis points → (1, "bp"); any other "diff" → (1, the series' own units).
    """
    if change_kind == LOG:
        return 100.0, "%"
    if units == PERCENT_UNITS:
        return 100.0, "bp"
    if units == BP_UNITS:
        return 1.0, "bp"
    return 1.0, units


def weekly_change_unit(change_kind: str, units: str) -> str:
    """Axis label unit for weekly changes: "log %" for log changes, else as `change_unit`."""
    return "log %" if change_kind == LOG else change_unit(change_kind, units)[1]


# ---- as-of values -----------------------------------------------------------------------
@dataclass(frozen=True)
class Observation:
    """One real observation: the date it is dated and its value (series units)."""

    date: date
    value: float


def observation_asof(
    series: pd.Series, day: date | pd.Timestamp, max_age_days: int | None = None
) -> Observation | None:
    """The latest observation dated on or before `day`, or None if there is none or it is
    more than `max_age_days` older than `day`."""
    obs = series.dropna()
    day = pd.Timestamp(day)
    # Same rule as align.asof_join, for one date without building a frame.
    position = int(obs.index.searchsorted(day, side="right")) - 1
    if position < 0:
        return None
    used = obs.index[position]
    if max_age_days is not None and (day - used).days > max_age_days:
        return None
    return Observation(used.date(), float(obs.iloc[position]))


def measure_change(base: float, end: float, change_kind: str, units: str) -> float | None:
    """The change from `base` to `end`: percent for "log" series (None if base ≤ 0), else the
    difference scaled as `change_unit` says (basis points for series in percent)."""
    scale, _ = change_unit(change_kind, units)
    if change_kind == LOG:
        if base <= 0:
            return None
        return (end / base - 1.0) * scale
    return (end - base) * scale


# ---- side-by-side summary ---------------------------------------------------------------
@dataclass(frozen=True)
class PeriodChange:
    """Change over a named period ending at the series' last observation."""

    label: str
    base: Observation | None  # None: the series does not reach back that far
    end: Observation
    change: float | None  # in `unit`
    unit: str


def period_base_date(label: str, last: pd.Timestamp) -> pd.Timestamp:
    """The date whose as-of value is the base of period `label` ending at `last`."""
    offset = dict(PERIODS)[label]
    if offset is None:
        return pd.Timestamp(year=last.year - 1, month=12, day=31)
    return last - offset


def period_changes(series: pd.Series, change_kind: str, units: str) -> list[PeriodChange]:
    """Changes over 1W, 1M, 3M, YTD and 1Y up to the last observation of `series`.

    The base of each period is the observation as of (on or before) the period's start,
    at most `BASE_MAX_AGE_DAYS` old. Empty list for an empty series.
    """
    obs = series.dropna()
    if obs.empty:
        return []
    last = obs.index[-1]
    end = Observation(last.date(), float(obs.iloc[-1]))
    unit = change_unit(change_kind, units)[1]
    out = []
    for label, _ in PERIODS:
        base = observation_asof(obs, period_base_date(label, last), BASE_MAX_AGE_DAYS)
        change = None if base is None else measure_change(base.value, end.value, change_kind, units)
        out.append(PeriodChange(label, base, end, change, unit))
    return out


@dataclass(frozen=True)
class WindowStats:
    """Statistics of the levels in the last `days` calendar days (series units), and the
    change over the window (in `change_unit`)."""

    days: int
    first: date
    last: date
    count: int
    mean: float
    min: float
    max: float
    std: float  # sample standard deviation (ddof=1); NaN with one observation
    change: float | None
    change_unit: str


def window_stats(series: pd.Series, change_kind: str, units: str, days: int = 90) -> WindowStats:
    """Mean, min, max and sample std of the observations dated in (last − days, last], and
    the change from the observation as of `last − days` to the last one. Raises ValueError
    on an empty series."""
    obs = series.dropna()
    if obs.empty:
        raise ValueError("no observations")
    last = obs.index[-1]
    start = last - pd.Timedelta(days=days)
    window = obs[obs.index > start]
    base = observation_asof(obs, start, BASE_MAX_AGE_DAYS)
    change = (
        None
        if base is None
        else measure_change(base.value, float(obs.iloc[-1]), change_kind, units)
    )
    return WindowStats(
        days=days,
        first=window.index[0].date(),
        last=last.date(),
        count=int(window.size),
        mean=float(window.mean()),
        min=float(window.min()),
        max=float(window.max()),
        std=float(window.std(ddof=1)) if window.size > 1 else float("nan"),
        change=change,
        change_unit=change_unit(change_kind, units)[1],
    )


# ---- weekly changes on the Wednesday grid -----------------------------------------------
def overlap_grid(a: pd.Series, b: pd.Series) -> pd.DatetimeIndex:
    """Wednesdays from the later of the two first observations to the earlier of the two
    last ones (empty when the series do not overlap)."""
    a, b = a.dropna(), b.dropna()
    if a.empty or b.empty:
        return pd.DatetimeIndex([], name="date")
    start, end = max(a.index[0], b.index[0]), min(a.index[-1], b.index[-1])
    if start > end:
        return pd.DatetimeIndex([], name="date")
    return wednesday_grid(start, end)


def weekly_levels(series: pd.Series, grid: pd.DatetimeIndex) -> pd.Series:
    """Level as of each grid Wednesday (latest observation on or before it, at most
    `WEEKLY_MAX_AGE_DAYS` old; NaN otherwise)."""
    return asof_join(series, grid, WEEKLY_MAX_AGE_DAYS)["value"]


def weekly_changes(series: pd.Series, change_kind: str, units: str, grid) -> pd.Series:
    """Week-over-week change of the as-of Wednesday levels: log change × 100 for "log"
    series (non-positive levels give NaN), else the difference scaled to basis points for
    series in percent (native units otherwise). Indexed by `grid`; the first row is NaN."""
    levels = weekly_levels(series, grid)
    if change_kind == LOG:
        logs = np.log(levels.where(levels > 0))
        return logs.diff() * 100.0
    scale, _ = change_unit(change_kind, units)
    return levels.diff() * scale


def pair_weekly_changes(
    a: pd.Series, kind_a: str, units_a: str, b: pd.Series, kind_b: str, units_b: str
) -> pd.DataFrame:
    """Weekly changes of both series on their common Wednesday grid: columns "a" and "b"
    (NaN where a week is missing for one of them)."""
    grid = overlap_grid(a, b)
    return pd.DataFrame(
        {
            "a": weekly_changes(a, kind_a, units_a, grid),
            "b": weekly_changes(b, kind_b, units_b, grid),
        },
        index=grid,
    )


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


# ---- spread view and scatter ------------------------------------------------------------
def range_start(end: pd.Timestamp, range_key: str, first: pd.Timestamp) -> pd.Timestamp:
    """Start of the visible range `range_key` (a key of RANGES) ending at `end`, never
    before `first`."""
    offset = RANGES.get(range_key)
    if offset is None:
        return first
    return max(first, end - offset)


def zscore_spread(a: pd.Series, kind_a: str, b: pd.Series, kind_b: str, start, end) -> pd.DataFrame:
    """Both series as of each Wednesday in [start, end], z-scored over the weeks where both
    exist: z = (x − mean) / std (population std, ddof=0), where x is the log level for "log"
    series and the level otherwise. Columns za, zb and spread = za − zb (in σ units)."""
    grid = wednesday_grid(pd.Timestamp(start), pd.Timestamp(end))
    levels = pd.DataFrame({"a": weekly_levels(a, grid), "b": weekly_levels(b, grid)}, index=grid)
    for col, kind in (("a", kind_a), ("b", kind_b)):
        if kind == LOG:
            levels[col] = np.log(levels[col].where(levels[col] > 0))
    levels = levels.dropna()
    out = pd.DataFrame(index=levels.index)
    for col in ("a", "b"):
        x = levels[col]
        std = x.std(ddof=0)
        out["z" + col] = (x - x.mean()) / std if std > 0 else np.nan
    out["spread"] = out["za"] - out["zb"]
    return out


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
