"""Command line: `python -m dashboard <command>`; each command lives in dashboard/cli/."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from dashboard.cli import COMMANDS
from dashboard.logsafe import install_log_redaction


def main(argv: list[str] | None = None) -> int:
    install_log_redaction()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="python -m dashboard",
                                     description="Fed Liquidity Dashboard tools")
    commands = parser.add_subparsers(dest="command", required=True)
    for module in COMMANDS:
        module.register(commands)
    args = parser.parse_args(argv)
    return int(args.run(args) or 0)


def run() -> int:
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`... | head`): not our error. Point stdout at /dev/null so
        # Python's own flush at exit does not print a traceback either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1  # as Python's docs advise: the output was not all written
    return code


if __name__ == "__main__":
    sys.exit(run())
