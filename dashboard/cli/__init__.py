"""CLI commands. Each module has `register(subparsers)`, which adds a parser whose
`run(args) -> int` default does the work."""

from dashboard.cli import data_cmd, export_cmd, refresh_cmd, scenario_cmd, triggers_cmd

COMMANDS = (refresh_cmd, data_cmd, triggers_cmd, export_cmd, scenario_cmd)
