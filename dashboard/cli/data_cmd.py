"""`python -m dashboard data`: List the catalog with status and freshness."""

from __future__ import annotations


def register(subparsers) -> None:
    parser = subparsers.add_parser("data", help="List the catalog with status and freshness.")
    parser.set_defaults(run=run)


def run(args) -> int:
    print("not built yet")
    return 1
