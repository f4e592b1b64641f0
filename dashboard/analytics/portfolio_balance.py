"""The Fed staff's portfolio-balance model of the term premium (FOMC memo, 2010; released 2016).

The effect of the Fed's longer-term holdings on the term premium depends on the discounted
sum of expected *excess* holdings, x_s − x̄ (x in percent of nominal GDP, quarterly):

    PBE_t = γ · Σ_{s=t..T} β^(s−t) · (x_s − x̄)

γ is calibrated so that, on the expected (baseline) path, the effect at t = 0 equals C basis
points: γ = C / Σ_{t=0..T} β^t · (x_base,t − x̄). Announcing an alternative path `a` moves the
term premium on impact by PBE_base,0 − PBE_a,0 (positive: the term premium rises).

Pure: plain sequences in, plain numbers out. Every check raises `ModelInputError` with one
sentence a user can act on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

DEFAULT_BETA = 0.99  # a quarter: about 4 % a year
DEFAULT_NORMAL_PCT = 4.0  # x̄, the memo's "normal" holdings, percent of GDP
DEFAULT_CALIBRATION_BP = 80.0  # the memo's C: upper end of Gagnon et al.'s 30–80 bp
CALIBRATION_RANGE_BP = (30.0, 80.0)
# A last value within this of x̄ counts as equal (CSV round-trips print ~15 digits).
END_TOLERANCE = 1e-6
# A baseline excess sum this close to zero cannot be calibrated to (γ would explode).
MIN_EXCESS_SUM = 1e-9


class ModelInputError(ValueError):
    """An input the model cannot use; the message is one sentence for the user."""


@dataclass(frozen=True)
class Path:
    """A holdings path: one x_t (percent of GDP) a quarter from t = 0 to T."""

    dates: tuple[date, ...]
    values: tuple[float, ...]


@dataclass(frozen=True)
class ModelResult:
    gamma: float
    baseline_bp: tuple[float, ...]
    scenario_bp: tuple[float, ...] | None  # None without an alternative path

    @property
    def impact_bp(self) -> float | None:
        """Term-premium change on announcement, bp (positive: the term premium rises)."""
        if self.scenario_bp is None:
            return None
        return self.baseline_bp[0] - self.scenario_bp[0]

    @property
    def impact_path_bp(self) -> tuple[float, ...] | None:
        if self.scenario_bp is None:
            return None
        return tuple(b - a for b, a in zip(self.baseline_bp, self.scenario_bp))


def check_beta(beta: float) -> float:
    try:
        beta = float(beta)
    except (TypeError, ValueError):
        raise ModelInputError(f"beta must be a number in (0, 1], got {beta!r}.") from None
    if not (math.isfinite(beta) and 0.0 < beta <= 1.0):
        raise ModelInputError(f"beta must be in (0, 1], got {beta:g}.")
    return beta


def _finite(value: float, what: str) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ModelInputError(f"{what} must be a number, got {value!r}.") from None
    if not math.isfinite(value):
        raise ModelInputError(f"{what} must be a finite number, got {value}.")
    return value


def check_path(path: Path, normal: float, name: str) -> np.ndarray:
    """The path's values as an array, after checking it can be used: at least one row,
    finite values, dates strictly increasing, last value = x̄."""
    if len(path.values) == 0:
        raise ModelInputError(f"The {name} path has no rows.")
    if len(path.dates) != len(path.values):
        raise ModelInputError(
            f"The {name} path has {len(path.dates)} dates but {len(path.values)} values."
        )
    values = np.array([_finite(v, f"Every {name} value") for v in path.values], dtype=float)
    for i in range(1, len(path.dates)):
        if not path.dates[i] > path.dates[i - 1]:
            raise ModelInputError(
                f"The {name} path's dates are out of order: {path.dates[i]} comes after "
                f"{path.dates[i - 1]} (row {i + 1})."
            )
    if abs(values[-1] - normal) > END_TOLERANCE:
        raise ModelInputError(
            f"The {name} path must end at the normal level {normal:g} % of GDP; "
            f"its last value is {values[-1]:g}."
        )
    return values


def discounted_excess(values: Sequence[float], normal: float, beta: float) -> np.ndarray:
    """S_t = Σ_{s=t..T} β^(s−t) (x_s − x̄) for every t, by the backward recursion
    S_t = (x_t − x̄) + β S_{t+1} (S_T = x_T − x̄)."""
    excess = np.asarray(values, dtype=float) - normal
    sums = np.empty_like(excess)
    running = 0.0
    for t in range(len(excess) - 1, -1, -1):
        running = excess[t] + beta * running
        sums[t] = running
    return sums


def calibrate_gamma(baseline: Sequence[float], normal: float, beta: float, c_bp: float) -> float:
    """γ such that the baseline's PBE at t = 0 equals `c_bp` basis points."""
    total = float(discounted_excess(baseline, normal, beta)[0])
    if abs(total) < MIN_EXCESS_SUM:
        raise ModelInputError(
            "The baseline's discounted excess holdings sum to 0, so the model cannot be "
            "calibrated: the baseline must differ from the normal level somewhere."
        )
    return c_bp / total


def pbe_path(values: Sequence[float], normal: float, beta: float, gamma: float) -> np.ndarray:
    """PBE_t in basis points for every quarter of a path."""
    return gamma * discounted_excess(values, normal, beta)


def run_model(
    baseline: Path,
    scenario: Path | None = None,
    *,
    beta: float = DEFAULT_BETA,
    normal: float = DEFAULT_NORMAL_PCT,
    c_bp: float = DEFAULT_CALIBRATION_BP,
) -> ModelResult:
    """Calibrate on `baseline`, then the PBE of the baseline and (optionally) the scenario."""
    beta = check_beta(beta)
    normal = _finite(normal, "The normal level")
    c_bp = _finite(c_bp, "The calibration C")
    base = check_path(baseline, normal, "baseline")
    alt = None
    if scenario is not None:
        alt = check_path(scenario, normal, "scenario")
        if len(alt) != len(base):
            raise ModelInputError(
                f"The baseline has {len(base)} quarters but the scenario has {len(alt)}; "
                "both must run over the same quarters."
            )
        if tuple(scenario.dates) != tuple(baseline.dates):
            raise ModelInputError("The baseline and the scenario must have the same dates.")
    gamma = calibrate_gamma(base, normal, beta, c_bp)
    base_bp = tuple(float(v) for v in pbe_path(base, normal, beta, gamma))
    alt_bp = None if alt is None else tuple(float(v) for v in pbe_path(alt, normal, beta, gamma))
    return ModelResult(gamma=gamma, baseline_bp=base_bp, scenario_bp=alt_bp)
