"""The Compare page's URL values and reference texts: the defaults, the quick pairs, the
"why this pair matters" texts and the checks that turn raw URL values into a valid view."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from dashboard.analytics import compare as stats
from dashboard.catalog import is_known

DEFAULT_A, DEFAULT_B, DEFAULT_RANGE = "WALCL", "TLT", "5Y"
QUICK_PAIRS = (
    ("WALCL", "TLT"),
    ("WALCL", "BAMLH0A0HYM2"),
    ("WALCL", "BTC-USD"),
    ("WALCL", "LBMA_GOLD_PM_USD"),
    ("WALCL", "SPY"),
    ("NETLIQ", "BTC-USD"),
)
RANGE_LABELS = {"1Y": "1 year", "3Y": "3 years", "5Y": "5 years", "10Y": "10 years", "MAX": "All"}
PAIRS_FILE = Path(__file__).resolve().parents[2] / "reference" / "pairs.csv"
ROLLING_WEEKS = 52
MAX_LAG_WEEKS = 26


# ---- reference text ---------------------------------------------------------------------
@lru_cache(maxsize=1)
def pair_texts() -> dict[frozenset, tuple[str, str]]:
    """ "Why this pair matters" texts from reference/pairs.csv, keyed by the unordered pair."""
    with open(PAIRS_FILE, newline="", encoding="utf-8") as handle:
        return {
            frozenset((row["a"], row["b"])): (row["title"], row["text"])
            for row in csv.DictReader(handle)
        }


# ---- URL values -------------------------------------------------------------------------
def resolve_query(a: object, b: object, range_key: object) -> tuple[str, str, str, list[str]]:
    """Valid (a, b, range) from raw URL values, and the notices for anything replaced."""
    notices = []

    def pick(value: object, default: str, what: str) -> str:
        if value is None or value == "":
            return default
        if is_known(value):
            return value
        shown = str(value)[:40]
        notices.append(f"Unknown series '{shown}' for {what}; showing {default} instead.")
        return default

    series_a = pick(a, DEFAULT_A, "the first series")
    series_b = pick(b, DEFAULT_B, "the second series")
    if range_key in (None, ""):
        chosen = DEFAULT_RANGE
    elif isinstance(range_key, str) and range_key.upper() in stats.RANGES:
        chosen = range_key.upper()
    else:
        chosen = DEFAULT_RANGE
        notices.append(
            f"Unknown range '{str(range_key)[:20]}'; showing {RANGE_LABELS[DEFAULT_RANGE]}."
        )
    return series_a, series_b, chosen, notices


def compare_href(a: str, b: str, range_key: str | None = None) -> str:
    query = {"a": a, "b": b} | ({"range": range_key} if range_key else {})
    return "/compare?" + urlencode(query)
