"""The Overview's headline cards (WALCL, reserves, reverse repo, TGA, net liquidity) and
the current-regime card, with the money and signed-number formatting they use."""

from __future__ import annotations

import math

import dash_bootstrap_components as dbc
from dash import html

from dashboard.analytics.overview import (
    NETLIQ_ID,
    Headline,
    Regime,
    derive_regime,
    headline_cards,
)
from dashboard.data import get_store
from dashboard.episodes import load_episodes
from dashboard.pages.overview.ids import (
    CARDS,
)
from dashboard.pages.overview.what_moved import what_moved_button

LIQUIDITY_DRAINS = ("WTREGEN", "RRPONTSYD")
NETLIQ_FORMULA = "= WALCL − TGA − RRP (Wednesday values)"
CARD_SERIES = ("WALCL", "WRESBAL", "RRPONTSYD", "WTREGEN", "NETLIQ")
REGIME_SERIES = ("TREAST", "WSHOMCB")
REGIME_COLORS = {
    "QE": "success",
    "QT": "danger",
    "Reserve management": "info",
    "Neutral": "secondary",
    "Unknown": "light",
}


# ---- formatting ------------------------------------------------------------------------------
def signed(value: float, digits: int = 0) -> str:
    """+12 / −3.4 with a real minus sign; "—" for a value that is not a number."""
    if not math.isfinite(value):
        return "—"
    text = f"{abs(value):,.{digits}f}"
    return ("−" if value < 0 and float(text.replace(",", "")) != 0 else "+") + text


def money(value: float, units: str) -> str:
    """ "$6.75 tn", "$412 bn": digits chosen for the magnitude; "—" for no number."""
    if not math.isfinite(value):
        return "—"
    scale = units.replace("$ ", "")
    digits = 2 if scale == "tn" else (1 if abs(value) < 100 else 0)
    return f"${value:,.{digits}f} {scale}"


def change_text(days: int) -> str:
    return {7: "1 wk", 91: "13 wk"}.get(days, f"{days} d")


# ---- layout pieces ---------------------------------------------------------------------------
def headline_card(card: Headline) -> dbc.Col:
    if card.value is None:
        body = [html.Div("no data", className="overview-card-value text-muted")]
    else:
        changes = []
        # Colour by the effect on liquidity, not the sign: a growing TGA or reverse repo
        # takes cash out of bank reserves, so it is red.
        drains = card.series_id in LIQUIDITY_DRAINS
        for change in card.changes:
            adds = change.absolute < 0 if drains else change.absolute > 0
            color = (
                "text-muted"
                if change.absolute == 0
                else ("text-success" if adds else "text-danger")
            )
            pct = (
                f" ({signed(change.percent, 1)}%)"
                if change.percent is not None and card.units == "$ tn"
                else ""
            )
            changes.append(
                html.Span(
                    [
                        html.Span(change_text(change.days) + " ", className="text-muted"),
                        html.Span(
                            f"{signed(change.absolute, 1 if abs(change.absolute) < 10 else 0)}"
                            f" bn{pct}",
                            className=color,
                        ),
                    ],
                    className="me-2 d-inline-block",
                )
            )
        body = [
            html.Div(money(card.value, card.units), className="overview-card-value"),
            html.Div(changes, className="overview-card-change small"),
        ]
    as_of = f"as of {card.as_of:%Y-%m-%d}" if card.as_of else "no observation"
    return dbc.Col(
        dbc.Card(
            dbc.CardBody(
                [
                    html.Div(
                        [card.title, html.Code(card.series_id, className="ms-1 small")],
                        className="overview-card-title",
                    )
                ]
                + body
                + (
                    [html.Div(NETLIQ_FORMULA, className="small text-muted"), what_moved_button()]
                    if card.series_id == NETLIQ_ID
                    else []
                )
                + [html.Div(as_of, className="overview-card-asof small text-muted")]
            ),
            className="overview-card h-100",
            id={"type": "overview-card", "series": card.series_id},
        ),
        xs=6,
        md=4,
        xl=2,
        className="mb-3",
    )


def regime_card(regime: Regime) -> dbc.Col:
    episode = (
        html.Div(f"Matches {regime.episode.name}", className="small") if regime.episode else None
    )
    as_of = f"as of {regime.as_of:%Y-%m-%d}" if regime.as_of else "no observation"
    return dbc.Col(
        dbc.Card(
            dbc.CardBody(
                [
                    html.Div("Current regime", className="overview-card-title"),
                    html.Div(
                        dbc.Badge(
                            regime.label,
                            color=REGIME_COLORS.get(regime.label, "secondary"),
                            className="overview-regime-badge",
                        ),
                        className="overview-card-value",
                    ),
                    html.Div(regime.explanation, className="small text-muted overview-regime-why"),
                    episode,
                    html.Div(as_of, className="overview-card-asof small text-muted"),
                ]
            ),
            className="overview-card h-100",
            id="overview-regime-card",
        ),
        xs=12,
        md=8,
        xl=2,
        className="mb-3",
    )


def build_cards() -> dbc.Row:
    store = get_store()
    datas = store.get_many(CARD_SERIES + REGIME_SERIES)
    cards = headline_cards({sid: d.values for sid, d in datas.items()})
    regime = derive_regime(datas["TREAST"].values, datas["WSHOMCB"].values, load_episodes())
    return dbc.Row(
        [headline_card(c) for c in cards] + [regime_card(regime)], id=CARDS, className="g-3"
    )
