"""`python -m dashboard export`: the Overview chart to a PNG, SVG, PDF or CSV file.

Same view, same numbers as the page: the options mirror the page's URL parameters, e.g.
`python -m dashboard export --overlays TLT,BTC-USD --range 10Y --format png --out chart.png`.
Anything the page would quietly replace by a default is an error here (exit 2), so a script
never gets a chart it did not ask for.
"""

from __future__ import annotations

import sys
from pathlib import Path

from dashboard.analytics.overview import DEFAULT_OVERLAYS, RANGE_PRESETS, parse_state
from dashboard.episodes import load_episodes
from dashboard.export import FORMATS, ExportError, export_view
from dashboard.views import load_view


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "export",
        help="Export the overview chart to a file (png, svg, pdf or csv).",
        description="Export the overview chart (WALCL against overlays) to a file.",
    )
    parser.add_argument(
        "--overlays",
        default=",".join(DEFAULT_OVERLAYS),
        help="comma-separated catalog ids (default: %(default)s; '' for none)",
    )
    parser.add_argument(
        "--range",
        default="MAX",
        type=str.upper,
        help=f"one of {', '.join(RANGE_PRESETS)} (default: %(default)s)",
    )
    parser.add_argument(
        "--episode",
        default=None,
        help="episode id for --range EPISODE or --rebase episode, e.g. QT2",
    )
    parser.add_argument(
        "--rebase",
        default="0",
        choices=["0", "1", "episode"],
        help="0 = off, 1 = 100 at the range start, episode = at its start",
    )
    parser.add_argument("--mode", default="axes", choices=["axes", "stacked"])
    parser.add_argument("--log", action="store_true", help="log-scale value axes")
    parser.add_argument("--netliq", action="store_true", help="add net liquidity")
    parser.add_argument("--no-episodes", action="store_true", help="no QE/QT bands")
    parser.add_argument(
        "--units",
        default=None,
        help="units per series as in the page's URL, e.g. NETLIQ:pc1,BTC-USD:pc1 "
        "(lin, chg, pch, ch1, pc1, c13, log)",
    )
    parser.add_argument("--theme", default="light", choices=["light", "dark"])
    parser.add_argument(
        "--format",
        default=None,
        choices=list(FORMATS),
        help="file format (default: from --out's extension)",
    )
    parser.add_argument("--out", required=True, help="file to write")
    parser.set_defaults(run=run)


def run(args) -> int:
    out = Path(args.out)
    fmt = args.format or out.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        print(
            f"error: cannot tell the format from '{out.name}'; add --format ({', '.join(FORMATS)})",
            file=sys.stderr,
        )
        return 2
    query = {
        "overlays": args.overlays,
        "range": args.range,
        "rebase": args.rebase,
        "mode": args.mode,
        "log": "1" if args.log else "0",
        "netliq": "1" if args.netliq else "0",
        "episodes": "0" if args.no_episodes else "1",
    }
    if args.episode:
        query["episode"] = args.episode
    if args.units:
        query["units"] = args.units
    state, notices = parse_state(query, load_episodes())
    if notices:
        for notice in notices:
            print(f"error: {notice}", file=sys.stderr)
        return 2
    view, _ = load_view(state)
    for notice in view.notices:
        print(f"note: {notice}", file=sys.stderr)
    try:
        exported = export_view(view, fmt, args.theme)
    except ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        out.write_bytes(exported.content)
    except OSError as exc:
        print(f"error: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(
        f"wrote {out} ({len(exported.content):,} bytes, {view.start} to {view.end}; "
        f"suggested name {exported.filename})"
    )
    return 0
