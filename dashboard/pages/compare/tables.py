"""The Compare page's tables and cards that the callbacks fill: the side-by-side summary, the
correlation windows and the "why this pair matters" card."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard.analytics import compare as stats
from dashboard.analytics.lead_shift import MIN_PAIRS, ShiftedPair, signed
from dashboard.data import SeriesData
from dashboard.figures import compare as figs
from dashboard.pages.compare.state import pair_texts


def card(title: str, body, subtitle: str | None = None, class_name: str = "mb-3") -> dbc.Card:
    header = [html.Span(title, className="fw-semibold")]
    if subtitle:
        header.append(html.Small(subtitle, className="text-muted ms-2"))
    return dbc.Card([dbc.CardHeader(header), dbc.CardBody(body)], className=class_name)


def why_card(a: str, b: str) -> dbc.Alert | None:
    text = pair_texts().get(frozenset((a, b)))
    if text is None:
        return None
    title, body = text
    return card("Why this pair matters", html.P(body, className="mb-0"), title)


def _swatch(color: str) -> html.Span:
    return html.Span(
        className="d-inline-block me-2 rounded-circle",
        style={"width": "10px", "height": "10px", "backgroundColor": color},
    )


def _changes_cell(change: stats.PeriodChange | None) -> html.Td:
    if change is None or change.change is None:
        return html.Td(
            "n/a", className="text-end text-muted", title="the series does not reach back that far"
        )
    base = change.base
    title = f"from {base.date:%Y-%m-%d} to {change.end.date:%Y-%m-%d}"
    return html.Td(
        figs.format_change(change.change, change.unit), className="text-end", title=title
    )


def summary_table(da: SeriesData, db: SeriesData) -> html.Div:
    """The side-by-side table: latest value, period changes and 90-day statistics."""
    rows: list = []
    cols = []
    for data, color in ((da, figs.COLOR_A), (db, figs.COLOR_B)):
        info, values = data.info, data.values
        cols.append(
            {
                "head": html.Th(
                    [
                        _swatch(color),
                        html.A(info.label, href=f"/asset/{info.id}", title="Deep dive"),
                        html.Div(html.Small(info.units, className="text-muted fw-normal")),
                    ],
                    className="text-end",
                ),
                "changes": {
                    c.label: c for c in stats.period_changes(values, info.change_kind, info.units)
                },
                "window": None
                if values.empty
                else stats.window_stats(values, info.change_kind, info.units),
                "info": info,
                "last": None if values.empty else (values.index[-1], float(values.iloc[-1])),
            }
        )
    head = html.Thead(html.Tr([html.Th("")] + [c["head"] for c in cols]))
    latest = [html.Td("Latest")]
    for c in cols:
        if c["last"] is None:
            latest.append(html.Td("no data", className="text-end text-muted"))
        else:
            day, value = c["last"]
            latest.append(
                html.Td(
                    [
                        html.Strong(figs.format_level(value, c["info"].units)),
                        html.Div(html.Small(f"{day:%Y-%m-%d}", className="text-muted")),
                    ],
                    className="text-end",
                )
            )
    rows.append(html.Tr(latest))
    for label, _ in stats.PERIODS:
        rows.append(
            html.Tr(
                [html.Td(f"Change {label}")]
                + [_changes_cell(c["changes"].get(label)) for c in cols]
            )
        )
    rows.append(
        html.Tr(
            html.Td(
                "Last 90 days",
                colSpan=3,
                className="small text-uppercase text-muted pt-3 fw-semibold",
            )
        )
    )
    for key, name in (("mean", "Mean"), ("min", "Min"), ("max", "Max"), ("std", "Std. dev.")):
        cells = [html.Td(name)]
        for c in cols:
            w, units = c["window"], c["info"].units
            if w is None:
                text = "n/a"
            elif key == "std":
                text = figs.format_dispersion(w.std, units)
            else:
                text = figs.format_level(getattr(w, key), units)
            cells.append(html.Td(text, className="text-end"))
        rows.append(html.Tr(cells))
    cells = [html.Td("Change over 90 days")]
    for c in cols:
        w = c["window"]
        cells.append(
            html.Td(
                "n/a" if w is None else figs.format_change(w.change, w.change_unit),
                className="text-end",
                title=""
                if w is None
                else f"{w.count} observations from {w.first:%Y-%m-%d} to {w.last:%Y-%m-%d}",
            )
        )
    rows.append(html.Tr(cells))
    return dbc.Table(
        [head, html.Tbody(rows)], size="sm", hover=True, className="mb-0", responsive=True
    )


def correlation_table(windows: list[stats.Correlation], unit_a: str, unit_b: str) -> html.Div:
    body = []
    for corr in windows:
        if corr.n == 0 or pd.isna(corr.r):
            body.append(
                html.Tr([html.Td(corr.label), html.Td("n/a", colSpan=3, className="text-muted")])
            )
            continue
        mark = (
            dbc.Badge("significant", color="success", className="ms-1")
            if corr.significant
            else dbc.Badge("not significant", color="secondary", className="ms-1")
        )
        body.append(
            html.Tr(
                [
                    html.Td(corr.label),
                    html.Td(html.Strong(f"{corr.r:+.2f}"), className="text-end"),
                    html.Td(f"{corr.n}", className="text-end"),
                    html.Td(
                        [f"{corr.first:%Y-%m-%d} → {corr.last:%Y-%m-%d}", mark], className="small"
                    ),
                ]
            )
        )
    head = html.Thead(
        html.Tr(
            [
                html.Th("Window"),
                html.Th("r", className="text-end"),
                html.Th("Weeks", className="text-end"),
                html.Th("Period"),
            ]
        )
    )
    return html.Div(
        [
            dbc.Table([head, html.Tbody(body)], size="sm", className="mb-2"),
            html.Small(
                f"Pearson r of weekly changes (A in {unit_a}, B in {unit_b}), weeks where both "
                "exist. Significant: |r| > 1.96/√n, the 5 % band for no relation.",
                className="text-muted",
            ),
        ]
    )


def shift_sentence(
    pair: ShiftedPair, label_a: str, label_b: str, max_lag: int, note: str | None = None
) -> list:
    """What the lead shift pairs, and r with its number of weekly pairs at that shift (the
    lead/lag chart's bar at the same lag); `note` says why a typed shift was changed."""
    weeks = abs(pair.weeks)
    unit = f"{weeks} week{'s' if weeks != 1 else ''}"
    if pair.weeks == 0:
        what = f"No shift: {label_a}'s weekly change set against {label_b}'s in the same week"
    elif pair.weeks > 0:
        what = (
            f"{label_a} moved {unit} later: its weekly change set against {label_b}'s {unit} after"
        )
    else:
        what = f"{label_a} moved {unit} earlier: its weekly change set against {label_b}'s {unit} before"
    if pair.r != pair.r:  # NaN: too few pairs
        result = f"too few weekly pairs at this shift ({pair.n}; r needs {MIN_PAIRS})."
    else:
        bar = (
            f"the lead/lag bar at {signed(pair.weeks)} weeks"
            if weeks <= max_lag
            else f"beyond the lead/lag chart's ±{max_lag} weeks"
        )
        result = f"r = {pair.r:+.2f} over {pair.n} weekly pairs ({bar})."
    out = [f"{what}; ", html.Strong(result)]
    if note:
        out = [html.Div(note, className="fw-semibold")] + out
    return out
