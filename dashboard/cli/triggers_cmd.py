"""`python -m dashboard triggers`: where each liquidity trigger stands, as a table or JSON.

`--json` prints the same list of readings as `GET /api/triggers`. With `--fail-on-firing` the
exit code is 3 when any trigger fires, so a cron job can alert on it.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from dashboard.analytics import triggers as engine
from dashboard.cli.data_cmd import format_table, shorten
from dashboard.data import get_store
from dashboard.episodes import main_episodes

EXIT_FIRING = 3
EXIT_BAD_FILE = 2
PHASE_SERIES = ("WALCL", "TREAST", "WSHOMCB")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "triggers",
        help="Print liquidity trigger readings.",
        description="Read every liquidity trigger: value, threshold, status, proximity, "
        "distance, projected firing date and last firing.",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list of readings")
    parser.add_argument(
        "--fail-on-firing",
        action="store_true",
        help=f"exit with code {EXIT_FIRING} when any trigger fires (for cron alerts)",
    )
    parser.add_argument(
        "--file",
        type=Path,
        default=engine.TRIGGERS_FILE,
        metavar="CSV",
        help="triggers file to use (default: dashboard/reference/triggers.csv)",
    )
    parser.add_argument(
        "--refresh",
        action="store_true",
        help="fetch the series the triggers read before reading them (uses the network)",
    )
    parser.set_defaults(run=run)


def _row(r: engine.TriggerReading) -> list[str]:
    proximity = "—" if r.proximity is None else f"{r.proximity:.0f}%"
    as_of = f"{r.as_of:%Y-%m-%d}" if r.as_of else "—"
    if r.stale:
        as_of += " (stale)"
    return [
        r.status.upper() if r.status == engine.FIRING else r.status,
        shorten(r.name, 40),
        engine.format_value(r.value, r.units, signed=r.lookback_weeks is not None),
        engine.threshold_text(r),
        proximity,
        shorten(engine.distance_text(r), 34),
        shorten(engine.eta_text(r), 30),
        shorten(engine.last_fired_text(r), 40),
        as_of,
    ]


def run(args) -> int:
    try:
        triggers = engine.load_triggers(args.file)
    except (OSError, ValueError) as exc:
        print(f"Cannot read the triggers file {args.file}: {exc}", file=sys.stderr)
        return EXIT_BAD_FILE
    store = get_store()
    needed = engine.required_series(triggers)
    if args.refresh:
        extra = list(PHASE_SERIES) + engine.bills_ids()
        store.refresh(needed + [s for s in extra if s not in needed])
    readings = engine.evaluate_all(triggers, store.get_many(needed), date.today())
    if args.json:
        print(json.dumps([r.to_json() for r in readings], indent=2, allow_nan=False))
    else:
        phases = store.get_many(list(PHASE_SERIES) + engine.bills_ids())
        bills = phases.get(engine.BILLS_SERIES)
        phase = engine.phase_tracker(
            *(phases[s].values for s in PHASE_SERIES),
            main_episodes(),
            bills=bills.values if bills is not None else None,
        )
        since = (
            f" since {phase.since:%Y-%m-%d}, as of {phase.as_of:%Y-%m-%d}" if phase.as_of else ""
        )
        print(f"End-of-QT phase: {phase.name}{since}")
        print(f"{phase.note}\n" if phase.note else "")
        headers = [
            "Status",
            "Trigger",
            "Value",
            "Threshold",
            "Prox.",
            "Distance",
            "ETA",
            "Last fired",
            "As of",
        ]
        print(format_table(headers, [_row(r) for r in readings]))
    if args.fail_on_firing and any(r.firing for r in readings):
        return EXIT_FIRING
    return 0
