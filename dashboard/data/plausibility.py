"""Plausibility: observations that are well-formed but cannot be true are not shown.

Rules are data (`reference/plausibility.csv`), one per kind of series (the catalog's
`plausibility` column names the kind). Every source goes through `screen`: the live answer
(refused whole when a row fails, so the last good data stays), the data folder, the bundled
snapshot and what an older version stored in the cache (the failing rows are left out and
the status says which, and why).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.catalog import SeriesInfo

RULES_FILE = Path(__file__).resolve().parent.parent / "reference" / "plausibility.csv"
SHOWN_REASONS = 3  # a status names this many refused rows, then counts the rest


@dataclass(frozen=True)
class Rule:
    kind: str
    lower: float | None
    lower_strict: bool
    upper: float | None
    jump_factor: float | None  # a value this many times the recent largest is refused
    jump_window: int
    future_days: int  # observations dated up to this many days after today are accepted


def _number(text: str) -> float | None:
    text = (text or "").strip()
    return float(text) if text else None


@cache
def load_rules(path: Path = RULES_FILE) -> dict[str, Rule]:
    rules = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rules[row["kind"].strip()] = Rule(
                kind=row["kind"].strip(),
                lower=_number(row["lower"]),
                lower_strict=row["lower_strict"].strip().lower() == "yes",
                upper=_number(row["upper"]),
                jump_factor=_number(row["jump_factor"]),
                jump_window=int(_number(row["jump_window"]) or 1),
                future_days=int(_number(row["future_days"]) or 0),
            )
    return rules


def kind_of(info: SeriesInfo) -> str:
    """The plausibility kind the catalog declares for a series (its `plausibility` column)."""
    return str(getattr(info, "plausibility", "") or "").strip()


def rule_for(info: SeriesInfo) -> Rule:
    rules = load_rules()
    # The catalog loader checks every kind; an unknown one gets the date rule only.
    return rules.get(kind_of(info)) or rules["derived"]


def _show(value: float) -> str:
    return f"{value:,.6g}" if math.isfinite(value) else str(value)


def find_implausible(
    values: pd.Series, rule: Rule, today: date, before: pd.Series | None = None
) -> dict[pd.Timestamp, str]:
    """The rows of `values` that break `rule`, each with the rule in words.

    `before`: observations held already; they are the recent history an answer's first rows
    are judged against, and an answer that disagrees with them on the same dates by orders of
    magnitude is refused too.
    """
    if values.empty:
        return {}
    found: dict[pd.Timestamp, str] = {}
    numbers = values.to_numpy(dtype="float64")
    index = values.index

    def flag(mask: np.ndarray, words: str) -> None:
        for day in index[mask]:
            found.setdefault(day, words)

    flag(~np.isfinite(numbers), "not a finite number")
    limit = pd.Timestamp(today + timedelta(days=rule.future_days))
    flag(np.asarray(index > limit), f"dated after today + {rule.future_days} days")
    with np.errstate(invalid="ignore"):
        if rule.lower is not None:
            low = numbers <= rule.lower if rule.lower_strict else numbers < rule.lower
            word = "above" if rule.lower_strict else "at least"
            flag(low, f"a {rule.kind} series must be {word} {rule.lower:g}")
        if rule.upper is not None:
            flag(numbers > rule.upper, f"a {rule.kind} series must be at most {rule.upper:g}")
    if rule.jump_factor:
        flag(_jumps(values, rule, before), _jump_words(rule))
        if before is not None and not before.empty:
            flag(_disagrees(values, before, rule.jump_factor), _jump_words(rule, held=True))
    return dict(sorted(found.items()))


def _jump_words(rule: Rule, held: bool = False) -> str:
    against = "the value we hold for that date" if held else "its recent history"
    return f"{rule.jump_factor:,.0f} times or more {against}"


def _jumps(values: pd.Series, rule: Rule, before: pd.Series | None) -> np.ndarray:
    """Rows whose size is `jump_factor` times the largest of the `jump_window` before them.
    A history of zeros (a facility not yet in use) says nothing about scale and is skipped."""
    history = values
    if before is not None and not before.empty:
        earlier = before[before.index < values.index[0]].iloc[-rule.jump_window :]
        history = pd.concat([earlier, values])
    size = history.abs().replace([np.inf], np.nan)
    recent = size.rolling(rule.jump_window, min_periods=1).max().shift(1)
    with np.errstate(invalid="ignore", over="ignore"):
        jumped = (recent > 0) & (history.abs() >= rule.jump_factor * recent)
    return jumped.to_numpy()[len(history) - len(values) :]


def _disagrees(values: pd.Series, before: pd.Series, factor: float) -> np.ndarray:
    held = before.reindex(values.index)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = (values.abs() / held.abs()).to_numpy()
    both = (held.abs() > 0).to_numpy() & (values.abs() > 0).to_numpy()
    return both & ((ratio >= factor) | (ratio <= 1 / factor))


def describe(found: dict[pd.Timestamp, str], values: pd.Series) -> str:
    """'row 2099-01-07 (7,700,000): dated after today + 7 days; ...' for a status message."""
    parts = [
        f"row {day.date()} ({_show(float(values.loc[day]))}): {words}"
        for day, words in list(found.items())[:SHOWN_REASONS]
    ]
    more = len(found) - SHOWN_REASONS
    if more > 0:
        parts.append(f"and {more} more")
    return "; ".join(parts)


def screen(
    values: pd.Series, info: SeriesInfo, today: date, what: str
) -> tuple[pd.Series, str]:
    """`values` without the rows that break the series' rule, and a message naming them
    ("" when every row passes). For data that is already here (a folder file, the
    snapshot, the cache): the good rows are still worth showing."""
    found = find_implausible(values, rule_for(info), today)
    if not found:
        return values, ""
    message = f"{what}: {info.id} {describe(found, values)} — left out as implausible."
    return values.drop(index=list(found)), message


def check_answer(
    values: pd.Series, info: SeriesInfo, today: date, held: pd.Series
) -> str | None:
    """Why a live answer must be refused as a whole (the rows and rules), or None."""
    found = find_implausible(values, rule_for(info), today, before=held)
    if not found:
        return None
    return f"refused {describe(found, values)} as implausible; kept the data we had"
