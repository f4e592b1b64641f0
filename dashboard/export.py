"""Export the Overview chart: PNG/SVG/PDF rendered server-side with kaleido, and the CSV of
exactly what is plotted. Used by the page's Export menu and by `python -m dashboard export`.

Images are rendered by one Chromium per process (kaleido 1.5 driving Debian's `chromium`),
started on the first export and reused, so each later export takes a fraction of a second.
Every render is bounded by a timeout and fails with a message a user can act on.
"""

from __future__ import annotations

import asyncio
import atexit
import csv
import io
import logging
import os
import sys
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard.analytics.overview import (
    OverviewView,
    export_basename,
)
from dashboard.figures.overview import overview_figure

log = logging.getLogger(__name__)

IMAGE_FORMATS = ("png", "svg", "pdf")
FORMATS = IMAGE_FORMATS + ("csv",)
MIME_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "csv": "text/csv",
}
EXPORT_WIDTH, EXPORT_HEIGHT = 1400, 800  # CSS pixels; PNG is rendered at 2x
PNG_SCALE = 2
STARTUP_TIMEOUT = 45.0  # seconds for Chromium to start (first export only)
RENDER_TIMEOUT = 20.0  # seconds for one image
# Per process: one Chromium renders one image at a time; two more may queue briefly.
EXPORTS_RUNNING, EXPORTS_WAITING, EXPORT_WAIT = 1, 2, 5.0
BUSY_MESSAGE = "The server is busy with other exports; try again in a few seconds."
BROWSER_NICE = 10  # Chromium yields the CPU to page requests (an export may take longer)


class ExportError(Exception):
    """An export failed; the message is plain words, safe to show a user."""


# ---- CSV -------------------------------------------------------------------------------------
def short_owner(owner: str) -> str:
    """ "Board of Governors of the Federal Reserve System (H.4.1), via FRED" → "Federal
    Reserve Board (H.4.1) via FRED"; usage notes in parentheses are dropped."""
    text = (
        owner.replace("Board of Governors of the Federal Reserve System", "Federal Reserve Board")
        .replace(", via", " via")
        .replace(", LLC", "")
    )
    for note in (" (personal use)", " (redistribution restricted)"):
        text = text.replace(note, "")
    return text


def _number(value: float) -> str:
    # repr is the shortest text that reads back as the same float: CSV == plotted values.
    return "" if pd.isna(value) else repr(float(value))


def view_csv(view: OverviewView) -> str:
    """The plotted points as CSV: `#` lines with the window, each series' source and as-of
    date and how it was sampled, then a header (date, one column per series with its units)
    and one row per plotted date. A cell is empty where that series has no point."""
    out = io.StringIO()
    out.write(f"# Fed Liquidity Dashboard, overview chart: {view.start} to {view.end}\n")
    for line in view.lines:
        as_of = f"as of {line.as_of:%Y-%m-%d}" if line.as_of else "no data"
        out.write(
            f"# {line.series_id}: {line.name}. Source: {line.owner}. {as_of} "
            f"({line.status}). Points: {line.sampling}.\n"
        )
    if view.rebase_date:
        which = "series" if all(line.is_level for line in view.lines) else "level series"
        out.write(
            f"# Rebased: each {which} = 100 at its first observation on or after "
            f"{view.rebase_date:%Y-%m-%d}.\n"
        )
    frame = pd.DataFrame({line.series_id: line.values for line in view.lines}).sort_index()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date"] + [f"{line.series_id} ({line.units})" for line in view.lines])
    for day, row in zip(frame.index, frame.itertuples(index=False)):
        writer.writerow([f"{day:%Y-%m-%d}"] + [_number(v) for v in row])
    return out.getvalue()


# ---- images ----------------------------------------------------------------------------------
def chart_title(view: OverviewView) -> str:
    names = [line.label for line in view.overlays]
    head = "Fed balance sheet" + (" vs. " + ", ".join(names) if names else "")
    if view.rebase_date:
        head += " (rebased to 100)"
    return f"{head}, {view.start:%b %Y} – {view.end:%b %Y}"


