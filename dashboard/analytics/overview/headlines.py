"""The Overview's headline cards (latest value and its 1- and 13-week changes, as of the
last observation, no look-ahead) and the current balance-sheet regime."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from dashboard.episodes import Episode


# ---- headline cards --------------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    """A change over `days`: absolute (in the card's display units) and percent."""

    days: int
    absolute: float
    percent: float | None


@dataclass(frozen=True)
class Headline:
    """One headline card: latest value in display units, its changes and as-of date."""

    series_id: str
    title: str
    value: float | None
    units: str  # short display units, e.g. "$ tn" / "$ bn"
    as_of: date | None
    changes: tuple[Change, ...]
    change_units: str


def value_asof(values: pd.Series, day: pd.Timestamp, max_age_days: int) -> float | None:
    """The latest observation on or before `day`, if no older than `max_age_days`."""
    obs = values.dropna()
    obs = obs[obs.index <= day]
    if obs.empty or (day - obs.index[-1]).days > max_age_days:
        return None
    return float(obs.iloc[-1])


def change_over(values: pd.Series, days: int, max_age_days: int = 6) -> Change | None:
    """Latest value minus the value as of `days` before the latest observation."""
    obs = values.dropna()
    if obs.empty:
        return None
    last_day = obs.index[-1]
    then = value_asof(obs, last_day - pd.Timedelta(days=days), max_age_days)
    if then is None:
        return None
    now = float(obs.iloc[-1])
    percent = (now / then - 1.0) * 100.0 if then > 0 else None
    return Change(days, now - then, percent)


def headline(
    series_id: str,
    title: str,
    values: pd.Series,
    divisor: float,
    units: str,
    change_divisor: float,
    change_units: str,
    spans: tuple[int, ...] = (7, 91),
) -> Headline:
    """A card for `values` (in source units): latest value / `divisor`, changes over `spans`
    days / `change_divisor`."""
    obs = values.dropna()
    if obs.empty:
        return Headline(series_id, title, None, units, None, (), change_units)
    changes = []
    for span in spans:
        change = change_over(obs, span)
        if change is not None:
            changes.append(replace(change, absolute=change.absolute / change_divisor))
    return Headline(
        series_id,
        title,
        float(obs.iloc[-1]) / divisor,
        units,
        obs.index[-1].date(),
        tuple(changes),
        change_units,
    )


def headline_cards(series: Mapping[str, pd.Series]) -> list[Headline]:
    """Cards for WALCL, reserves, reverse repo, TGA and net liquidity (FRED units in; WALCL,
    WRESBAL, WTREGEN, NETLIQ in millions, RRPONTSYD in billions). Levels in trillions (tn) or
    billions (bn) of dollars; changes in billions over 1 and 13 weeks."""
    empty = pd.Series(dtype="float64")
    return [
        headline(
            "WALCL", "Fed balance sheet", series.get("WALCL", empty), 1e6, "$ tn", 1e3, "$ bn"
        ),
        headline(
            "WRESBAL", "Bank reserves", series.get("WRESBAL", empty), 1e6, "$ tn", 1e3, "$ bn"
        ),
        headline(
            "RRPONTSYD",
            "Reverse repo (ON RRP)",
            series.get("RRPONTSYD", empty),
            1.0,
            "$ bn",
            1.0,
            "$ bn",
        ),
        headline(
            "WTREGEN",
            "Treasury account (TGA)",
            series.get("WTREGEN", empty),
            1e3,
            "$ bn",
            1e3,
            "$ bn",
        ),
        headline("NETLIQ", "Net liquidity", series.get("NETLIQ", empty), 1e6, "$ tn", 1e3, "$ bn"),
    ]


# ---- regime ----------------------------------------------------------------------------------
REGIME_QE, REGIME_QT, REGIME_RMP, REGIME_NEUTRAL = "QE", "QT", "Reserve management", "Neutral"
# Without holdings data we cannot tell; saying "Neutral" there would be a claim.
REGIME_UNKNOWN = "Unknown"
GROWING_PCT = 0.5  # securities held outright change over 13 weeks, percent
QE_PCT = 6.0  # growth at this pace is QE even when it is all Treasuries (QE2 ran ~12%)
EPISODE_DIRECTION = {"QE": "growing", "RMP": "growing", "QT": "shrinking", "TWIST": "flat"}
REGIME_FOR_KIND = {"QE": REGIME_QE, "RMP": REGIME_RMP, "QT": REGIME_QT, "TWIST": REGIME_NEUTRAL}


@dataclass(frozen=True)
class Regime:
    """The balance-sheet regime the data shows, and why.

    label: QE / QT / Reserve management / Neutral / Unknown (no holdings data). direction: growing / shrinking / flat.
    securities_pct: 13-week % change of Treasury + MBS holdings; treasury_bn, mbs_bn: their
    13-week changes in $ billions. episode: the episode file's entry, named only if it agrees.
    """

    label: str
    direction: str
    as_of: date | None
    securities_pct: float | None
    treasury_bn: float | None
    mbs_bn: float | None
    explanation: str
    episode: Episode | None = None


def derive_regime(
    treasuries: pd.Series, mbs: pd.Series, episodes: Iterable[Episode], weeks: int = 13
) -> Regime:
    """What the Fed is doing now, from its securities held outright (TREAST + WSHOMCB, in
    millions, weekly): their change over the last `weeks` weeks.

    Securities, not WALCL, because loans (e.g. BTFP in 2023) move total assets without any
    QE or QT. Rules: shrinking by more than 0.5% → QT; within ±0.5% → neutral; growing with
    MBS also growing, or by 6% or more → QE; growing through Treasuries alone at a slower
    pace → reserve management (bill purchases). The episodes file names the regime only when
    its episode in force on the as-of date points the same way; otherwise the data wins and
    the disagreement is said.
    """
    both = pd.concat({"t": treasuries.dropna(), "m": mbs.dropna()}, axis=1).dropna()
    if len(both) < 2:
        return Regime(
            REGIME_UNKNOWN,
            "unknown",
            None,
            None,
            None,
            None,
            "Not enough Treasury and MBS holdings data to tell.",
        )
    last_day = both.index[-1]
    then_day = last_day - pd.Timedelta(weeks=weeks)
    earlier = both[both.index <= then_day]
    if earlier.empty or (then_day - earlier.index[-1]).days > 6:
        return Regime(
            REGIME_UNKNOWN,
            "unknown",
            last_day.date(),
            None,
            None,
            None,
            f"Less than {weeks} weeks of holdings data.",
        )
    now, then = both.iloc[-1], earlier.iloc[-1]
    securities_then = float(then["t"] + then["m"])
    securities_now = float(now["t"] + now["m"])
    pct = (securities_now / securities_then - 1.0) * 100.0 if securities_then > 0 else 0.0
    treasury_bn = float(now["t"] - then["t"]) / 1e3
    mbs_bn = float(now["m"] - then["m"]) / 1e3

    if pct <= -GROWING_PCT:
        direction, label = "shrinking", REGIME_QT
    elif pct < GROWING_PCT:
        direction, label = "flat", REGIME_NEUTRAL
    else:
        direction = "growing"
        label = REGIME_QE if (mbs_bn > 0 or pct >= QE_PCT) else REGIME_RMP

    as_of = last_day.date()
    active = [
        e
        for e in episodes
        if not e.is_phase
        and e.start <= as_of
        and (e.end is None or as_of <= e.end)
        and e.kind in EPISODE_DIRECTION
    ]
    episode = active[-1] if active else None
    note = ""
    if episode is not None:
        if EPISODE_DIRECTION[episode.kind] == direction:
            label = REGIME_FOR_KIND[episode.kind]
        else:
            note = f" The episodes file lists {episode.name}, which the data does not bear out."
            episode = None

    explanation = (
        f"Fed securities held outright {pct:+.1f}% over {weeks} weeks "
        f"(Treasuries {treasury_bn:+,.0f} bn, MBS {mbs_bn:+,.0f} bn).{note}"
    )
    return Regime(label, direction, as_of, pct, treasury_bn, mbs_bn, explanation, episode)
