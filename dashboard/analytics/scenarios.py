"""Inputs of the portfolio-balance model from real data: the history of the Fed's longer-term
holdings as a share of nominal GDP, and quarterly holdings paths for today's policy choices.

Pure: pandas series in (H.4.1 holdings in millions of dollars, weekly; GDP in billions of
dollars, quarterly at a seasonally adjusted annual rate), numbers and frames out.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from dashboard.analytics.portfolio_balance import Path, run_model

MILLIONS_PER_BILLION = 1000.0
DAYS_PER_MONTH = 365.25 / 12
PACE_WINDOW_WEEKS = 26  # MBS paydown pace: the average decline over the last half year
GROWTH_QUARTERS = 4  # default nominal GDP growth: the last four quarters
MAX_HORIZON_Q = 200
MAX_CUSTOM_POINTS = 60

# Notes shown on the page when a component of longer-term holdings is not available.
NOTE_NO_BILLS = (
    "Bills not separable: WSHOBL (bills held outright) is unavailable, so Treasuries held "
    "outright include bills (overstates longer-term holdings by the bills the Fed holds)."
)
NOTE_NO_AGENCY = (
    "Agency debt omitted: WSHOFADSL is unavailable (small since 2020: about $2 billion)."
)


# ---- history -------------------------------------------------------------------------------
@dataclass(frozen=True)
class HoldingsHistory:
    """Longer-term holdings, weekly: `dollars_bn` (billions) and `pct_gdp` (percent of the
    GDP of each date's quarter), with the GDP used and what was left out."""

    dollars_bn: pd.Series
    pct_gdp: pd.Series
    gdp_bn: pd.Series  # GDP (SAAR, billions) applied to each date
    notes: tuple[str, ...] = ()
    components: tuple[str, ...] = ()


def _clean(series: pd.Series | None) -> pd.Series:
    if series is None:
        return pd.Series(dtype="float64", index=pd.DatetimeIndex([]))
    out = pd.to_numeric(series, errors="coerce").dropna()
    out.index = pd.DatetimeIndex(out.index)
    return out.sort_index()


def gdp_for_dates(gdp: pd.Series, dates: pd.DatetimeIndex) -> pd.Series:
    """The GDP of each date's quarter (FRED dates a quarter by its first day), or the latest
    published quarter for dates after the last release. NaN before the first quarter."""
    gdp = _clean(gdp)
    if gdp.empty:
        return pd.Series(np.nan, index=dates, dtype="float64")
    quarter_start = dates.to_period("Q").start_time
    positions = gdp.index.searchsorted(quarter_start, side="right") - 1
    values = np.where(positions >= 0, gdp.to_numpy()[np.clip(positions, 0, None)], np.nan)
    return pd.Series(values, index=dates, dtype="float64")


def longer_term_holdings(
    treasuries: pd.Series,
    mbs: pd.Series,
    gdp: pd.Series,
    bills: pd.Series | None = None,
    agency: pd.Series | None = None,
) -> HoldingsHistory:
    """SOMA holdings other than bills: Treasuries held outright − bills + MBS + agency debt
    (all in millions, weekly), in billions and in percent of nominal GDP.

    A missing (None or empty) bills or agency series is left out and said so in `notes`.
    Dates are those where Treasuries and MBS both have an observation; bills and agency debt
    are taken on the same Wednesday."""
    treasuries, mbs, gdp = _clean(treasuries), _clean(mbs), _clean(gdp)
    bills, agency = _clean(bills), _clean(agency)
    dates = treasuries.index.intersection(mbs.index)
    total = treasuries.loc[dates] + mbs.loc[dates]
    notes, parts = [], ["TREAST", "WSHOMCB"]
    if bills.empty:
        notes.append(NOTE_NO_BILLS)
    else:
        dates = dates.intersection(bills.index)
        total = total.loc[dates] - bills.loc[dates]
        parts.insert(1, "−WSHOBL")
    if agency.empty:
        notes.append(NOTE_NO_AGENCY)
    else:
        # agency debt stops being reported as a separate line in places: count gaps as zero
        total = total + agency.reindex(total.index).fillna(0.0)
        parts.append("WSHOFADSL")
    dollars = (total / MILLIONS_PER_BILLION).rename("holdings_bn")
    gdp_used = gdp_for_dates(gdp, dollars.index)
    pct = (dollars / gdp_used * 100.0).dropna().rename("holdings_pct_gdp")
    dollars.index.name = pct.index.name = gdp_used.index.name = "date"
    return HoldingsHistory(dollars, pct, gdp_used, tuple(notes), tuple(parts))


def annual_gdp_growth(gdp: pd.Series, quarters: int = GROWTH_QUARTERS) -> float | None:
    """Nominal GDP growth over the last `quarters` quarters, as an annual rate (0.05 = 5 %)."""
    gdp = _clean(gdp)
    if len(gdp) <= quarters or gdp.iloc[-1 - quarters] <= 0:
        return None
    ratio = gdp.iloc[-1] / gdp.iloc[-1 - quarters]
    return float(ratio ** (4.0 / quarters) - 1.0)


def mbs_paydown_pace(mbs: pd.Series, weeks: int = PACE_WINDOW_WEEKS) -> float | None:
    """Average monthly decline of MBS holdings over the last `weeks` weeks, billions a month
    (positive = running off). None with too little data."""
    mbs = _clean(mbs)
    if len(mbs) < 2:
        return None
    end = mbs.index[-1]
    start_at = mbs.index.searchsorted(end - pd.Timedelta(weeks=weeks))
    start = mbs.index[min(start_at, len(mbs) - 2)]
    days = (end - start).days
    if days <= 0:
        return None
    return float((mbs.loc[start] - mbs.iloc[-1]) / MILLIONS_PER_BILLION / days * DAYS_PER_MONTH)


# ---- paths -----------------------------------------------------------------------------
BILL_ONLY, QT, QE, MEMO_2010, CUSTOM = "bill_only", "qt", "qe", "memo2010", "custom"
PRESET_LABELS = {
    BILL_ONLY: "Bill-only reserve management (MBS run off)",
    QT: "QT restarted (Treasury cap a month)",
    QE: "QE: buy coupons and/or MBS for N months, then run off",
    MEMO_2010: "2010 memo shape: hold a year, then sell to normal (illustrative)",
    CUSTOM: "Custom path",
}
PRESETS = tuple(PRESET_LABELS)
QE_MIXES = {"coupons": (1.0, 0.0), "mbs": (0.0, 1.0), "both": (0.5, 0.5)}
MEMO_HOLD_QUARTERS = 4
MEMO_SALES_QUARTERS = 20


@dataclass(frozen=True)
class Start:
    """Where paths start (t = 0, the quarter of the last holdings observation)."""

    as_of: date
    coupons_bn: float  # Treasuries other than bills (with bills when they are not separable)
    mbs_bn: float
    agency_bn: float
    gdp_bn: float  # GDP applied at t = 0 (SAAR)
    mbs_pace_bn_month: float  # recent MBS paydowns

    @property
    def holdings_bn(self) -> float:
        return self.coupons_bn + self.mbs_bn + self.agency_bn

    @property
    def pct_gdp(self) -> float:
        return self.holdings_bn / self.gdp_bn * 100.0


@dataclass(frozen=True)
class PathSettings:
    horizon_q: int = 40  # T, in quarters
    normal_pct: float = 4.0  # x̄
    gdp_growth: float = 0.05  # nominal, annual
    qt_cap_bn: float = 25.0  # Treasury runoff a month
    qe_bn_month: float = 80.0
    qe_months: int = 12
    qe_mix: str = "both"
    custom_points: tuple[float, ...] = field(default_factory=tuple)


class PathError(ValueError):
    """Settings no path can be built from; the message is for the user."""


def start_from_history(history: HoldingsHistory, treasuries: pd.Series, mbs: pd.Series,
                       bills: pd.Series | None, agency: pd.Series | None) -> Start:
    """The t = 0 composition from the last observation of the history."""
    if history.pct_gdp.empty:
        raise PathError("No holdings history: the holdings or GDP series are unavailable.")
    last = history.pct_gdp.index[-1]

    def at(series: pd.Series | None) -> float:
        series = _clean(series)
        if series.empty:
            return 0.0
        return float(series.asof(last)) / MILLIONS_PER_BILLION

    pace = mbs_paydown_pace(_clean(mbs).loc[:last])
    return Start(
        as_of=last.date(),
        coupons_bn=at(treasuries) - at(bills),
        mbs_bn=at(mbs),
        agency_bn=at(agency),
        gdp_bn=float(history.gdp_bn.loc[last]),
        mbs_pace_bn_month=max(pace or 0.0, 0.0),
    )


def quarter_dates(start: date, horizon_q: int) -> tuple[date, ...]:
    """Quarter-end dates t = 0..T, t = 0 the end of `start`'s quarter."""
    first = pd.Period(pd.Timestamp(start), freq="Q")
    return tuple((first + t).end_time.date() for t in range(horizon_q + 1))


def _check(settings: PathSettings) -> None:
    if not (isinstance(settings.horizon_q, int) and 1 <= settings.horizon_q <= MAX_HORIZON_Q):
        raise PathError(f"The horizon T must be a whole number of quarters, 1 to {MAX_HORIZON_Q}.")
    for name, value in (("x̄", settings.normal_pct), ("GDP growth", settings.gdp_growth),
                        ("the QT cap", settings.qt_cap_bn), ("the QE amount", settings.qe_bn_month)):
        if not math.isfinite(value):
            raise PathError(f"{name} must be a finite number.")
    if settings.normal_pct <= 0:
        raise PathError("x̄ must be above 0 % of GDP.")
    if not -0.5 < settings.gdp_growth < 1.0:
        raise PathError("Nominal GDP growth must be between −50 % and 100 % a year.")
    if settings.qt_cap_bn < 0 or settings.qe_bn_month < 0:
        raise PathError("The QT cap and the QE amount cannot be negative.")
    if not (isinstance(settings.qe_months, int) and 0 <= settings.qe_months <= 120):
        raise PathError("The QE length must be 0 to 120 months.")
    if settings.qe_mix not in QE_MIXES:
        raise PathError(f"The QE mix must be one of {', '.join(QE_MIXES)}.")


def _policy_holdings(preset: str, start: Start, settings: PathSettings) -> tuple[np.ndarray, int]:
    """Holdings in billions at each quarter t = 0..T under the preset alone (before the final
    runoff), and P, the quarter the preset's own phase ends."""
    big_t = settings.horizon_q
    months = np.arange(big_t + 1) * 3.0
    # MBS principal runs off at a constant monthly rate matching today's paydowns, so it
    # slows as the stock shrinks and never goes negative.
    rate = start.mbs_pace_bn_month / start.mbs_bn if start.mbs_bn > 0 else 0.0
    rate = min(rate, 0.5)
    mbs_runoff = start.mbs_bn * (1.0 - rate) ** months
    coupons = np.full(big_t + 1, start.coupons_bn)
    agency = np.full(big_t + 1, start.agency_bn)
    if preset == BILL_ONLY:
        # Treasury coupons roll over at auction; MBS principal is reinvested in bills.
        return coupons + mbs_runoff + agency, 0
    if preset == QT:
        coupons = np.maximum(start.coupons_bn - settings.qt_cap_bn * months, 0.0)
        return coupons + mbs_runoff + agency, 0
    if preset == QE:
        coupon_share, mbs_share = QE_MIXES[settings.qe_mix]
        bought = settings.qe_bn_month * np.minimum(months, settings.qe_months)
        # While buying, MBS paydowns are reinvested (as in 2020–22); after, MBS run off again.
        after = np.maximum(months - settings.qe_months, 0.0)
        mbs = (start.mbs_bn + mbs_share * settings.qe_bn_month * settings.qe_months) * (
            (1.0 - rate) ** after
        )
        mbs = np.where(months <= settings.qe_months, start.mbs_bn + mbs_share * bought, mbs)
        coupons = start.coupons_bn + coupon_share * bought
        end_quarter = math.ceil(settings.qe_months / 3)
        return coupons + mbs + agency, min(end_quarter, big_t)
    if preset == MEMO_2010:
        # Our reading of the 2010 memo's choice between running securities off and selling
        # them: hold everything a year, then sell down in a straight line (in % of GDP) to
        # the normal level over five years, and stay there.
        return np.full(big_t + 1, start.holdings_bn), 0
    raise PathError(f"Unknown preset '{str(preset)[:30]}'.")


def _gdp_path(start: Start, settings: PathSettings) -> np.ndarray:
    quarterly = (1.0 + settings.gdp_growth) ** 0.25
    return start.gdp_bn * quarterly ** np.arange(settings.horizon_q + 1)


def final_runoff(pct: np.ndarray, normal: float, from_quarter: int) -> np.ndarray:
    """The path with a final runoff that reaches x̄ exactly at T: from quarter P on, the gap
    between the path's end and x̄ is closed in equal steps, so the path keeps its shape and
    does not jump. Holdings are not run below x̄ beforehand (the Fed would stop there)."""
    out = np.maximum(np.asarray(pct, dtype=float), normal)
    big_t = len(out) - 1
    if big_t <= 0:
        return np.array([normal])
    start = min(max(from_quarter, 0), big_t)
    if start == big_t:
        start = big_t - 1
    weight = np.clip((np.arange(big_t + 1) - start) / (big_t - start), 0.0, 1.0)
    out = out - (out[-1] - normal) * weight
    out[-1] = normal
    return out


def memo_2010_path(start_pct: float, settings: PathSettings) -> np.ndarray:
    big_t = settings.horizon_q
    t = np.arange(big_t + 1)
    sell_end = min(MEMO_HOLD_QUARTERS + MEMO_SALES_QUARTERS, big_t)
    hold = min(MEMO_HOLD_QUARTERS, big_t - 1)
    span = max(sell_end - hold, 1)
    share = np.clip((t - hold) / span, 0.0, 1.0)
    return start_pct + (settings.normal_pct - start_pct) * share


def custom_path(start_pct: float, settings: PathSettings) -> np.ndarray:
    """Linear between the user's points, spread evenly from t = 1 to T − 1, from today's
    level at t = 0 to x̄ at T."""
    points = list(settings.custom_points)
    if not points:
        raise PathError("Type at least one value for the custom path (percent of GDP).")
    big_t = settings.horizon_q
    knots_x = np.linspace(0, big_t, len(points) + 2)
    knots_y = [start_pct, *points, settings.normal_pct]
    return np.interp(np.arange(big_t + 1), knots_x, knots_y)


def build_path(preset: str, start: Start, settings: PathSettings) -> Path:
    """A quarterly path t = 0..T (percent of GDP) for `preset`, ending at x̄ at T."""
    _check(settings)
    dates = quarter_dates(start.as_of, settings.horizon_q)
    if start.gdp_bn <= 0 or not math.isfinite(start.gdp_bn):
        raise PathError("GDP is unavailable, so holdings cannot be put in percent of GDP.")
    gdp = _gdp_path(start, settings)
    if preset == MEMO_2010:
        pct = memo_2010_path(start.pct_gdp, settings)
        pct = final_runoff(pct, settings.normal_pct, settings.horizon_q)
    elif preset == CUSTOM:
        pct = custom_path(start.pct_gdp, settings)
        pct[-1] = settings.normal_pct
    else:
        holdings, phase_end = _policy_holdings(preset, start, settings)
        pct = final_runoff(holdings / gdp * 100.0, settings.normal_pct, phase_end)
        pct[0] = start.pct_gdp  # announcement quarter: today's holdings
    return Path(dates, tuple(float(v) for v in pct))


def parse_points(text: object) -> tuple[float, ...]:
    """Custom-path points from text like "20, 18.5 15" (percent of GDP)."""
    if not isinstance(text, str) or not text.strip():
        return ()
    pieces = [p for p in re.split(r"[,;\s]+", text.strip()) if p]
    if len(pieces) > MAX_CUSTOM_POINTS:
        raise PathError(f"At most {MAX_CUSTOM_POINTS} custom points.")
    values = []
    for piece in pieces:
        try:
            value = float(piece)
        except ValueError:
            raise PathError(f"'{piece[:20]}' in the custom path is not a number.") from None
        if not math.isfinite(value) or not 0 <= value <= 100:
            raise PathError("Custom path values must be percent of GDP, 0 to 100.")
        values.append(value)
    return tuple(values)


def paths_frame(paths: dict[str, Path], pbe: dict[str, tuple[float, ...]]) -> pd.DataFrame:
    """One row a quarter: date, then holdings (% of GDP) and PBE (bp) for each path."""
    first = next(iter(paths.values()))
    frame = pd.DataFrame({"date": [d.isoformat() for d in first.dates]})
    for name, path in paths.items():
        frame[f"{name}_holdings_pct_gdp"] = path.values
        frame[f"{name}_pbe_bp"] = pbe[name]
    return frame


@dataclass(frozen=True)
class ScenarioRun:
    """The model on a baseline and up to three alternatives built from presets."""

    baseline: str
    paths: dict[str, Path]  # preset -> path, the baseline first
    result: dict[str, tuple[float, ...]]  # preset -> PBE (bp) a quarter
    impacts: dict[str, tuple[float, ...]]  # alternative -> baseline minus alternative (bp)
    gamma: float


def run_presets(
    start: Start,
    settings: PathSettings,
    baseline: str,
    alternatives: tuple[str, ...],
    beta: float,
    c_bp: float,
) -> ScenarioRun:
    """Build the baseline and each alternative from presets and run the model. Raises
    PathError or ModelInputError with a message for the user."""
    base_path = build_path(baseline, start, settings)
    paths = {baseline: base_path}
    pbe: dict[str, tuple[float, ...]] = {}
    impacts: dict[str, tuple[float, ...]] = {}
    gamma = run_model(base_path, beta=beta, normal=settings.normal_pct, c_bp=c_bp).gamma
    for name in dict.fromkeys(alternatives):  # each preset once
        if name == baseline:
            continue
        paths[name] = build_path(name, start, settings)
    for name, path in paths.items():
        result = run_model(base_path, None if name == baseline else path, beta=beta,
                           normal=settings.normal_pct, c_bp=c_bp)
        pbe[name] = result.scenario_bp if name != baseline else result.baseline_bp
        if name != baseline:
            impacts[name] = result.impact_path_bp
    return ScenarioRun(baseline, paths, pbe, impacts, gamma)