def footer_text(view: OverviewView) -> str:
    """Series, source and as-of date of every line, for the foot of exported images."""
    parts = []
    for line in view.lines:
        as_of = f"{line.as_of:%Y-%m-%d}" if line.as_of else "n/a"
        parts.append(f"{line.label} ({line.series_id}): {short_owner(line.owner)}, as of {as_of}")
    rows = [" · ".join(parts[i : i + 3]) for i in range(0, len(parts), 3)]
    notes = "Fed Liquidity Dashboard"
    if any(line.sampling != "as published" for line in view.lines):
        notes += " · daily series shown weekly (last observation of each week to Wednesday)"
    if view.episodes:
        notes += " · shaded: QE/QT episodes"
    return "<br>".join(rows + [notes])


def export_figure(
    view: OverviewView, theme: str = "light", width: int = EXPORT_WIDTH, height: int = EXPORT_HEIGHT
) -> go.Figure:
    """The chart as it is exported: a title, no range slider, a footer with sources."""
    return overview_figure(
        view,
        theme,
        title=chart_title(view),
        footer=footer_text(view),
        plot_width_px=width - 160,
        rangeslider=False,
        width=width,
        height=height,
    )


def import_kaleido():
    """kaleido, imported without letting it read our command line.

    kaleido's logging package (logistro) parses `sys.argv` with argparse when first
    imported; our own `--log` is then an "ambiguous option" for its `--logistro-*` flags
    and the process exits. It sees only the program name instead.
    """
    saved = sys.argv
    sys.argv = saved[:1]
    try:
        import kaleido
    except ImportError as exc:  # pragma: no cover - kaleido is a pinned dependency
        raise ExportError("Image export needs the kaleido package.") from exc
    finally:
        sys.argv = saved
    return kaleido


def deprioritise_children(niceness: int = BROWSER_NICE) -> int:
    """Lower the CPU priority of every process this one started (the export Chromium and its
    zygotes, whose later renderers inherit it), so rendering an image never slows other
    users' page loads on a busy machine. Best effort, Linux only; returns how many."""
    me = os.getpid()
    parents: dict[int, int] = {}
    try:
        pids = [int(d) for d in os.listdir("/proc") if d.isdigit()]
    except OSError:
        return 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
                parents[pid] = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    changed = 0
    for pid in parents:
        ancestor, hops = parents.get(pid), 0
        while ancestor not in (None, 0, 1, me) and hops < 20:
            ancestor, hops = parents.get(ancestor), hops + 1
        if ancestor == me and pid != me:
            try:
                os.setpriority(os.PRIO_PROCESS, pid, niceness)
                changed += 1
            except OSError:
                continue
    return changed


class ExportBusyError(ExportError):
    """Too many image exports at once in this process; the user should retry shortly."""


class ExportGate:
    """At most `running` renders at a time and `waiting` more queued for up to `wait` s;
    anyone beyond that is told at once to come back, instead of holding a server thread
    (one client's 40 exports must not starve everyone else's page loads)."""

    def __init__(self, running: int, waiting: int, wait: float):
        self.wait = wait
        self._admitted = threading.BoundedSemaphore(running + waiting)
        self._running = threading.BoundedSemaphore(running)

    def __enter__(self):
        if not self._admitted.acquire(blocking=False):
            raise ExportBusyError(BUSY_MESSAGE)
        if not self._running.acquire(timeout=self.wait):
            self._admitted.release()
            raise ExportBusyError(BUSY_MESSAGE)
        return self

    def __exit__(self, *exc) -> None:
        self._running.release()
        self._admitted.release()


