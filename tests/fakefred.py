"""A small FRED/Yahoo/LBMA-compatible HTTP server for tests, bound to 127.0.0.1 on port 0.

It speaks the formats our sources read, and misbehaves on request:

- `/fred/series/observations?series_id=ID&api_key=KEY` -> FRED API XML (what fredapi parses);
  a wrong key -> FRED's `<error code="400" message="Bad Request.  The value for variable
  api_key is not registered..."/>`.
- `/graph/fredgraph.csv?id=ID` -> FRED's keyless CSV (`observation_date` or `DATE` header,
  "." for a missing value).
- `/v8/finance/chart/TICKER` -> Yahoo's chart JSON as yfinance reads it (timestamps at the
  exchange-local open, unadjusted and adjusted closes, the meta yfinance needs). yfinance asks
  twice: a one-day time-zone probe (`range=1d`, recorded as `yahoo_tz`, hit only by faults
  set for every series) and the history (`yahoo`). Its cookie (`/`, Yahoo's fc.yahoo.com) and
  crumb (`/v1/test/getcrumb`) requests are answered too (`yahoo_auth`).
- `/json/<name>.json` -> LBMA's price JSON (`[{"d": date, "v": [USD, GBP, EUR]}]`).

Observations come from the test: small hand-written rows, or rows read at test time from the
shared data folder with the `csv` module (`read_rows`) — never committed copies.

`fail(kind, series=...)` makes the next answers (all, or for one series) misbehave; every
request and every response body is recorded so tests can assert rate limits, retries and that
the API key never appears in what was served.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import quoteattr
from zoneinfo import ZoneInfo

Rows = list[tuple[str, float | None]]

FAULTS = (
    "bad_key",  # 400 with FRED's "api_key is not registered" error
    "echo_key",  # 400 whose error message repeats the key the client sent (a careless server)
    "not_found",  # 400/404: no such series
    "rate_limit",  # 429 with Retry-After (`retry_after` seconds)
    "server_error",  # 500
    "html",  # 200 with an HTML error page instead of data
    "garbage",  # 200 with binary noise
    "truncated",  # Content-Length larger than what is sent, then the connection closes
    "empty",  # a well-formed answer with no observations
    "stall",  # no answer for `stall` seconds (past the client's timeout)
    "slow",  # the right answer, after `stall` seconds (a slow network, inside the timeout)
    "short",  # only every 10th observation (the last one included): shorter by far
    "older",  # the answer ends `drop` observations before the real last one
    "recent",  # only observations on/after `since` (ICE spreads on FRED: ~3 years)
)

HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head>"
    b"<body><h1>Service Unavailable</h1><p>The server is temporarily down for maintenance."
    b"</p></body></html>"
)
GARBAGE = bytes(range(256)) * 8


def read_rows(path: Path) -> Rows:
    """(date, value) rows of a FRED-format CSV file, read with the csv module."""
    with open(path, newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        return [(r[0], None if r[1] in ("", ".") else float(r[1])) for r in reader if r]


@dataclass
class Fault:
    kind: str
    times: int | None = None  # None = until cleared
    retry_after: str | None = "1"
    stall: float = 30.0
    drop: int = 5
    since: str | None = None


@dataclass
class Request:
    at: float  # time.monotonic() when the request arrived
    endpoint: str  # fred_api | fred_csv | yahoo | yahoo_tz | yahoo_auth | lbma | other
    series: str | None
    path: str  # path and query as sent (may carry the key: never printed)
    status: int = 0
    fault: str | None = None


@dataclass
class FakeFred:
    """The server. Use as a context manager; `url` is its base address."""

    api_key: str | None = None  # the key the API accepts; None = any key
    csv_header: str = "observation_date"  # or "DATE" (FRED's older download header)
    series: dict[str, Rows] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)

    def __post_init__(self):
        self._faults: dict[str | None, Fault] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server: ThreadingHTTPServer | None = None

    # ---- control ---------------------------------------------------------------------------
    def add(self, series_id: str, rows: Rows) -> FakeFred:
        self.series[series_id] = list(rows)
        return self

    def fail(self, kind: str, series: str | None = None, **options) -> None:
        """Misbehave for `series` (or every series when None) until `clear()`."""
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}")
        with self._lock:
            self._faults[series] = Fault(kind, **options)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def reset_log(self) -> None:
        with self._lock:
            self.requests.clear()
            self.bodies.clear()

    def requests_for(self, endpoint: str | None = None) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if endpoint is None or r.endpoint == endpoint]

    # ---- addresses -------------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._server is not None, "server not started"
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def urls(self) -> dict[str, str]:
        """Settings fields pointing every source at this server."""
        return {
            "fred_api_url": f"{self.url}/fred",
            "fred_csv_url": f"{self.url}/graph/fredgraph.csv",
            "market_url": self.url,
            "lbma_url": f"{self.url}/json",
        }

    @property
    def env(self) -> dict[str, str]:
        """The same, as the environment variables `Settings.from_env` reads."""
        return {
            "DASHBOARD_FRED_API_URL": self.urls["fred_api_url"],
            "DASHBOARD_FRED_CSV_URL": self.urls["fred_csv_url"],
            "DASHBOARD_MARKET_URL": self.urls["market_url"],
            "DASHBOARD_LBMA_URL": self.urls["lbma_url"],
        }

    # ---- lifecycle -------------------------------------------------------------------------
    def start(self) -> FakeFred:
        fake = self

        class Handler(_Handler):
            server_fake = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        # A short poll keeps `stop()` quick (shutdown waits for the loop to notice).
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        self._stop.set()  # releases stalled handlers at once
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeFred:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ---- answers ---------------------------------------------------------------------------
    def _fault_for(self, series: str | None, shared_only: bool = False) -> Fault | None:
        with self._lock:
            fault = None if shared_only else self._faults.get(series)
            fault = fault or self._faults.get(None)
            if fault is None:
                return None
            if fault.times is not None:
                fault.times -= 1
                if fault.times < 0:
                    return None
            return fault

    def _rows(self, series: str, fault: Fault | None) -> Rows | None:
        rows = self.series.get(series)
        if rows is None:
            return None
        if fault is None:
            return rows
        if fault.kind == "empty":
            return []
        if fault.kind == "short":
            return rows[::-10][::-1]  # every 10th, ending on the real last observation
        if fault.kind == "older":
            return rows[: -fault.drop]
        if fault.kind == "recent":
            return [r for r in rows if r[0] >= (fault.since or "")]
        return rows


class _Handler(BaseHTTPRequestHandler):
    server_fake: FakeFred
    protocol_version = "HTTP/1.0"  # one request per connection: truncation is a real close

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        # Request lines carry the API key; a real server's logs are not ours to print.
        return

    def do_GET(self):  # noqa: N802 - stdlib name
        fake = self.server_fake
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        endpoint, series = _route(parts.path, query)
        record = Request(time.monotonic(), endpoint, series, self.path)
        with fake._lock:
            fake.requests.append(record)
        # yfinance's time-zone probe and cookie/crumb calls fail only when everything does.
        fault = fake._fault_for(series, shared_only=endpoint in ("yahoo_tz", "yahoo_auth"))
        record.fault = fault.kind if fault else None
        status, headers, body = self._answer(fake, endpoint, series, query, fault)
        record.status = status
        with fake._lock:
            fake.bodies.append(body)
        if fault is not None and fault.kind == "stall":
            if fake._stop.wait(fault.stall):
                return
        if fault is not None and fault.kind == "slow" and fake._stop.wait(fault.stall):
            return
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if fault is not None and fault.kind == "truncated":
            self.send_header("Content-Length", str(len(body) * 2))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _answer(self, fake, endpoint, series, query, fault):
        kind = fault.kind if fault else None
        if kind == "rate_limit":
            headers = {"Content-Type": "text/plain"}
            if fault.retry_after is not None:
                headers["Retry-After"] = fault.retry_after
            return 429, headers, b"Too Many Requests"
        if kind == "server_error":
            return 500, {"Content-Type": "text/html"}, b"<h1>Internal Server Error</h1>"
        if kind == "html":
            return 200, {"Content-Type": "text/html; charset=utf-8"}, HTML_PAGE
        if kind == "garbage":
            return 200, {"Content-Type": "application/octet-stream"}, GARBAGE
        if endpoint == "fred_api":
            return _fred_api(fake, series, query, fault)
        if endpoint == "fred_csv":
            return _fred_csv(fake, series, fault)
        if endpoint in ("yahoo", "yahoo_tz"):
            return _yahoo(fake, series, fault, probe=endpoint == "yahoo_tz")
        if endpoint == "yahoo_auth":
            return _yahoo_auth(self.path)
        if endpoint == "lbma":
            return _lbma(fake, series, fault)
        return 404, {"Content-Type": "text/plain"}, b"Not Found"


def _route(path: str, query: dict[str, str]) -> tuple[str, str | None]:
    if path.endswith("/series/observations"):
        return "fred_api", query.get("series_id")
    if path.endswith("fredgraph.csv"):
        return "fred_csv", query.get("id")
    if "/v8/finance/chart/" in path:
        endpoint = "yahoo_tz" if query.get("range") == "1d" else "yahoo"
        return endpoint, path.rsplit("/", 1)[-1]
    if path in ("/", "/v1/test/getcrumb"):
        return "yahoo_auth", None
    if path.endswith(".json"):
        return "lbma", path.rsplit("/", 1)[-1][: -len(".json")]
    return "other", None


def _xml_error(code: int, message: str) -> tuple[int, dict, bytes]:
    body = f'<?xml version="1.0" encoding="utf-8" ?>\n<error code="{code}" message={quoteattr(message)}/>'
    return code, {"Content-Type": "text/xml; charset=UTF-8"}, body.encode()


def _fred_api(fake: FakeFred, series, query, fault):
    key = query.get("api_key", "")
    if fault is not None and fault.kind == "echo_key":
        return _xml_error(400, f"Bad Request.  Unknown request token {key}.")
    if (fault is not None and fault.kind == "bad_key") or (
        fake.api_key is not None and key != fake.api_key
    ):
        return _xml_error(
            400,
            "Bad Request.  The value for variable api_key is not registered.  Read "
            "https://fred.stlouisfed.org/docs/api/api_key.html for more information.",
        )
    rows = fake._rows(series or "", fault)
    if rows is None or (fault is not None and fault.kind == "not_found"):
        return _xml_error(400, "Bad Request.  The series does not exist.")
    today = date.today().isoformat()
    lines = [
        '<?xml version="1.0" encoding="utf-8" ?>',
        f'<observations realtime_start="{today}" realtime_end="{today}" '
        f'observation_start="1600-01-01" observation_end="9999-12-31" units="lin" '
        f'output_type="1" file_type="xml" order_by="observation_date" sort_order="asc" '
        f'count="{len(rows)}" offset="0" limit="100000">',
    ]
    for day, value in rows:
        shown = "." if value is None else repr(value)
        lines.append(
            f'  <observation realtime_start="{today}" realtime_end="{today}" '
            f'date="{day}" value="{shown}"/>'
        )
    lines.append("</observations>")
    return 200, {"Content-Type": "text/xml; charset=UTF-8"}, "\n".join(lines).encode()


def _fred_csv(fake: FakeFred, series, fault):
    rows = fake._rows(series or "", fault)
    if rows is None or (fault is not None and fault.kind == "not_found"):
        return 404, {"Content-Type": "text/html"}, b"<html><body>Series not found</body></html>"
    if fault is not None and fault.kind in ("bad_key", "echo_key"):
        return 400, {"Content-Type": "text/html"}, b"<html><body>Bad Request</body></html>"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([fake.csv_header, series])
    for day, value in rows:
        writer.writerow([day, "." if value is None else repr(value)])
    return 200, {"Content-Type": "text/csv"}, out.getvalue().encode()


CRUMB = "fakeCrumb123"
ADJUSTED = 0.9  # adjusted close = close x this, so a test can tell which one was taken


def _yahoo_auth(path: str):
    if path.startswith("/v1/test/getcrumb"):
        return 200, {"Content-Type": "text/plain"}, CRUMB.encode()
    # fc.yahoo.com answers 404 and sets the cookie the crumb is tied to.
    return 404, {"Content-Type": "text/html", "Set-Cookie": "A3=fake; Path=/"}, b"<html></html>"


def _yahoo(fake: FakeFred, ticker, fault, probe: bool = False):
    rows = fake._rows(ticker or "", fault)
    if rows is None or (fault is not None and fault.kind in ("not_found", "bad_key", "echo_key")):
        payload = {
            "chart": {
                "result": None,
                "error": {
                    "code": "Not Found",
                    "description": "No data found, symbol may be delisted",
                },
            }
        }
        return 404, {"Content-Type": "application/json"}, json.dumps(payload).encode()
    if probe:
        rows = rows[-1:]
    crypto = (ticker or "").endswith("-USD")
    # Yahoo stamps a daily bar at the session open: 09:30 New York time for US exchanges
    # (daylight saving included), 00:00 UTC for crypto.
    zone = ZoneInfo("UTC" if crypto else "America/New_York")
    stamps, closes = [], []
    for day, value in rows:
        local = datetime.fromisoformat(day).replace(tzinfo=zone)
        if not crypto:
            local = local.replace(hour=9, minute=30)
        stamps.append(int(local.timestamp()))
        closes.append(value)
    offset = 0 if crypto else -4 * 3600
    period = {"timezone": "UTC" if crypto else "EDT", "start": 0, "end": 0, "gmtoffset": offset}
    result = {
        "meta": {
            "currency": "USD",
            "symbol": ticker,
            "exchangeName": "CCC" if crypto else "PCX",
            "instrumentType": "CRYPTOCURRENCY" if crypto else "ETF",
            "firstTradeDate": stamps[0] if stamps else None,
            "regularMarketTime": stamps[-1] if stamps else None,
            "gmtoffset": offset,
            "timezone": period["timezone"],
            "exchangeTimezoneName": zone.key,
            "regularMarketPrice": closes[-1] if closes else None,
            "chartPreviousClose": closes[0] if closes else None,
            "priceHint": 2,
            "currentTradingPeriod": {"pre": period, "regular": period, "post": period},
            "dataGranularity": "1d",
            "range": "1d" if probe else "",
            "validRanges": ["1d", "5d", "1mo", "3mo", "6mo", "1y", "2y", "5y", "10y", "ytd", "max"],
        },
        "indicators": {
            "quote": [
                {
                    "open": closes,
                    "high": closes,
                    "low": closes,
                    "close": closes,
                    "volume": [0 if c is not None else None for c in closes],
                }
            ],
            "adjclose": [{"adjclose": [None if c is None else c * ADJUSTED for c in closes]}],
        },
    }
    if rows:  # Yahoo leaves the timestamp list out when there is nothing to send
        result["timestamp"] = stamps
    else:
        result["indicators"]["quote"] = [{}]
    payload = {"chart": {"result": [result], "error": None}}
    return 200, {"Content-Type": "application/json"}, json.dumps(payload).encode()


def _lbma(fake: FakeFred, name, fault):
    rows = fake._rows(name or "", fault)
    if rows is None or (fault is not None and fault.kind in ("not_found", "bad_key", "echo_key")):
        return 404, {"Content-Type": "text/html"}, b"<html><body>Not Found</body></html>"
    payload = [{"is_cms_locked": 0, "d": day, "v": [value, None, None]} for day, value in rows]
    return 200, {"Content-Type": "application/json"}, json.dumps(payload).encode()
