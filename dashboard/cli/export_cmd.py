"""`python -m dashboard export`: Export the overview chart to a file."""

from __future__ import annotations


def register(subparsers) -> None:
    parser = subparsers.add_parser("export", help="Export the overview chart to a file.")
    parser.set_defaults(run=run)


def run(args) -> int:
    print("not built yet")
    return 1
