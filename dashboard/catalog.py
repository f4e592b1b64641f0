"""The series catalog: every series the app knows, declared once.

Units are written exactly as the source states them. `change_kind` says how a week-to-week
move is measured in analytics: "log" for prices and balances, "diff" for rates, spreads and
indices that can be zero or negative.
"""

from __future__ import annotations

from dataclasses import dataclass


class UnknownSeriesError(KeyError):
    """Raised for an id the catalog does not know; its message is safe to show to users."""

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0] if self.args else "unknown series"


CATEGORIES = (
    "Liquidity",
    "Bonds & Duration",
    "Credit & Stress",
    "Funding",
    "Rates",
    "Crypto",
    "Commodities",
    "Equities",
    "Dollar",
)

FED_H41 = "Board of Governors of the Federal Reserve System (H.4.1), via FRED"
FED_H15 = "Board of Governors of the Federal Reserve System (H.15), via FRED"
FED_FOMC = "Board of Governors of the Federal Reserve System (FOMC), via FRED"
NYFED = "Federal Reserve Bank of New York, via FRED"
STLFED = "Federal Reserve Bank of St. Louis (FRED)"
CHIFED = "Federal Reserve Bank of Chicago, via FRED"
ICE = "ICE Data Indices, LLC, via FRED (redistribution restricted)"
MOODYS = "Moody's, via FRED (redistribution restricted)"
EXCHANGE = "Exchange closing prices via Yahoo Finance (personal use)"
CRYPTO = "Yahoo Finance crypto closes, UTC day (personal use)"

USD_M = "Millions of U.S. Dollars"
USD_B = "Billions of U.S. Dollars"
PCT = "Percent"
PER_SHARE = "U.S. Dollars per share"


@dataclass(frozen=True)
class SeriesInfo:
    """One catalog entry. `frequency`: "W-WED", "W-FRI", "D" (business days) or "D7"."""

    id: str
    name: str
    category: str
    units: str
    frequency: str
    source: str  # "fred", "yahoo", "lbma" or "derived"
    source_id: str
    description: str
    owner: str
    change_kind: str = "log"  # "log" or "diff"
    short: str = ""

    @property
    def label(self) -> str:
        return self.short or self.id

    @property
    def is_weekly(self) -> bool:
        return self.frequency.startswith("W")


def _fred(id_, name, category, units, freq, desc, owner, change="diff", short=""):
    return SeriesInfo(id_, name, category, units, freq, "fred", id_, desc, owner, change, short)


def _etf(ticker, name, category, desc, short=""):
    return SeriesInfo(
        ticker, name, category, PER_SHARE, "D", "yahoo", ticker, desc, EXCHANGE, "log", short
    )


