"""The Scenarios page's controls as plain values: defaults, the URL query keys, and turning
whatever the URL or the browser sends into valid values (with a notice for what was replaced).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from urllib.parse import urlencode

from dashboard.analytics import portfolio_balance as pb
from dashboard.analytics import scenarios as sc

NONE = "none"  # an alternative slot left empty
ALT_CHOICES = (NONE,) + sc.PRESETS
BASELINE_CHOICES = tuple(p for p in sc.PRESETS if p != sc.CUSTOM)
MAX_TEXT = 400


@dataclass(frozen=True)
class Controls:
    beta: float = pb.DEFAULT_BETA
    normal: float = pb.DEFAULT_NORMAL_PCT
    c_bp: float = pb.DEFAULT_CALIBRATION_BP
    horizon: int = 40
    growth: float | None = None  # percent a year; None = last four quarters of GDP
    baseline: str = sc.BILL_ONLY
    alt1: str = sc.QE
    alt2: str = sc.QT
    alt3: str = NONE
    qt_cap: float = 25.0
    qe_amount: float = 80.0
    qe_months: int = 12
    qe_mix: str = "both"
    custom: str = "22, 18, 12"

    @property
    def alternatives(self) -> tuple[str, ...]:
        return tuple(a for a in (self.alt1, self.alt2, self.alt3) if a != NONE)


DEFAULTS = Controls()
# URL key for each control (short, readable)
URL_KEYS = {
    "beta": "beta", "normal": "normal", "c_bp": "c", "horizon": "T", "growth": "growth",
    "baseline": "base", "alt1": "alt1", "alt2": "alt2", "alt3": "alt3", "qt_cap": "qtcap",
    "qe_amount": "qe", "qe_months": "qemonths", "qe_mix": "qemix", "custom": "custom",
}
LABELS = {
    "beta": "β", "normal": "x̄", "c_bp": "C", "horizon": "T", "growth": "GDP growth",
    "baseline": "baseline", "alt1": "alternative 1", "alt2": "alternative 2",
    "alt3": "alternative 3", "qt_cap": "QT cap", "qe_amount": "QE amount",
    "qe_months": "QE months", "qe_mix": "QE mix", "custom": "custom path",
}
# (low, high) accepted for each number; outside: the default and a notice.
BOUNDS = {
    "beta": (1e-6, 1.0), "normal": (0.01, 100.0), "c_bp": (-1000.0, 1000.0),
    "horizon": (1, sc.MAX_HORIZON_Q), "growth": (-49.0, 99.0), "qt_cap": (0.0, 1000.0),
    "qe_amount": (0.0, 1000.0), "qe_months": (0, 120),
}
CHOICES = {"baseline": BASELINE_CHOICES, "alt1": ALT_CHOICES, "alt2": ALT_CHOICES,
           "alt3": ALT_CHOICES, "qe_mix": tuple(sc.QE_MIXES)}


def _number(value: object, name: str) -> float | None:
    """A finite number within bounds from anything, or None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value or len(value) > 40:
            return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    low, high = BOUNDS[name]
    if not math.isfinite(number) or not low <= number <= high:
        return None
    if name in ("horizon", "qe_months"):
        if number != int(number):
            return None
        return int(number)
    return number


def resolve(raw: dict[str, object]) -> tuple[Controls, list[str]]:
    """Valid controls from raw values keyed by field name (missing or blank = default), and
    a notice for each value that was replaced by its default."""
    values, notices = {}, []
    for field in fields(Controls):
        name = field.name
        if name not in raw:
            continue
        value = raw[name]
        default = getattr(DEFAULTS, name)
        if value is None or value == "" or value == []:
            continue
        if name in CHOICES:
            if isinstance(value, str) and value in CHOICES[name]:
                values[name] = value
            else:
                notices.append(f"Unknown {LABELS[name]} '{str(value)[:30]}'; using {default}.")
        elif name == "custom":
            if isinstance(value, str) and len(value) <= MAX_TEXT:
                values[name] = value
            else:
                notices.append("The custom path was not text of up to 400 characters; "
                               "using the default.")
        else:
            number = _number(value, name)
            if number is None:
                low, high = BOUNDS[name]
                shown = "last four quarters" if default is None else f"{default:g}"
                notices.append(f"{LABELS[name]} '{str(value)[:30]}' is not a number from "
                               f"{low:g} to {high:g}; using {shown}.")
            else:
                values[name] = number
    return Controls(**values), notices


def from_query(query: dict[str, object]) -> tuple[Controls, list[str]]:
    """Controls from URL query values (keys as in URL_KEYS)."""
    by_key = {url: name for name, url in URL_KEYS.items()}
    raw = {by_key[k]: v for k, v in query.items() if k in by_key}
    return resolve(raw)


def to_query(controls: Controls) -> str:
    """The query string for `controls` (defaults left out, so links stay short)."""
    pairs = {}
    for name, key in URL_KEYS.items():
        value = getattr(controls, name)
        if value != getattr(DEFAULTS, name) and value is not None:
            pairs[key] = f"{value:g}" if isinstance(value, float) else str(value)
    return urlencode(pairs)


def path_settings(controls: Controls, default_growth: float) -> sc.PathSettings:
    """The path builder's settings. The custom points are parsed only when a custom path is
    chosen (so a half-typed custom path does not break the others); may raise sc.PathError."""
    growth = default_growth if controls.growth is None else controls.growth / 100.0
    return sc.PathSettings(
        horizon_q=controls.horizon,
        normal_pct=controls.normal,
        gdp_growth=growth,
        qt_cap_bn=controls.qt_cap,
        qe_bn_month=controls.qe_amount,
        qe_months=controls.qe_months,
        qe_mix=controls.qe_mix,
        custom_points=(
            sc.parse_points(controls.custom) if sc.CUSTOM in controls.alternatives else ()
        ),
    )
