"""Chart export: CSV of exactly what is plotted, footers, file names, kaleido rendering with
its timeout and failure messages, and the `python -m dashboard export` command."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.__main__ import main as cli_main
from dashboard.analytics.overview import OverviewState, SeriesInput, prepare_view
from dashboard.catalog import get_info
from dashboard.export import (
    ExportError,
    ImageRenderer,
    export_figure,
    export_view,
    footer_text,
    view_csv,
)
from dashboard.figures.overview import GRAPH_META
from tests.conftest import CHROMIUM, SHARED_SERIES, requires_shared

HAVE_CHROMIUM = Path(CHROMIUM).exists()
needs_chromium = pytest.mark.skipif(not HAVE_CHROMIUM, reason=f"no Chromium at {CHROMIUM}")


def _view(**state):
    days = pd.bdate_range("2021-01-01", "2022-06-30", name="date")
    weds = pd.date_range("2021-01-06", "2022-06-29", freq="W-WED", name="date")
    series = {
        "WALCL": pd.Series(np.linspace(7.1e6, 8.9e6, len(weds)), index=weds),
        "TLT": pd.Series(np.linspace(150.0, 110.0, len(days)), index=days),
        "BTC-USD": pd.Series(np.linspace(30000.0, 20000.0, len(days)), index=days),
    }
    inputs = {
        k: SeriesInput(get_info(k), v, v.index[-1].date(), "fresh", "test")
        for k, v in series.items()
    }
    return prepare_view(inputs, OverviewState(overlays=("TLT", "BTC-USD"), **state), [])


def _read_csv(text: str) -> tuple[list[str], list[str], list[list[str]]]:
    comments = [line for line in text.splitlines() if line.startswith("#")]
    rows = list(
        csv.reader(
            io.StringIO("\n".join(line for line in text.splitlines() if not line.startswith("#")))
        )
    )
    return comments, rows[0], rows[1:]


def test_exp001_csv_holds_exactly_the_plotted_points():
    view = _view()
    comments, header, rows = _read_csv(view_csv(view))
    assert header == [
        "date",
        "WALCL (Trillions of U.S. Dollars)",
        "TLT (U.S. Dollars per share)",
        "BTC-USD (U.S. Dollars)",
    ]
    plotted_dates = sorted(set().union(*(set(line.values.index) for line in view.lines)))
    assert [r[0] for r in rows] == [f"{d:%Y-%m-%d}" for d in plotted_dates]
    for col, line in enumerate(view.lines, start=1):
        cells = {r[0]: r[col] for r in rows if r[col] != ""}
        assert len(cells) == len(line.values)
        for day, value in line.values.items():
            assert float(cells[f"{day:%Y-%m-%d}"]) == value  # exact, not approximately
    # The figure plots the same points.
    fig = export_figure(view)
    traces = [t for t in fig.data if t.meta == GRAPH_META]
    assert [len(t.x) for t in traces] == [len(line.values) for line in view.lines]
    # Source and as-of lines for every series.
    for line in view.lines:
        assert any(
            c.startswith(f"# {line.series_id}:") and "as of" in c and "Source" in c
            for c in comments
        )


def test_exp002_csv_of_rebased_view_says_so():
    view = _view(rebase="start")
    comments, header, rows = _read_csv(view_csv(view))
    assert any("Rebased" in c for c in comments)
    assert "Index, 100 = first value on/after" in header[1]
    assert float(rows[0][2]) == 100.0


def test_exp003_footer_names_series_sources_and_dates():
    view = _view()
    text = footer_text(view)
    for line in view.lines:
        assert line.label in text and f"as of {line.as_of:%Y-%m-%d}" in text
    assert "Federal Reserve Board (H.4.1) via FRED" in text and "Yahoo Finance" in text
    fig = export_figure(view)
    assert any(a.name == "footer" and a.text == text for a in fig.layout.annotations)
    assert fig.layout.title.text.startswith("Fed balance sheet vs. TLT, Bitcoin")


def test_exp004_csv_export_file_and_bad_requests():
    view = _view()
    exported = export_view(view, "csv")
    assert exported.filename == "walcl-vs-tlt-btc-2021-2022.csv"
    assert exported.mime_type == "text/csv" and exported.content.startswith(b"# Fed")
    with pytest.raises(ExportError, match="Unknown format"):
        export_view(view, "gif")
    empty = prepare_view({}, OverviewState(), [])
    with pytest.raises(ExportError, match="Nothing to export"):
        export_view(empty, "csv")


@pytest.fixture(scope="module")
def renderer():
    if not HAVE_CHROMIUM:
        pytest.skip(f"no Chromium at {CHROMIUM}")
    r = ImageRenderer()
    yield r
    r.close()


@needs_chromium
@pytest.mark.parametrize(
    ("fmt", "magic"), [("png", b"\x89PNG\r\n\x1a\n"), ("svg", b"<svg"), ("pdf", b"%PDF")]
)
def test_exp005_images_render_server_side(renderer, fmt, magic):
    exported = export_view(_view(), fmt, renderer=renderer)
    assert exported.content.startswith(magic)
    assert exported.filename.endswith(f".{fmt}")
    if fmt == "png":
        # 2x scale: width in pixels is twice the figure's CSS width.
        width = int.from_bytes(exported.content[16:20], "big")
        assert width == 2 * 1400
    if fmt == "svg":
        assert b"Federal Reserve Board" in exported.content  # the footer is in the image


@needs_chromium
def test_exp006_a_render_that_overruns_fails_clearly_and_the_next_one_works(renderer):
    renderer.render_timeout = 0.001
    try:
        with pytest.raises(ExportError, match="PNG"):
            export_view(_view(), "png", renderer=renderer)
    finally:
        renderer.render_timeout = 20.0
    assert export_view(_view(), "png", renderer=renderer).content.startswith(b"\x89PNG")


def test_exp007_missing_browser_is_a_plain_message(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    broken = ImageRenderer(startup_timeout=20)
    try:
        with pytest.raises(ExportError, match="Chromium"):
            export_view(_view(), "png", renderer=broken)
    finally:
        broken.close()


def _walcl_from_file() -> dict[str, float]:
    with open(SHARED_SERIES / "WALCL.csv", newline="") as handle:
        return {
            row["observation_date"]: float(row["WALCL"])
            for row in csv.DictReader(handle)
            if row["WALCL"] not in ("", ".")
        }


@requires_shared
def test_exp008_cli_csv_matches_the_source_file(snapshot_store, tmp_path, capsys):
    out = tmp_path / "chart.csv"
    assert cli_main(["export", "--overlays", "TLT,BTC", "--range", "3Y", "--out", str(out)]) == 0
    comments, header, rows = _read_csv(out.read_text())
    assert header[:3] == [
        "date",
        "WALCL (Trillions of U.S. Dollars)",
        "TLT (U.S. Dollars per share)",
    ]
    walcl = _walcl_from_file()
    last = max(walcl)
    start = (pd.Timestamp(max(r[0] for r in rows)) - pd.DateOffset(years=3)).date()
    expected = {d: v / 1e6 for d, v in walcl.items() if date.fromisoformat(d) >= start}
    got = {r[0]: float(r[1]) for r in rows if r[1]}
    assert got == expected
    assert any(f"as of {last}" in c for c in comments if c.startswith("# WALCL"))
    assert "walcl-vs-tlt-btc" in capsys.readouterr().out


def test_exp009_cli_rejects_what_the_page_would_replace(snapshot_store, tmp_path, capsys):
    assert cli_main(["export", "--overlays", "TLT,NOPE", "--out", str(tmp_path / "a.csv")]) == 2
    assert "NOPE" in capsys.readouterr().err
    assert cli_main(["export", "--range", "7Y", "--out", str(tmp_path / "a.csv")]) == 2
    assert cli_main(["export", "--out", str(tmp_path / "a.gif")]) == 2
    assert cli_main(["export", "--out", str(tmp_path / "missing" / "a.csv")]) == 1
    assert "cannot write" in capsys.readouterr().err
    assert not (tmp_path / "a.csv").exists()


@needs_chromium
def test_exp010_cli_png(snapshot_store, tmp_path):
    out = tmp_path / "chart.png"
    assert (
        cli_main(
            [
                "export",
                "--overlays",
                "TLT,BTC-USD",
                "--range",
                "10Y",
                "--format",
                "png",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