SERIES: tuple[SeriesInfo, ...] = (
    # Liquidity — the Fed's balance sheet and what drains reserves
    _fred(
        "WALCL",
        "Fed total assets",
        "Liquidity",
        USD_M,
        "W-WED",
        "Everything the Fed owns, Wednesday level: the size of its balance sheet.",
        FED_H41,
        "log",
        "Fed balance sheet",
    ),
    _fred(
        "WRESBAL",
        "Bank reserves at the Fed",
        "Liquidity",
        USD_M,
        "W-WED",
        "Reserve balances banks hold at the Fed (week average): the system's cash cushion.",
        FED_H41,
        "log",
        "Reserves",
    ),
    _fred(
        "WTREGEN",
        "Treasury General Account (TGA)",
        "Liquidity",
        USD_M,
        "W-WED",
        "The Treasury's cash account at the Fed (week average); a rising TGA drains reserves.",
        FED_H41,
        "diff",
        "TGA",
    ),
    _fred(
        "RRPONTSYD",
        "Overnight reverse repo (ON RRP)",
        "Liquidity",
        USD_B,
        "D",
        "Cash money funds park at the Fed overnight; a drained RRP leaves reserves exposed.",
        NYFED,
        "diff",
        "Reverse repo",
    ),
    _fred(
        "TREAST",
        "Fed Treasury holdings",
        "Liquidity",
        USD_M,
        "W-WED",
        "U.S. Treasury securities the Fed holds outright, Wednesday level.",
        FED_H41,
        "log",
        "Fed Treasuries",
    ),
    _fred(
        "WSHOMCB",
        "Fed MBS holdings",
        "Liquidity",
        USD_M,
        "W-WED",
        "Mortgage-backed securities the Fed holds outright, Wednesday level.",
        FED_H41,
        "log",
        "Fed MBS",
    ),
    SeriesInfo(
        "NETLIQ",
        "Net liquidity (WALCL − TGA − RRP)",
        "Liquidity",
        USD_M,
        "W-WED",
        "derived",
        "WALCL-WTREGEN-RRPONTSYD",
        "Fed assets less the Treasury's cash and reverse repo, on the Wednesday grid: "
        "the part of the balance sheet left to markets.",
        "Derived from Federal Reserve data (H.4.1, NY Fed)",
        "log",
        "Net liquidity",
    ),
    # Bonds & duration
    _etf(
        "TLT",
        "iShares 20+ Year Treasury Bond ETF",
        "Bonds & Duration",
        "Long Treasuries; the duration trade most sensitive to QE and QT.",
        "TLT",
    ),
    _etf(
        "IEF",
        "iShares 7-10 Year Treasury Bond ETF",
        "Bonds & Duration",
        "Intermediate Treasuries.",
        "IEF",
    ),
    _etf(
        "SHY",
        "iShares 1-3 Year Treasury Bond ETF",
        "Bonds & Duration",
        "Short Treasuries, close to cash.",
        "SHY",
    ),
    _etf(
        "TIP", "iShares TIPS Bond ETF", "Bonds & Duration", "Inflation-protected Treasuries.", "TIP"
    ),
    _etf(
        "LQD",
        "iShares iBoxx $ Investment Grade Corporate Bond ETF",
        "Credit & Stress",
        "Investment-grade corporate bonds.",
        "LQD",
    ),
    # Credit & stress
    _fred(
        "BAMLH0A0HYM2",
        "ICE BofA US High Yield OAS",
        "Credit & Stress",
        PCT,
        "D",
        "Extra yield junk bonds pay over Treasuries; widens when credit stress builds.",
        ICE,
        "diff",
        "HY OAS",
    ),
    _fred(
        "BAMLH0A0HYM2EY",
        "ICE BofA US High Yield effective yield",
        "Credit & Stress",
        PCT,
        "D",
        "All-in yield of the high-yield index.",
        ICE,
        "diff",
        "HY yield",
    ),
    _fred(
        "BAMLC0A0CM",
        "ICE BofA US Corporate OAS",
        "Credit & Stress",
        PCT,
        "D",
        "Investment-grade corporate spread over Treasuries.",
        ICE,
        "diff",
        "IG OAS",
    ),
    _fred(
        "BAMLC0A4CBBB",
        "ICE BofA BBB US Corporate OAS",
        "Credit & Stress",
        PCT,
        "D",
        "Spread of the lowest investment-grade rung.",
        ICE,
        "diff",
        "BBB OAS",
    ),
    _fred(
        "BAMLC0A1CAAA",
        "ICE BofA AAA US Corporate OAS",
        "Credit & Stress",
        PCT,
        "D",
        "Spread of the highest-rated corporates.",
        ICE,
        "diff",
        "AAA OAS",
    ),
    _fred(
        "BAA10Y",
        "Moody's Baa yield minus 10-year Treasury",
        "Credit & Stress",
        PCT,
        "D",
        "Long-history credit spread (from 1986).",
        MOODYS,
        "diff",
        "Baa-10Y",
    ),
    _fred(
        "AAA10Y",
        "Moody's Aaa yield minus 10-year Treasury",
        "Credit & Stress",
        PCT,
        "D",
        "Spread of top-rated corporate bonds over the 10-year.",
        MOODYS,
        "diff",
        "Aaa-10Y",
    ),
    _fred(
        "NFCI",
        "Chicago Fed National Financial Conditions Index",
        "Credit & Stress",
        "Index (0 = average; positive = tighter)",
        "W-FRI",
        "Weekly gauge of financial conditions; above zero is tighter than average.",
        CHIFED,
        "diff",
        "NFCI",
    ),
    _fred(
        "ANFCI",
        "Chicago Fed Adjusted NFCI",
        "Credit & Stress",
        "Index",
        "W-FRI",
        "Financial conditions with the economic cycle taken out.",
        CHIFED,
        "diff",
        "ANFCI",
    ),
    _fred(
        "STLFSI4",
        "St. Louis Fed Financial Stress Index",
        "Credit & Stress",
        "Index",
        "W-FRI",
        "Weekly stress index; above zero is more stress than usual.",
        STLFED,
        "diff",
        "STLFSI",
    ),
    # Funding
    _fred(
        "SOFR",
        "Secured Overnight Financing Rate",
        "Funding",
        PCT,
        "D",
        "What overnight Treasury repo costs; above IORB signals scarce reserves.",
        NYFED,
        "diff",
        "SOFR",
    ),
    _fred(
        "IORB",
        "Interest rate on reserve balances",
        "Funding",
        PCT,
        "D7",
        "What the Fed pays banks on reserves.",
        FED_H15,
        "diff",
        "IORB",
    ),
    SeriesInfo(
        "SOFR_IORB",
        "SOFR minus IORB",
        "Funding",
        "Basis points",
        "D",
        "derived",
        "SOFR-IORB",
        "Repo rate less the rate on reserves, in basis points: positive means cash is scarce.",
        "Derived from Federal Reserve data (NY Fed, H.15)",
        "diff",
        "SOFR−IORB",
    ),
    _fred(
        "EFFR",
        "Effective federal funds rate",
        "Funding",
        PCT,
        "D",
        "The rate banks lend reserves overnight.",
        NYFED,
        "diff",
        "EFFR",
    ),
    _fred(
        "DFF",
        "Federal funds effective rate (7-day)",
        "Funding",
        PCT,
        "D7",
        "Fed funds, every calendar day.",
        NYFED,
        "diff",
        "DFF",
    ),
    # Rates
    _fred(
        "DFEDTARU",
        "Fed funds target range, upper limit",
        "Rates",
        PCT,
        "D7",
        "Top of the FOMC's target range.",
        FED_FOMC,
        "diff",
        "Target upper",
    ),
    _fred(
        "DFEDTARL",
        "Fed funds target range, lower limit",
        "Rates",
        PCT,
        "D7",
        "Bottom of the FOMC's target range.",
        FED_FOMC,
        "diff",
        "Target lower",
    ),
    _fred(
        "DGS2",
        "2-year Treasury yield",
        "Rates",
        PCT,
        "D",
        "Constant-maturity 2-year yield.",
        FED_H15,
        "diff",
        "2Y",
    ),
    _fred(
        "DGS10",
        "10-year Treasury yield",
        "Rates",
        PCT,
        "D",
        "Constant-maturity 10-year yield.",
        FED_H15,
        "diff",
        "10Y",
    ),
    _fred(
        "DGS30",
        "30-year Treasury yield",
        "Rates",
        PCT,
        "D",
        "Constant-maturity 30-year yield.",
        FED_H15,
        "diff",
        "30Y",
    ),
    _fred(
        "DFII10",
        "10-year TIPS real yield",
        "Rates",
        PCT,
        "D",
        "Inflation-indexed 10-year yield.",
        FED_H15,
        "diff",
        "10Y real",
    ),
    _fred(
        "T10Y2Y",
        "10-year minus 2-year Treasury",
        "Rates",
        PCT,
        "D",
        "Yield-curve slope; below zero is inverted.",
        STLFED,
        "diff",
        "10Y-2Y",
    ),
    _fred(
        "T10Y3M",
        "10-year minus 3-month Treasury",
        "Rates",
        PCT,
        "D",
        "Yield-curve slope against bills.",
        STLFED,
        "diff",
        "10Y-3M",
    ),
    # Crypto
    SeriesInfo(
        "BTC-USD",
        "Bitcoin",
        "Crypto",
        "U.S. Dollars",
        "D7",
        "yahoo",
        "BTC-USD",
        "Bitcoin daily close in dollars (UTC day).",
        CRYPTO,
        "log",
        "Bitcoin",
    ),
    SeriesInfo(
        "ETH-USD",
        "Ether",
        "Crypto",
        "U.S. Dollars",
        "D7",
        "yahoo",
        "ETH-USD",
        "Ether daily close in dollars (UTC day).",
        CRYPTO,
        "log",
        "Ether",
    ),
    # Commodities
    _etf("GLD", "SPDR Gold Shares", "Commodities", "Gold through the largest gold ETF.", "GLD"),
    SeriesInfo(
        "LBMA_GOLD_PM_USD",
        "Gold, LBMA PM fix",
        "Commodities",
        "U.S. Dollars per troy ounce",
        "D",
        "lbma",
        "gold_pm",
        "The London afternoon gold price (formerly FRED GOLDPMGBD228NLBM).",
        "ICE Benchmark Administration / LBMA (redistribution restricted)",
        "log",
        "Gold",
    ),
    SeriesInfo(
        "DCOILWTICO",
        "WTI crude oil",
        "Commodities",
        "U.S. Dollars per Barrel",
        "D",
        "fred",
        "DCOILWTICO",
        "Cushing WTI spot price.",
        "U.S. Energy Information Administration, via FRED",
        "log",
        "WTI",
    ),
    # Equities
    _etf("SPY", "SPDR S&P 500 ETF", "Equities", "U.S. large caps.", "SPY"),
    _etf("QQQ", "Invesco QQQ Trust", "Equities", "Nasdaq-100 growth stocks.", "QQQ"),
    _etf("IWM", "iShares Russell 2000 ETF", "Equities", "U.S. small caps.", "IWM"),
    _etf("DIA", "SPDR Dow Jones Industrial Average ETF", "Equities", "The Dow.", "DIA"),
    _etf("EEM", "iShares MSCI Emerging Markets ETF", "Equities", "Emerging-market stocks.", "EEM"),
    SeriesInfo(
        "SP500",
        "S&P 500 index",
        "Equities",
        "Index",
        "D",
        "fred",
        "SP500",
        "The S&P 500 close (FRED serves ten years).",
        "S&P Dow Jones Indices LLC, via FRED (redistribution restricted)",
        "log",
        "S&P 500",
    ),
    # Dollar
    _fred(
        "DTWEXBGS",
        "Nominal broad U.S. dollar index",
        "Dollar",
        "Index Jan 2006=100",
        "D",
        "The dollar against a broad basket of trading partners.",
        FED_H15,
        "log",
        "Dollar",
    ),
)

_BY_ID = {info.id: info for info in SERIES}
DERIVED_INPUTS = {"NETLIQ": ("WALCL", "WTREGEN", "RRPONTSYD"), "SOFR_IORB": ("SOFR", "IORB")}


def get_info(series_id: str) -> SeriesInfo:
    """Catalog entry for `series_id`; raises `UnknownSeriesError` with a readable message."""
    try:
        return _BY_ID[series_id]
    except (KeyError, TypeError):
        shown = str(series_id)[:40]
        raise UnknownSeriesError(
            f"Unknown series '{shown}'. See the Data page for the list."
        ) from None


def is_known(series_id: object) -> bool:
    return isinstance(series_id, str) and series_id in _BY_ID


def stored_ids() -> list[str]:
    """Ids of series that are fetched and stored (everything but the derived ones)."""
    return [s.id for s in SERIES if s.source != "derived"]


def by_category() -> dict[str, list[SeriesInfo]]:
    groups: dict[str, list[SeriesInfo]] = {c: [] for c in CATEGORIES}
    for info in SERIES:
        groups[info.category].append(info)
    return groups
