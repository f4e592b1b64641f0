"""`python -m dashboard refresh`: Update the cache from live sources."""

from __future__ import annotations


def register(subparsers) -> None:
    parser = subparsers.add_parser("refresh", help="Update the cache from live sources.")
    parser.set_defaults(run=run)


def run(args) -> int:
    print("not built yet")
    return 1
