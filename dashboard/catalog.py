"""The series catalog: every series the app knows, one row each in `reference/catalog.csv`.

Adding a series is one CSV row (see README, "Adding a series"). This module only reads and
checks the file once at import, so a bad row fails loudly at start-up with its line number.

Units are written exactly as the source states them. `change_kind` says how a week-to-week
move is measured in analytics: "log" for prices and balances, "diff" for rates, spreads and
indices that can be zero or negative. `plausibility` names the kind of value checks the data
layer applies (rules in `reference/plausibility.csv`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

CATALOG_FILE = Path(__file__).resolve().parent / "reference" / "catalog.csv"

# "W-WED"/"W-FRI": weekly, dated that weekday; "D": business days; "D7": every calendar day;
# "MS"/"QS": monthly/quarterly, dated the first day of the period (FRED's convention).
FREQUENCIES = ("W-WED", "W-FRI", "D", "D7", "MS", "QS")
SOURCES = ("fred", "yahoo", "lbma", "derived")
CHANGE_KINDS = ("log", "diff")
PLAUSIBILITY_KINDS = (
    "balance",
    "price",
    "commodity",
    "rate",
    "spread",
    "index",
    "share",
    "net_percent",
    "derived",
)
# For derived rows, `source_id` lists the input series joined by this separator.
DERIVED_SEPARATOR = "-"


class UnknownSeriesError(KeyError):
    """Raised for an id the catalog does not know; its message is safe to show to users."""

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0] if self.args else "unknown series"


class CatalogError(ValueError):
    """A malformed row in catalog.csv (raised at import, with the line number)."""


@dataclass(frozen=True)
class SeriesInfo:
    """One catalog entry. `frequency`: one of FREQUENCIES."""

    id: str
    name: str
    category: str
    units: str
    frequency: str
    source: str  # "fred", "yahoo", "lbma" or "derived"
    source_id: str
    description: str
    owner: str
    change_kind: str = "log"  # "log" or "diff"
    short: str = ""
    aliases: tuple[str, ...] = ()
    plausibility: str = ""

    @property
    def label(self) -> str:
        return self.short or self.id

    @property
    def is_weekly(self) -> bool:
        return self.frequency.startswith("W")

    @property
    def is_daily(self) -> bool:
        return self.frequency in ("D", "D7")

    @property
    def inputs(self) -> tuple[str, ...]:
        """Ids a derived series is computed from (empty for stored series)."""
        if self.source != "derived":
            return ()
        return tuple(self.source_id.split(DERIVED_SEPARATOR))


REQUIRED = ("id", "name", "category", "units", "frequency", "source", "source_id", "owner")
REQUIRED += ("change_kind", "plausibility", "description")


def _check(row: dict[str, str], line: int) -> SeriesInfo:
    missing = [c for c in REQUIRED if not (row.get(c) or "").strip()]
    if missing:
        raise CatalogError(f"catalog.csv line {line}: empty {', '.join(missing)}")
    for column, allowed in (
        ("frequency", FREQUENCIES),
        ("source", SOURCES),
        ("change_kind", CHANGE_KINDS),
        ("plausibility", PLAUSIBILITY_KINDS),
    ):
        if row[column] not in allowed:
            raise CatalogError(
                f"catalog.csv line {line}: {column} {row[column]!r} is not one of {allowed}"
            )
    aliases = tuple(a.strip().lower() for a in (row.get("aliases") or "").split(";") if a.strip())
    return SeriesInfo(
        id=row["id"].strip(),
        name=row["name"].strip(),
        category=row["category"].strip(),
        units=row["units"].strip(),
        frequency=row["frequency"],
        source=row["source"],
        source_id=row["source_id"].strip(),
        description=row["description"].strip(),
        owner=row["owner"].strip(),
        change_kind=row["change_kind"],
        short=(row.get("short") or "").strip(),
        aliases=aliases,
        plausibility=row["plausibility"],
    )


def load_catalog(path: Path = CATALOG_FILE) -> tuple[SeriesInfo, ...]:
    """Every row of the catalog file, checked: known codes, unique ids, derived inputs exist."""
    with open(path, newline="", encoding="utf-8") as handle:
        series = tuple(_check(row, n) for n, row in enumerate(csv.DictReader(handle), start=2))
    ids = [s.id for s in series]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise CatalogError(f"catalog.csv: duplicate ids {duplicates}")
    for info in series:
        unknown = [i for i in info.inputs if i not in ids]
        if unknown:
            raise CatalogError(f"catalog.csv: {info.id} is derived from unknown {unknown}")
    return series


SERIES: tuple[SeriesInfo, ...] = load_catalog()
# Categories in the order they first appear in the file (the order menus show them).
CATEGORIES: tuple[str, ...] = tuple(dict.fromkeys(s.category for s in SERIES))

_BY_ID = {info.id: info for info in SERIES}
DERIVED_INPUTS: dict[str, tuple[str, ...]] = {s.id: s.inputs for s in SERIES if s.inputs}


def get_info(series_id: str) -> SeriesInfo:
    """Catalog entry for `series_id`; raises `UnknownSeriesError` with a readable message."""
    try:
        return _BY_ID[series_id]
    except (KeyError, TypeError):
        shown = str(series_id)[:40]
        raise UnknownSeriesError(
            f"Unknown series '{shown}'. See the Data page for the list."
        ) from None


def is_known(series_id: object) -> bool:
    return isinstance(series_id, str) and series_id in _BY_ID


def stored_ids() -> list[str]:
    """Ids of series that are fetched and stored (everything but the derived ones)."""
    return [s.id for s in SERIES if s.source != "derived"]


def by_category() -> dict[str, list[SeriesInfo]]:
    groups: dict[str, list[SeriesInfo]] = {c: [] for c in CATEGORIES}
    for info in SERIES:
        groups[info.category].append(info)
    return groups