class ImageRenderer:
    """One kaleido/Chromium session on its own event-loop thread, started on first use.

    kaleido's own `start_sync_server` has no per-call timeout and its result queue is shared
    by all callers, so two Flask threads exporting at once could swap images; this keeps the
    same "start once, reuse" model but gives every call its own future and a bound.
    """

    def __init__(
        self, startup_timeout: float = STARTUP_TIMEOUT, render_timeout: float = RENDER_TIMEOUT
    ):
        self.startup_timeout = startup_timeout
        self.render_timeout = render_timeout
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido = None
        self.gate = ExportGate(EXPORTS_RUNNING, EXPORTS_WAITING, EXPORT_WAIT)

    def _ensure_started(self):
        with self._lock:
            if self._kaleido is not None:
                return self._kaleido, self._loop
            kaleido = import_kaleido()
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                threading.Thread(
                    target=self._loop.run_forever, name="kaleido-loop", daemon=True
                ).start()

            async def start():
                # mathjax=False: no CDN fetch (the app must work offline); plotly.js comes
                # from the installed plotly package.
                k = kaleido.Kaleido(n=1, timeout=self.render_timeout, mathjax=False)
                await k.open()
                deprioritise_children()
                return k

            future = asyncio.run_coroutine_threadsafe(start(), self._loop)
            try:
                self._kaleido = future.result(self.startup_timeout)
            except FutureTimeout:
                future.cancel()
                raise ExportError(
                    f"The image renderer (Chromium) did not start within "
                    f"{self.startup_timeout:.0f} s; try again, or use the chart's camera "
                    "button."
                ) from None
            except Exception as exc:
                log.warning("kaleido failed to start: %s", exc)
                raise ExportError(
                    "Image export needs Chromium (apt-get install chromium, or set "
                    "BROWSER_PATH); CSV export still works."
                ) from None
            return self._kaleido, self._loop

    def render(
        self, fig: go.Figure | dict, fmt: str, width: int, height: int, scale: float = 1.0
    ) -> bytes:
        """Image bytes for `fig` in `fmt` (png, svg or pdf)."""
        if fmt not in IMAGE_FORMATS:
            raise ExportError(f"Unknown image format '{fmt}'; use png, svg or pdf.")
        with self.gate:
            return self._render(fig, fmt, width, height, scale)

    def _render(self, fig: go.Figure | dict, fmt: str, width: int, height: int, scale: float):
        k, loop = self._ensure_started()
        spec = fig.to_dict() if isinstance(fig, go.Figure) else fig
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        future = asyncio.run_coroutine_threadsafe(k.calc_fig(spec, opts=opts), loop)
        try:
            data = future.result(self.render_timeout)
        except FutureTimeout:
            future.cancel()
            self._restart()
            raise ExportError(
                f"Rendering the {fmt.upper()} took longer than "
                f"{self.render_timeout:.0f} s and was stopped; try again."
            ) from None
        except Exception as exc:
            log.warning("kaleido render failed: %s", type(exc).__name__)
            self._restart()
            raise ExportError(
                f"Rendering the {fmt.upper()} failed ({type(exc).__name__}); try again."
            ) from None
        if not data:
            raise ExportError(f"The {fmt.upper()} came back empty; try again.")
        return bytes(data)

    def _restart(self) -> None:
        """Drop a session that failed, so the next export starts a fresh Chromium."""
        with self._lock:
            k, self._kaleido = self._kaleido, None
        if k is not None and self._loop is not None:
            future = asyncio.run_coroutine_threadsafe(k.close(), self._loop)
            try:
                future.result(10)
            except Exception:  # noqa: BLE001 - best effort: the process may already be gone
                future.cancel()

    def close(self) -> None:
        self._restart()
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._loop = None


_RENDERER: ImageRenderer | None = None
_RENDERER_LOCK = threading.Lock()


def get_renderer() -> ImageRenderer:
    """The process-wide renderer (its Chromium starts on the first image export)."""
    global _RENDERER
    with _RENDERER_LOCK:
        if _RENDERER is None:
            _RENDERER = ImageRenderer()
            atexit.register(_RENDERER.close)
        return _RENDERER


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    mime_type: str


def export_view(
    view: OverviewView, fmt: str, theme: str = "light", renderer: ImageRenderer | None = None
) -> ExportFile:
    """The file for `view` in `fmt` (png, svg, pdf or csv), with a descriptive name."""
    fmt = (fmt or "").lower()
    if fmt not in FORMATS:
        raise ExportError(f"Unknown format '{str(fmt)[:10]}'; use png, svg, pdf or csv.")
    if not view.lines:
        raise ExportError("Nothing to export: no series has data for this selection.")
    name = f"{export_basename(view)}.{fmt}"
    if fmt == "csv":
        return ExportFile(view_csv(view).encode("utf-8"), name, MIME_TYPES[fmt])
    fig = export_figure(view, theme)
    data = (renderer or get_renderer()).render(
        fig, fmt, int(fig.layout.width), int(fig.layout.height), PNG_SCALE if fmt == "png" else 1
    )
    return ExportFile(data, name, MIME_TYPES[fmt])


def as_of_date(view: OverviewView) -> date | None:
    dates = [line.as_of for line in view.lines if line.as_of]
    return max(dates) if dates else None
