"""The Episodes page's assets and URL values: which series the event study covers, how each is
named (price-only closes say so), and the checks that turn raw URL values into a valid view."""

from __future__ import annotations

from dashboard.analytics import event_study as es
from dashboard.catalog import get_info

BALANCE_SHEET = "WALCL"
STUDY_ASSETS = ("SPY", "TLT", "BTC-USD", "LBMA_GOLD_PM_USD", "BAMLH0A0HYM2", "DTWEXBGS", "DGS10")
# ETF closes from Yahoo leave out dividends (SPY) and coupons (TLT: ~2-4 % a year), which
# matters over multi-year episodes: every such column says so in its own label.
PRICE_ONLY = ("SPY", "TLT")
ASSET_LABELS = {
    "SPY": "S&P 500 (SPY)",
    "TLT": "Long Treasuries (TLT)",
    "BTC-USD": "Bitcoin",
    "LBMA_GOLD_PM_USD": "Gold",
    "BAMLH0A0HYM2": "HY OAS",
    "DTWEXBGS": "Dollar (broad)",
    "DGS10": "10Y yield",
}
DEFAULT_ASSET, DEFAULT_WINDOW = "SPY", "12m"


def row_id(episode_id: str) -> str:
    """The id of an episode's row in the episodes table (a link target)."""
    return f"episodes-row-{episode_id}"


def shown_label(asset_id: str) -> str:
    """An asset's name wherever a column, button or chart names it: price-only closes say so."""
    label = ASSET_LABELS.get(asset_id, asset_id)
    return f"{label}, price only" if asset_id in PRICE_ONLY else label


def study_assets() -> list[es.Asset]:
    return [
        es.Asset(sid, ASSET_LABELS[sid], get_info(sid).change_kind, get_info(sid).units)
        for sid in STUDY_ASSETS
    ]


def resolve_query(asset: object, window: object) -> tuple[str, str, list[str]]:
    """Valid (asset, window) from raw URL values, and notices for anything replaced."""
    notices = []
    if asset in (None, ""):
        asset = DEFAULT_ASSET
    elif asset not in STUDY_ASSETS:
        notices.append(f"Unknown asset '{str(asset)[:40]}'; showing {ASSET_LABELS[DEFAULT_ASSET]}.")
        asset = DEFAULT_ASSET
    if window in (None, ""):
        window = DEFAULT_WINDOW
    elif window not in es.WINDOWS:
        notices.append(f"Unknown window '{str(window)[:20]}'; showing +12 months.")
        window = DEFAULT_WINDOW
    return asset, window, notices
