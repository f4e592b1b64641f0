"""`python -m dashboard refresh`: fetch series from their live sources into the disk cache.

Shows a progress bar while it works, then one line per series: rows held, last date, what
happened and the resulting status. Exits 1 if any series failed, 2 for an unknown id.
"""

from __future__ import annotations

import sys

from tqdm import tqdm

from dashboard.catalog import stored_ids
from dashboard.cli.data_cmd import check_ids, format_table, local_store
from dashboard.data.store import RefreshResult

OUTCOME_WORDS = {
    "updated": "updated",
    "unchanged": "no new data",
    "skipped": "skipped",
    "failed": "FAILED",
    "unsaved": "NOT SAVED",
    "offline": "offline",
}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "refresh",
        help="Update the cache from live sources.",
        description="Fetch series from FRED, Yahoo Finance and LBMA into the disk cache. "
        "Series that are up to date for their release calendar are skipped unless --force.",
    )
    parser.add_argument(
        "--series",
        nargs="+",
        metavar="ID",
        help="only these series (a derived one, e.g. NETLIQ, stands for its inputs)",
    )
    parser.add_argument(
        "--force", action="store_true", help="fetch even when the data should be up to date"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(run=run)


def run(args) -> int:
    problem = check_ids(args.series)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    store = local_store()
    ids = store.expand(args.series) if args.series else stored_ids()
    if store.settings.offline:
        print("Offline mode (DASHBOARD_OFFLINE=1): nothing is fetched.", file=sys.stderr)

    bar = tqdm(
        total=len(ids),
        unit="series",
        desc="Refreshing",
        file=sys.stderr,
        disable=args.no_progress or store.settings.offline,
        dynamic_ncols=True,
    )

    def progress(result: RefreshResult) -> None:
        bar.set_postfix_str(result.series_id, refresh=False)
        bar.update(1)

    try:
        results = store.refresh(ids, force=args.force, progress=progress)
    finally:
        bar.close()

    rows = []
    for result in results:
        status = store.get(result.series_id).status
        rows.append(
            [
                result.series_id,
                f"{result.rows:,}",
                result.last_date.isoformat() if result.last_date else "-",
                OUTCOME_WORDS.get(result.outcome, result.outcome),
                status.label,
                result.message,
            ]
        )
    print(format_table(["series", "rows", "last date", "outcome", "status", "message"], rows))
    failed = [r.series_id for r in results if r.outcome in ("failed", "unsaved")]
    counts = {o: sum(r.outcome == o for r in results) for o in OUTCOME_WORDS}
    summary = ", ".join(f"{n} {OUTCOME_WORDS[o]}" for o, n in counts.items() if n)
    print(f"\n{len(results)} series: {summary}.")
    if store.notice:
        print(store.notice)
    if failed:
        print(f"Failed: {' '.join(failed)}. The data held before is kept.", file=sys.stderr)
        return 1
    return 0
