"""Series search that finds what people type: "10y", "10-year", "treasury yield", "gold",
"btc". Pure: catalog entries in, a ranked list out.

Score (higher first): the exact id or short label; an exact alias (from the catalog's
`aliases` column, used when present); an id or label starting with the text; every word of
the text being a whole word of the label, name or an alias; an alias starting with the text;
every word starting a word there; the text anywhere (category, description too). Ties: widely watched series
first (PROMINENT), then catalog order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from dashboard.catalog import SeriesInfo

# When a word matches many series equally ("yield"), these lead, in this order.
PROMINENT: tuple[str, ...] = (
    "WALCL",
    "DGS10",
    "DGS2",
    "BTC-USD",
    "LBMA_GOLD_PM_USD",
    "SPY",
    "TLT",
    "BAMLH0A0HYM2",
    "NETLIQ",
)
_WORD = re.compile(r"[a-z0-9&'.+]+(?:-[a-z0-9]+)*")


def normalise(text: str) -> str:
    """Casefolded, single-spaced, with a typographic minus read as a hyphen."""
    return " ".join(str(text).replace("−", "-").replace("–", "-").casefold().split())


def words(text: str) -> list[str]:
    """Words, keeping hyphenated ones whole ("10-year") and also their parts."""
    found = _WORD.findall(normalise(text))
    parts = [p for w in found if "-" in w for p in w.split("-") if p]
    return found + parts


def _aliases(info: SeriesInfo) -> tuple[str, ...]:
    return tuple(normalise(a) for a in getattr(info, "aliases", ()) or ())


def score(query: str, info: SeriesInfo) -> int:
    """How well `info` answers `query` (0: not at all)."""
    q = normalise(query)
    if not q:
        return 0
    ident = info.id.casefold()
    names = {ident, ident.split("-")[0], normalise(info.label)}
    aliases = _aliases(info)
    if q in names:
        return 100
    if q in aliases:
        return 95
    if any(n.startswith(q) for n in names):
        return 80
    tokens = words(q)
    phrases = (normalise(info.label), normalise(info.name), *aliases)
    vocabulary = {w for p in phrases for w in words(p)} | names
    if tokens and all(t in vocabulary for t in tokens):
        return 60
    if any(a.startswith(q) for a in aliases):
        return 50
    if tokens and all(any(v.startswith(t) for v in vocabulary) for t in tokens):
        return 40
    everything = normalise(
        " ".join((info.id, info.label, info.name, info.category, info.description, *aliases))
    )
    if q in everything:
        return 20
    return 0


def rank(query: str, infos: Iterable[SeriesInfo]) -> list[SeriesInfo]:
    """The series that match `query`, best first (see module doc); [] for a blank query."""
    order = {sid: i for i, sid in enumerate(PROMINENT)}
    scored = []
    for position, info in enumerate(infos):
        points = score(query, info)
        if points:
            scored.append((-points, order.get(info.id, len(order)), position, info))
    return [item[-1] for item in sorted(scored, key=lambda item: item[:3])]


def best_match(query: str, infos: Sequence[SeriesInfo]) -> SeriesInfo | None:
    ranked = rank(query, infos)
    return ranked[0] if ranked else None
