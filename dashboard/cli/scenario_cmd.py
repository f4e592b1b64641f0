"""`python -m dashboard scenario`: the portfolio-balance model of the term premium (FOMC memo,
2010) on holdings paths, without the page.

    python -m dashboard scenario --baseline BASE.csv --path ALT.csv \\
        --calibrate-bp 80 --beta 0.99 --normal 4 --json

Each CSV has the header `date,holdings_pct_gdp` and one row a quarter, the first row t = 0 and
the last equal to `--normal`. `--preset NAME` builds both paths from today's data instead:
the baseline is bill-only reserve management, the alternative the named preset. Bad input
exits 2 with one line on stderr.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from datetime import date
from pathlib import Path as FilePath

from dashboard.analytics import portfolio_balance as pb
from dashboard.analytics import scenarios as sc

EXIT_BAD_INPUT = 2
HEADER = ["date", "holdings_pct_gdp"]
MAX_ROWS = 10_000


class InputError(ValueError):
    """Bad input; the message is the one line the user sees."""


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "scenario",
        help="Term-premium effect of a Fed holdings path (portfolio-balance model).",
        description="Run the Fed staff's portfolio-balance model (FOMC memo, 2010): "
        "PBE_t = gamma * sum_{s>=t} beta^(s-t) (x_s - normal), calibrated so the baseline's "
        "effect today is --calibrate-bp basis points.",
    )
    parser.add_argument("--baseline", type=FilePath, metavar="CSV",
                        help="baseline path: CSV with header date,holdings_pct_gdp")
    parser.add_argument("--path", type=FilePath, metavar="CSV",
                        help="alternative path, same quarters as the baseline")
    parser.add_argument("--preset", metavar="NAME",
                        help="build the paths from today's data instead of files: "
                        + ", ".join(p for p in sc.PRESETS if p != sc.CUSTOM))
    # Numbers are parsed in `run`, so a bad one gets our one-line message (not argparse's usage).
    parser.add_argument("--horizon", default=str(sc.PathSettings.horizon_q),
                        metavar="QUARTERS", help="horizon T for --preset (default 40)")
    parser.add_argument("--calibrate-bp", default=str(pb.DEFAULT_CALIBRATION_BP),
                        metavar="C", help="baseline effect today, basis points (default 80)")
    parser.add_argument("--beta", default=str(pb.DEFAULT_BETA),
                        help="quarterly discount factor in (0, 1] (default 0.99)")
    parser.add_argument("--normal", default=str(pb.DEFAULT_NORMAL_PCT),
                        help="normal holdings, percent of GDP; paths end there (default 4)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(run=run)


def read_path_csv(file: FilePath, what: str) -> pb.Path:
    """A path from a `date,holdings_pct_gdp` CSV; InputError with one line otherwise."""
    try:
        with open(file, newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
    except FileNotFoundError:
        raise InputError(f"The {what} file {file} does not exist.") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"Cannot read the {what} file {file}: {exc}.") from None
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows or [c.strip().lower() for c in rows[0]] != HEADER:
        raise InputError(f"The {what} file {file} must start with the header date,holdings_pct_gdp.")
    if len(rows) < 2:
        raise InputError(f"The {what} file {file} has no rows.")
    if len(rows) > MAX_ROWS:
        raise InputError(f"The {what} file {file} has more than {MAX_ROWS} rows.")
    dates, values = [], []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != 2:
            raise InputError(f"The {what} file {file}, line {number}: expected 2 columns.")
        try:
            day = date.fromisoformat(row[0].strip())
        except ValueError:
            raise InputError(
                f"The {what} file {file}, line {number}: '{row[0][:20]}' is not a date "
                "(YYYY-MM-DD)."
            ) from None
        try:
            value = float(row[1])
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise InputError(
                f"The {what} file {file}, line {number}: '{row[1][:20]}' is not a number."
            )
        dates.append(day)
        values.append(value)
    return pb.Path(tuple(dates), tuple(values))


def preset_paths(name: str, args) -> tuple[pb.Path, pb.Path | None]:
    """(baseline, alternative) built from today's data for `--preset NAME`."""
    from dashboard.analytics.scenario_inputs import load_inputs

    if name not in sc.PRESETS or name == sc.CUSTOM:
        choices = ", ".join(p for p in sc.PRESETS if p != sc.CUSTOM)
        raise InputError(f"Unknown preset '{name[:30]}'; choose one of: {choices}.")
    inputs = load_inputs()
    if inputs.start is None:
        raise InputError(f"Cannot build the preset from today's data: {inputs.problem}")
    settings = sc.PathSettings(
        horizon_q=args.horizon, normal_pct=args.normal, gdp_growth=inputs.default_growth
    )
    try:
        baseline = sc.build_path(sc.BILL_ONLY, inputs.start, settings)
        alternative = None if name == sc.BILL_ONLY else sc.build_path(name, inputs.start, settings)
    except sc.PathError as exc:
        raise InputError(str(exc)) from None
    return baseline, alternative


