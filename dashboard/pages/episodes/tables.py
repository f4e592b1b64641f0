"""The Episodes page's tables: every episode with what WALCL did in it, the event study (one
table per window) and the claims check."""

from __future__ import annotations

import math
from datetime import date

import dash_bootstrap_components as dbc
from dash import html

from dashboard.analytics import event_study as es
from dashboard.episodes import KIND_LABELS, Episode, load_episodes, main_episodes
from dashboard.figures.compare import format_change, format_level
from dashboard.pages.episodes import ids
from dashboard.pages.episodes.state import row_id, shown_label

VERDICT_COLORS = {
    es.HOLDS: "success",
    es.PARTLY: "warning",
    es.FAILS: "danger",
    es.NO_DATA: "secondary",
}
KIND_BADGE = {
    "QE": "success",
    "QT": "danger",
    "RMP": "primary",
    "TWIST": "secondary",
    "FACILITY": "warning",
}


# ---- tables -----------------------------------------------------------------------------
def _kind_badge(kind: str) -> dbc.Badge:
    return dbc.Badge(
        kind, color=KIND_BADGE.get(kind, "secondary"), title=KIND_LABELS[kind], className="me-1"
    )


def _length(episode: Episode, today: date) -> str:
    days = (episode.end_or(today) - episode.start).days
    months = days / es.DAYS_PER_MONTH
    text = f"{months:.1f} months" if months < 24 else f"{months / 12:.1f} years"
    return f"{text} so far" if episode.ongoing else text


def _observation_title(change: es.EventChange) -> str:
    if not change.available:
        return change.reason
    if not all(map(math.isfinite, (change.start.value, change.end.value))):
        return "no number"
    return (
        f"{change.start.date:%Y-%m-%d}: {change.start.value:,.4g} → "
        f"{change.end.date:%Y-%m-%d}: {change.end.value:,.4g}"
        + (" (to date)" if change.to_date else "")
    )


def episodes_table(walcl_changes: dict[str, es.EventChange], today: date) -> dbc.Table:
    """Every episode in the episodes file (sub-phases indented under their episode)."""
    head = html.Thead(
        html.Tr(
            [
                html.Th("Episode"),
                html.Th("Kind"),
                html.Th("Announced"),
                html.Th("Start"),
                html.Th("End"),
                html.Th("Length"),
                html.Th("WALCL at start", className="text-end"),
                html.Th("WALCL change, $", className="text-end"),
                html.Th("WALCL change, %", className="text-end"),
            ]
        )
    )
    rows = []
    for episode in load_episodes():
        walcl = walcl_changes.get(episode.id)
        name = [
            html.A(
                episode.name, href=episode.source_url, target="_blank", title=episode.description
            )
        ]
        if episode.is_phase:
            name = [html.Span("↳ ", className="text-muted")] + name
        if walcl is None or not walcl.available:
            money = [
                html.Td("n/a", className="text-end text-muted", title=walcl.reason if walcl else "")
            ] * 3
        else:
            note = " to date" if walcl.to_date else ""
            money = [
                html.Td(
                    format_level(walcl.start.value, "Millions of U.S. Dollars"),
                    className="text-end",
                    title=f"as of {walcl.start.date:%Y-%m-%d}",
                ),
                html.Td(
                    format_change(walcl.end.value - walcl.start.value, "Millions of U.S. Dollars")
                    + note,
                    className="text-end",
                    title=_observation_title(walcl),
                ),
                html.Td(
                    format_change(walcl.change, "%") + note,
                    className="text-end",
                    title=_observation_title(walcl),
                ),
            ]
        rows.append(
            html.Tr(
                [
                    html.Td(name, className="ps-4" if episode.is_phase else ""),
                    html.Td(_kind_badge(episode.kind)),
                    html.Td(f"{episode.announced:%Y-%m-%d}"),
                    html.Td(f"{episode.start:%Y-%m-%d}"),
                    html.Td(
                        f"{episode.end:%Y-%m-%d}"
                        if episode.end
                        else dbc.Badge("ongoing", color="info")
                    ),
                    html.Td(_length(episode, today)),
                    *money,
                ],
                id=row_id(episode.id),
                className="small text-muted" if episode.is_phase else "",
            )
        )
    return dbc.Table(
        [head, html.Tbody(rows)],
        id=ids.TABLE,
        size="sm",
        hover=True,
        responsive=True,
        className="mb-0 align-middle",
    )


