"""Liquidity triggers: how close each one is to firing, when it last fired, and the QT phase.

Split by role; this package re-exports the names the rest of the app uses, so callers write
`from dashboard.analytics import triggers as engine` and `engine.evaluate_all(...)`:

- `definitions`: `reference/triggers.csv` read into typed `Trigger`s (formula parsing);
- `values`: a trigger's value over time (levels, differences, averages, 13-week changes);
- `spells`: the firing history (runs of firing observations);
- `readings`: where each trigger stands now (`TriggerReading`, `evaluate`, `evaluate_all`);
- `phase`: the end-of-QT phase tracker (bills vs coupons);
- `text`: the numbers in words for cards, the CLI and exports.

Everything here is a pure function of the series handed in and of `today`.
"""

from dashboard.analytics.triggers.definitions import (
    TRIGGERS_FILE,
    Formula,
    Trigger,
    load_triggers,
    parse_formula,
    parse_triggers,
    required_series,
)
from dashboard.analytics.triggers.phase import (
    BILLS_NOT_SEPARATED,
    BILLS_SERIES,
    PHASE_NAMES,
    EpisodeLike,
    Evidence,
    PhaseReading,
    PhaseRules,
    bills_ids,
    phase_series,
    phase_tracker,
)
from dashboard.analytics.triggers.readings import (
    APPROACHING,
    APPROACHING_AT,
    CALM_YEARS,
    ETA_HORIZON_WEEKS,
    FIRING,
    FIRING_NOW,
    NO_DATA,
    NOT_ON_PATH,
    PACE_WEEKS,
    QUIET,
    STATUS_ORDER,
    TYPICAL_MOVE_YEARS,
    DataLike,
    StatusLike,
    TriggerReading,
    calm_reference,
    distance_to_threshold,
    evaluate,
    evaluate_all,
    project_eta,
    proximity_pct,
    sort_readings,
    typical_weekly_move,
    value_asof,
)
from dashboard.analytics.triggers.spells import SPELLS_SINCE, Spell, fired_spells
from dashboard.analytics.triggers.text import (
    MINUS,
    distance_text,
    eta_passed,
    eta_text,
    format_value,
    last_fired_text,
    spells_text,
    threshold_text,
)
from dashboard.analytics.triggers.values import (
    ASOF_MAX_AGE_DAYS,
    trigger_values,
    wednesdays,
    weekly_change,
)

__all__ = [
    "APPROACHING",
    "APPROACHING_AT",
    "ASOF_MAX_AGE_DAYS",
    "BILLS_NOT_SEPARATED",
    "BILLS_SERIES",
    "CALM_YEARS",
    "ETA_HORIZON_WEEKS",
    "FIRING",
    "FIRING_NOW",
    "MINUS",
    "NOT_ON_PATH",
    "NO_DATA",
    "PACE_WEEKS",
    "PHASE_NAMES",
    "QUIET",
    "SPELLS_SINCE",
    "STATUS_ORDER",
    "TRIGGERS_FILE",
    "TYPICAL_MOVE_YEARS",
    "DataLike",
    "EpisodeLike",
    "Evidence",
    "Formula",
    "PhaseReading",
    "PhaseRules",
    "Spell",
    "StatusLike",
    "Trigger",
    "TriggerReading",
    "bills_ids",
    "calm_reference",
    "distance_text",
    "distance_to_threshold",
    "eta_passed",
    "eta_text",
    "evaluate",
    "evaluate_all",
    "fired_spells",
    "format_value",
    "last_fired_text",
    "load_triggers",
    "parse_formula",
    "parse_triggers",
    "phase_series",
    "phase_tracker",
    "project_eta",
    "proximity_pct",
    "required_series",
    "sort_readings",
    "spells_text",
    "threshold_text",
    "trigger_values",
    "typical_weekly_move",
    "value_asof",
    "wednesdays",
    "weekly_change",
]