def result_json(result: pb.ModelResult, baseline: pb.Path, scenario: pb.Path | None) -> dict:
    out: dict = {
        "gamma": result.gamma,
        "baseline": [
            {"date": d.isoformat(), "pbe_bp": v} for d, v in zip(baseline.dates, result.baseline_bp)
        ],
    }
    if scenario is not None and result.scenario_bp is not None:
        out["scenario"] = [
            {"date": d.isoformat(), "pbe_bp": v} for d, v in zip(scenario.dates, result.scenario_bp)
        ]
        out["impact_bp"] = result.impact_bp
    return out


def result_table(result: pb.ModelResult, baseline: pb.Path) -> str:
    lines = [f"gamma = {result.gamma:.6g} bp per (percent of GDP x quarter)"]
    if result.impact_bp is not None:
        lines.append(
            f"impact on announcement = {result.impact_bp:+.2f} bp "
            "(positive: the term premium rises)"
        )
    header = f"{'date':<12}{'baseline bp':>12}"
    if result.scenario_bp is not None:
        header += f"{'scenario bp':>13}{'impact bp':>11}"
    lines.append(header)
    for i, day in enumerate(baseline.dates):
        line = f"{day.isoformat():<12}{result.baseline_bp[i]:>12.2f}"
        if result.scenario_bp is not None:
            line += f"{result.scenario_bp[i]:>13.2f}{result.impact_path_bp[i]:>11.2f}"
        lines.append(line)
    return "\n".join(lines)


def number(text: str, option: str) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise InputError(f"{option} must be a number, got '{str(text)[:20]}'.") from None
    if not math.isfinite(value):
        raise InputError(f"{option} must be a finite number, got '{text}'.")
    return value


def run(args) -> int:
    try:
        horizon = number(args.horizon, "--horizon")
        if horizon != int(horizon):
            raise InputError(f"--horizon must be a whole number of quarters, got '{args.horizon}'.")
        args.horizon = int(horizon)
        args.calibrate_bp = number(args.calibrate_bp, "--calibrate-bp")
        args.normal = number(args.normal, "--normal")
        beta = number(args.beta, "--beta")
        if not 0.0 < beta <= 1.0:
            raise InputError(f"--beta must be in (0, 1], got {args.beta}.")
        args.beta = beta
        if args.preset is not None:
            if args.baseline is not None or args.path is not None:
                raise InputError("Give either --preset or --baseline/--path files, not both.")
            baseline, scenario = preset_paths(args.preset, args)
        else:
            if args.baseline is None:
                raise InputError("Give --baseline CSV (or --preset NAME).")
            baseline = read_path_csv(args.baseline, "baseline")
            scenario = read_path_csv(args.path, "scenario") if args.path is not None else None
        result = pb.run_model(
            baseline, scenario, beta=args.beta, normal=args.normal, c_bp=args.calibrate_bp
        )
    except (InputError, pb.ModelInputError) as exc:
        print(f"scenario: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(result_json(result, baseline, scenario), indent=2, allow_nan=False))
    else:
        print(result_table(result, baseline))
    return 0
