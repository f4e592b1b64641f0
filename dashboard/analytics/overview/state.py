"""The Overview's view state: what defines the chart (overlays, window, rebasing, layout),
its defaults and the choices each control allows. Parsing it from a URL is in `query.py`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

MAIN_ID = "WALCL"
NETLIQ_ID = "NETLIQ"
# LBMA gold, not GLD: the benchmark price of the metal itself in $/oz, from 1968, with no
# fund fee drag; GLD stays one click away in the series picker.
DEFAULT_OVERLAYS: tuple[str, ...] = ("TLT", "BAMLH0A0HYM2", "BTC-USD", "LBMA_GOLD_PM_USD")
MAX_OVERLAYS = 8  # more right axes than this do not fit beside a chart

RANGE_PRESETS: tuple[str, ...] = ("1Y", "3Y", "5Y", "10Y", "MAX", "EPISODE")
RANGE_LABELS = {
    "1Y": "1Y",
    "3Y": "3Y",
    "5Y": "5Y",
    "10Y": "10Y",
    "MAX": "Max",
    "EPISODE": "Episode",
}
RANGE_YEARS = {"1Y": 1, "3Y": 3, "5Y": 5, "10Y": 10}
MODES: tuple[str, ...] = ("axes", "stacked")
REBASES: tuple[str, ...] = ("off", "start", "episode")


@dataclass(frozen=True)
class OverviewState:
    """Everything that defines the chart; it round-trips through the URL query string.

    overlays: catalog ids drawn against WALCL. range: a RANGE_PRESETS value. rebase: "off",
    "start" (100 at the window start) or "episode" (100 at `episode`'s start). mode: "axes"
    (one right axis per overlay) or "stacked" (one panel per overlay). episode: the episode
    used by range "EPISODE" and rebase "episode". date_from / date_to: a window typed in or
    zoomed to (URL `from` / `to`); when set they replace the preset's start / end, so what is
    on screen, and rebasing at its start, survive a copied link. units: (series id, unit
    code) for each drawn series not shown as its level (URL `units=NETLIQ:pc1,BTC-USD:pc1`;
    codes in `dashboard/analytics/units.py`), in drawing order.
    """

    overlays: tuple[str, ...] = DEFAULT_OVERLAYS
    range: str = "MAX"
    rebase: str = "off"
    log: bool = False
    mode: str = "axes"
    episodes: bool = True
    netliq: bool = False
    episode: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    recessions: bool = False
    fomc: bool = False  # FOMC meeting markers (URL fomc=1)
    h41: bool = False  # the next expected H.4.1 release as a marker (URL h41=1)
    units: tuple[tuple[str, str], ...] = ()

    def drawn(self) -> list[str]:
        """The series this state draws, in order: WALCL, net liquidity, the overlays."""
        return [MAIN_ID] + ([NETLIQ_ID] if self.netliq else []) + list(self.overlays)

    def unit(self, series_id: str) -> str:
        """The unit code `series_id` is shown in ("lin", the level, unless set)."""
        return dict(self.units).get(series_id, "lin")


DEFAULT_STATE = OverviewState()
