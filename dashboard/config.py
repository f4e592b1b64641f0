"""Settings read from the environment, in one place.

Every knob the README documents is read here and nowhere else, so that tests can build a
`Settings` by hand and the rest of the code never calls `os.environ` itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CACHE_DIR = PROJECT_ROOT / "data_cache"
# Real Federal Reserve observations (public domain) that ship with the project, so that a
# fresh offline `python app.py` still shows real data.
BUNDLED_SNAPSHOT_DIR = DEFAULT_CACHE_DIR / "snapshot"

FRED_API_URL = "https://api.stlouisfed.org/fred"
FRED_CSV_URL = "https://fred.stlouisfed.org/graph/fredgraph.csv"
# Yahoo Finance, reached through yfinance; another address routes every Yahoo host there.
MARKET_URL = "https://query2.finance.yahoo.com"
LBMA_URL = "https://prices.lbma.org.uk/json"


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _float(value: str | None, default: float) -> float:
    try:
        return float(value) if value not in (None, "") else default
    except ValueError:
        return default


def _count(value: str | None, low: int, high: int) -> int:
    """A whole number in [low, high]; anything else (junk, NaN, 2.5) is `low`."""
    try:
        return min(max(int(value or low), low), high)
    except ValueError:
        return low


@dataclass(frozen=True)
class Settings:
    """Everything configurable. `repr` hides the API key so it never lands in a log."""

    data_dir: Path | None = None
    cache_dir: Path = DEFAULT_CACHE_DIR
    snapshot_dir: Path = BUNDLED_SNAPSHOT_DIR
    offline: bool = False
    fred_api_key: str | None = field(default=None, repr=False)
    fred_api_url: str = FRED_API_URL
    fred_csv_url: str = FRED_CSV_URL
    market_url: str = MARKET_URL
    lbma_url: str = LBMA_URL
    http_timeout: float = 10.0
    background_refresh: bool = True
    # Several hosts: series, metadata, response cache and background jobs in this Redis (see
    # dashboard/data/redis_cache.py, dashboard/celery_app.py). None = one host, diskcache.
    redis_url: str | None = field(default=None, repr=False)  # may hold a password

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        data_dir = env.get("DASHBOARD_DATA_DIR")
        return cls(
            data_dir=Path(data_dir).expanduser().resolve() if data_dir else None,
            cache_dir=Path(env.get("DASHBOARD_CACHE_DIR") or DEFAULT_CACHE_DIR).expanduser(),
            snapshot_dir=Path(env.get("DASHBOARD_SNAPSHOT_DIR") or BUNDLED_SNAPSHOT_DIR),
            offline=_flag(env.get("DASHBOARD_OFFLINE")),
            fred_api_key=(env.get("FRED_API_KEY") or "").strip() or None,
            fred_api_url=env.get("DASHBOARD_FRED_API_URL") or FRED_API_URL,
            fred_csv_url=env.get("DASHBOARD_FRED_CSV_URL") or FRED_CSV_URL,
            market_url=env.get("DASHBOARD_MARKET_URL") or MARKET_URL,
            lbma_url=env.get("DASHBOARD_LBMA_URL") or LBMA_URL,
            http_timeout=_float(env.get("DASHBOARD_HTTP_TIMEOUT"), 10.0),
            background_refresh=not _flag(env.get("DASHBOARD_NO_BACKGROUND_REFRESH")),
            redis_url=(env.get("DASHBOARD_REDIS_URL") or "").strip() or None,
        )


@dataclass(frozen=True)
class ServerSettings:
    host: str = "127.0.0.1"
    port: int = 8050
    debug: bool = False
    response_cache_seconds: float = 0.0  # see dashboard/respcache.py; 0 = off
    trusted_proxies: int = 0  # proxies in front whose X-Forwarded-For names the client
    client_callbacks_per_s: float = 10.0  # per address and worker, see dashboard/pacing.py

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> ServerSettings:
        env = dict(os.environ if env is None else env)
        try:
            port = int(env.get("PORT") or 8050)
        except ValueError:
            port = 8050
        return cls(
            host=env.get("HOST") or "127.0.0.1",
            port=port,
            debug=_flag(env.get("DASH_DEBUG")),
            response_cache_seconds=min(
                max(_float(env.get("DASHBOARD_RESPONSE_CACHE_SECONDS"), 0.0), 0.0), 3600.0
            ),
            trusted_proxies=_count(env.get("DASHBOARD_TRUSTED_PROXIES"), 0, 5),
            client_callbacks_per_s=min(
                max(_float(env.get("DASHBOARD_CLIENT_CALLBACKS_PER_SECOND"), 10.0), 0.0), 1000.0
            ),
        )
