"""The deep dive's event-study tables: one row per QE or QT episode with the asset's change
during and after it, and the class claim with our verdict."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard.analytics import event_study as es
from dashboard.figures.compare import format_change
from dashboard.pages.asset import ids

VERDICT_COLORS = {
    es.HOLDS: "success",
    es.PARTLY: "warning",
    es.FAILS: "danger",
    es.NO_DATA: "secondary",
    es.NO_CLAIM: "light",
}


def _cell(change: es.EventChange | None) -> html.Td:
    if change is None or not change.available:
        return html.Td(
            "n/a", className="text-end text-muted", title=change.reason if change else ""
        )
    title = (
        f"{change.start.date:%Y-%m-%d}: {change.start.value:,.4g} → "
        f"{change.end.date:%Y-%m-%d}: {change.end.value:,.4g}"
    )
    return html.Td(
        format_change(change.change, change.unit) + (" *" if change.to_date else ""),
        className="text-end",
        title=title,
        **{"data-episode": change.episode_id, "data-window": change.window},
    )


def hit_text(summary: es.KindSummary, window: str) -> str:
    hits, measured = summary.hits(window)
    if summary.claim is None or not measured:
        return "n/a"
    return f"{hits} of {measured}"


def episode_table(summary: es.KindSummary) -> dbc.Table:
    """One row per episode of the kind: start → end and +3/+6/+12 months; then the median
    and the hit rate against the direction the class claim states."""
    unit = es.change_unit(summary.asset.change_kind, summary.asset.units)[1]
    head = html.Thead(
        html.Tr(
            [html.Th("Episode"), html.Th("Dates")]
            + [html.Th(es.WINDOW_LABELS[w], className="text-end") for w in es.WINDOWS]
        )
    )
    rows = []
    for episode in summary.episodes:
        end = f"{episode.end:%Y-%m-%d}" if episode.end else "ongoing"
        rows.append(
            html.Tr(
                [
                    html.Td(html.A(episode.name, href=f"/episodes#episodes-row-{episode.id}")),
                    html.Td(
                        html.Small(f"{episode.start:%Y-%m-%d} → {end}"), className="text-nowrap"
                    ),
                ]
                + [_cell(summary.cells.get((episode.id, w))) for w in es.WINDOWS]
            )
        )
    median = [
        html.Td(format_change(summary.median(w), unit), className="text-end fw-semibold")
        for w in es.WINDOWS
    ]
    rows.append(html.Tr([html.Td("Median", className="fw-semibold"), html.Td("")] + median))
    direction = (
        ("rise" if summary.claim and summary.claim.direction > 0 else "fall")
        if summary.claim
        else ""
    )
    hit_label = f"Hit rate ({direction}, as claimed)" if summary.claim else "Hit rate (no claim)"
    rows.append(
        html.Tr(
            [html.Td(hit_label, className="fw-semibold"), html.Td("")]
            + [html.Td(hit_text(summary, w), className="text-end") for w in es.WINDOWS]
        )
    )
    return dbc.Table(
        [head, html.Tbody(rows)],
        id=f"{ids.EPISODE_TABLE}-{summary.kind.lower()}",
        size="sm",
        hover=True,
        responsive=True,
        className="mb-0 align-middle",
    )


def verdict_badge(summary: es.KindSummary) -> dbc.Badge:
    verdict = summary.verdict
    return dbc.Badge(verdict, color=VERDICT_COLORS[verdict], className="me-2")


def claim_line(summary: es.KindSummary) -> html.Div:
    """The class claim after each `kind` start in one line, with our verdict worded as the
    Episodes page words it (holds / partly / does not hold / no data)."""
    if summary.claim is None:
        return html.Div(
            [
                verdict_badge(summary),
                f"No common claim about this class after a {summary.kind} start.",
            ],
            className="mb-2",
        )
    check = summary.check
    inside = (
        f"{len(check.inside)} of {len(check.measured)} {summary.kind} episodes inside "
        f"{summary.claim.range_text()}; "
        f"{len(check.same_direction)} of {len(check.measured)} in the claimed direction."
        if check.measured
        else "no episode with data."
    )
    return html.Div(
        [
            verdict_badge(summary),
            html.Span(f"“{summary.claim.text}”", className="fw-semibold"),
            html.Div(html.Small(inside, className="text-muted")),
        ],
        className="mb-2",
        **{"data-kind": summary.kind, "data-verdict": summary.verdict},
    )
