"""`python -m dashboard data`: list the catalog with each series' status and freshness.

Reads only what is already on disk (cache, data folder, bundled snapshot): never the network.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Sequence

from dashboard.catalog import SERIES, UnknownSeriesError, get_info
from dashboard.config import Settings
from dashboard.data import DataStore

MESSAGE_WIDTH = 70


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "data",
        help="List the catalog with status and freshness.",
        description="List every series with where its data comes from, its last observation "
        "and how fresh it is. Never uses the network.",
    )
    parser.add_argument(
        "--series", nargs="+", metavar="ID", help="only these series (default: all)"
    )
    parser.add_argument("--wide", action="store_true", help="do not shorten messages")
    parser.set_defaults(run=run)


def local_store() -> DataStore:
    """A store from the environment that never starts a background fetch."""
    settings = dataclasses.replace(Settings.from_env(), background_refresh=False)
    return DataStore(settings)


def check_ids(ids: Sequence[str] | None) -> str | None:
    """A message naming the first unknown id, or None when all are known."""
    for sid in ids or ():
        try:
            get_info(sid)
        except UnknownSeriesError as exc:
            return f"{exc} Run `python -m dashboard data` to list the series."
    return None


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table with aligned columns (numbers right-aligned)."""
    cells = [[("" if c is None else str(c)) for c in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    numeric = [
        all(_is_number(r[i]) for r in cells if r[i]) and any(r[i] for r in cells)
        for i in range(len(headers))
    ]

    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(list(headers)), rule, *(line(r) for r in cells)])


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def run(args) -> int:
    problem = check_ids(args.series)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    store = local_store()
    ids = args.series or [info.id for info in SERIES]
    rows = []
    for sid in ids:
        data = store.get(sid)
        status = data.status
        message = status.message if args.wide else shorten(status.message, MESSAGE_WIDTH)
        rows.append(
            [
                data.info.id,
                data.info.category,
                status.label,
                status.source,
                status.last_date.isoformat() if status.last_date else "-",
                "-" if status.age_days is None else status.age_days,
                f"{len(data.values):,}",
                message,
            ]
        )
    headers = ["series", "category", "status", "source", "last date", "age (days)", "rows"]
    print(format_table([*headers, "message"], rows))
    mode = "offline (DASHBOARD_OFFLINE=1)" if store.settings.offline else "online"
    folder = store.settings.data_dir or "not set (DASHBOARD_DATA_DIR)"
    print(f"\nMode: {mode}. Data folder: {folder}. Cache: {store.cache.folder}.")
    if store.notice:
        print(store.notice)
    return 0
