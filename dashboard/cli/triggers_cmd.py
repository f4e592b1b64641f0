"""`python -m dashboard triggers`: Print liquidity trigger readings."""

from __future__ import annotations


def register(subparsers) -> None:
    parser = subparsers.add_parser("triggers", help="Print liquidity trigger readings.")
    parser.set_defaults(run=run)


def run(args) -> int:
    print("not built yet")
    return 1