def event_table(changes: list[es.EventChange], window: str, assets: list[es.Asset]) -> dbc.Table:
    """Rows: main episodes; columns: assets; cells: the change over `window`."""
    cells = {(c.episode_id, c.asset_id): c for c in changes if c.window == window}
    head = html.Thead(
        html.Tr(
            [html.Th("Episode")]
            + [
                html.Th(
                    [
                        html.A(shown_label(a.id), href=f"/asset/{a.id}", title="Deep dive"),
                        html.Div(
                            html.Small(
                                es.change_unit(a.change_kind, a.units)[1],
                                className="text-muted fw-normal",
                            )
                        ),
                    ],
                    className="text-end",
                )
                for a in assets
            ]
        )
    )
    rows = []
    for episode in main_episodes():
        row = [
            html.Td(
                [_kind_badge(episode.kind), html.A(episode.name, href=f"#{row_id(episode.id)}")]
            )
        ]
        for asset in assets:
            cell = cells.get((episode.id, asset.id))
            if cell is None or not cell.available:
                row.append(
                    html.Td(
                        "n/a", className="text-end text-muted", title=cell.reason if cell else ""
                    )
                )
                continue
            text = format_change(cell.change, cell.unit) + (" *" if cell.to_date else "")
            row.append(
                html.Td(
                    text,
                    className="text-end",
                    title=_observation_title(cell),
                    **{"data-episode": episode.id, "data-asset": asset.id},
                )
            )
        rows.append(html.Tr(row))
    return dbc.Table(
        [head, html.Tbody(rows)],
        id=f"{ids.EVENT_TABLE}-{window}",
        size="sm",
        hover=True,
        responsive=True,
        className="mb-0 align-middle",
    )


def _episode_link(change: es.EventChange, name: str) -> html.A:
    return html.A(
        f"{name} {format_change(change.change, change.unit)}",
        href=f"#{row_id(change.episode_id)}",
        title=_observation_title(change),
        className="me-2 text-nowrap",
    )


def claims_table(checks: list[es.ClaimCheck]) -> dbc.Table:
    names = {e.id: e.name for e in load_episodes()}
    head = html.Thead(
        html.Tr(
            [
                html.Th("Claim"),
                html.Th("Claimed"),
                html.Th("Measured, each QE episode"),
                html.Th("Measured range"),
                html.Th("Inside the claim"),
                html.Th("Verdict"),
            ]
        )
    )
    rows = []
    for check in checks:
        claim = check.claim
        measured = [_episode_link(c, names.get(c.episode_id, c.episode_id)) for c in check.measured]
        missing = [
            html.Div(
                html.Small(
                    f"{names.get(c.episode_id, c.episode_id)}: n/a ({c.reason})",
                    className="text-muted",
                )
            )
            for c in check.missing
        ]
        if check.values:
            low = min(check.measured, key=lambda c: c.change)
            high = max(check.measured, key=lambda c: c.change)
            spread = (
                [
                    html.A(
                        format_change(low.change, low.unit),
                        href=f"#{row_id(low.episode_id)}",
                        title=names.get(low.episode_id),
                    ),
                    " to ",
                    html.A(
                        format_change(high.change, high.unit),
                        href=f"#{row_id(high.episode_id)}",
                        title=names.get(high.episode_id),
                    ),
                ]
                if len(check.values) > 1
                else [format_change(low.change, low.unit)]
            )
        else:
            spread = ["n/a"]
        inside_names = [names.get(c.episode_id, c.episode_id) for c in check.inside]
        inside = [
            f"{len(check.inside)} of {len(check.measured)}",
            html.Div(html.Small(", ".join(inside_names) or "none", className="text-muted")),
            html.Div(
                html.Small(
                    f"{len(check.same_direction)} of {len(check.measured)} in the claimed direction",
                    className="text-muted",
                )
            ),
        ]
        verdict = [dbc.Badge(check.verdict, color=VERDICT_COLORS[check.verdict])]
        if 0 < len(check.measured) < 2:
            verdict.append(html.Div(html.Small("one episode only", className="text-muted")))
        rows.append(
            html.Tr(
                [
                    html.Td(claim.text),
                    html.Td(claim.range_text(), className="text-nowrap"),
                    html.Td(measured + missing),
                    html.Td(spread, className="text-nowrap"),
                    html.Td(inside),
                    html.Td(verdict),
                ],
                id=f"episodes-claim-{claim.id}",
            )
        )
    return dbc.Table(
        [head, html.Tbody(rows)],
        id=ids.CLAIMS,
        size="sm",
        responsive=True,
        className="mb-0 align-middle",
    )
