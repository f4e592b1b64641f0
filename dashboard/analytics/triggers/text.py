"""Trigger numbers in words for people: values in their units, distance, ETA, spells."""

from __future__ import annotations

import math
from datetime import timedelta

from dashboard.analytics.triggers.readings import TriggerReading

MINUS = "−"


def format_value(value: float | None, units: str, signed: bool = False) -> str:
    """A number in its units for people: $ amounts scaled to B/T, %, bp, index points."""
    if value is None or not math.isfinite(value):
        return "—"
    sign = MINUS if value < 0 else ("+" if signed and value > 0 else "")
    size = abs(value)
    unit = units.lower()
    if unit.startswith(("millions", "billions")):
        millions = size * (1000.0 if unit.startswith("billions") else 1.0)
        if millions >= 1_000_000:
            text = f"${millions / 1_000_000:,.2f}T"
        elif millions >= 1_000:
            text = f"${millions / 1_000:,.{0 if millions >= 100_000 else 1}f}B"
        else:
            text = (
                f"${millions:,.0f}M"
                if unit.startswith("millions")
                else (f"${millions / 1000:,.1f}B")
            )
        return sign + text
    if unit == "percent":
        return f"{sign}{size:.2f}%"
    if unit == "basis points":
        return f"{sign}{size:.1f} bp"
    return f"{sign}{size:.2f}"


def threshold_text(reading: TriggerReading) -> str:
    return f"{reading.op} {format_value(reading.threshold, reading.units, signed=False)}"


def distance_text(reading: TriggerReading) -> str:
    """E.g. "$65B to go (2.1 typical weeks)" or "past by 12.0 bp"."""
    if reading.distance is None:
        return "—"
    amount = format_value(abs(reading.distance), reading.units)
    if reading.distance <= 0:
        head = f"past by {amount}" if reading.distance < 0 else "at the threshold"
    else:
        head = f"{amount} to go"
    if reading.distance_weeks is not None:
        head += f" ({abs(reading.distance_weeks):.1f} typical weeks)"
    return head


def eta_passed(reading: TriggerReading) -> bool:
    """True when the projected date is already behind us: the data stopped before the
    threshold was reached (or crossed it since without a new observation)."""
    if reading.eta is None or reading.as_of is None or reading.age_days is None:
        return False
    return reading.eta < reading.as_of + timedelta(days=reading.age_days)


def eta_text(reading: TriggerReading) -> str:
    if reading.eta is not None:
        text = f"{reading.eta:%Y-%m-%d} · {reading.eta_note}"
        if eta_passed(reading):
            text += f" · date passed: projected from data as of {reading.as_of:%Y-%m-%d}"
        return text
    return reading.eta_note or "—"


def spells_text(reading: TriggerReading) -> str:
    """ "Fired 3 times since 2020-04-22" — from the date the count starts."""
    times = "once" if reading.spells_counted == 1 else f"{reading.spells_counted} times"
    return f"Fired {times} since {reading.counts_from:%Y-%m-%d}"


def last_fired_text(reading: TriggerReading) -> str:
    spell = reading.last_fired
    if spell is None:
        return "never in the data"
    days = f"{spell.days} day{'' if spell.days == 1 else 's'}"
    if spell.ongoing:
        return f"firing since {spell.start:%Y-%m-%d} ({days})"
    return f"{spell.start:%Y-%m-%d} → {spell.end:%Y-%m-%d} ({days})"
