"""The catalog is a CSV file: one row adds a series; a bad row is refused with its line."""

from __future__ import annotations

import ast
import csv
from pathlib import Path

import pytest

from dashboard.catalog import CATALOG_FILE, CatalogError, load_catalog

DATA_LAYER = Path(__file__).resolve().parents[2] / "dashboard" / "data"
ROW = {
    "id": "WSHONBNL",
    "name": "Fed notes and bonds holdings",
    "category": "Liquidity",
    "units": "Millions of U.S. Dollars",
    "frequency": "W-WED",
    "source": "fred",
    "source_id": "WSHONBNL",
    "owner": "Board of Governors of the Federal Reserve System (H.4.1), via FRED",
    "change_kind": "log",
    "short": "Fed notes",
    "aliases": "Notes and Bonds; coupons ;",
    "plausibility": "balance",
    "description": "Nominal notes and bonds the Fed holds outright.",
}


def catalog_with(tmp_path, *extra: dict) -> Path:
    """A copy of the real catalog file with `extra` rows appended."""
    path = tmp_path / "catalog.csv"
    text = CATALOG_FILE.read_text(encoding="utf-8")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        handle.write(text)
        writer = csv.DictWriter(handle, fieldnames=text.splitlines()[0].split(","))
        writer.writerows(extra)
    return path


def test_cat001_one_row_adds_a_series(tmp_path):
    before = load_catalog()
    after = load_catalog(catalog_with(tmp_path, ROW))
    assert len(after) == len(before) + 1 and after[:-1] == before
    added = after[-1]
    assert (added.id, added.units, added.frequency, added.label) == (
        "WSHONBNL",
        "Millions of U.S. Dollars",
        "W-WED",
        "Fed notes",
    )
    assert added.aliases == ("notes and bonds", "coupons")
    assert added.is_weekly and not added.is_daily and added.inputs == ()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"frequency": "weekly"}, "frequency 'weekly' is not one of"),
        ({"plausibility": "positive"}, "plausibility 'positive' is not one of"),
        ({"units": ""}, "empty units"),
        ({"source": "bloomberg"}, "source 'bloomberg' is not one of"),
    ],
)
def test_cat002_a_bad_row_is_refused_with_its_line(tmp_path, change, message):
    path = catalog_with(tmp_path, {**ROW, **change})
    lines = len(path.read_text(encoding="utf-8").splitlines())
    with pytest.raises(CatalogError, match=f"line {lines}: {message}"):
        load_catalog(path)


def test_cat003_duplicate_ids_and_unknown_derived_inputs_are_refused(tmp_path):
    with pytest.raises(CatalogError, match=r"duplicate ids \['WALCL'\]"):
        load_catalog(catalog_with(tmp_path, {**ROW, "id": "WALCL"}))
    derived = {**ROW, "id": "X", "source": "derived", "source_id": "WALCL-NOPE"}
    with pytest.raises(CatalogError, match=r"X is derived from unknown \['NOPE'\]"):
        load_catalog(catalog_with(tmp_path, {**derived, "plausibility": "derived"}))


def test_cat004_derived_series_name_their_inputs():
    by_id = {s.id: s for s in load_catalog()}
    assert by_id["NETLIQ"].inputs == ("WALCL", "WTREGEN", "RRPONTSYD")
    assert by_id["SOFR_IORB"].inputs == ("SOFR", "IORB")
    assert by_id["GDP"].frequency == "QS" and not by_id["GDP"].is_daily


def test_cat005_data_layer_imports_nothing_above_it():
    """dashboard/data may use the catalog and config, never analytics, figures or pages."""
    upward = ("dashboard.analytics", "dashboard.figures", "dashboard.pages", "dashboard.export")
    assert _upward_imports(DATA_LAYER, upward) == []


def _upward_imports(folder: Path, upward: tuple[str, ...]) -> list[str]:
    offenders = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            offenders += [f"{path.relative_to(folder)}: {n}" for n in names if n.startswith(upward)]
    return offenders


def test_cat006_every_layer_imports_only_downward():
    """pages -> figures -> analytics -> data -> catalog/config: analytics draws nothing and
    knows no page; figures know no page (docs/ARCHITECTURE.md)."""
    package = DATA_LAYER.parent
    app_level = ("dashboard.views", "dashboard.export", "dashboard.components", "dashboard.webapp")
    analytics_up = ("dashboard.figures", "dashboard.pages", *app_level)
    assert _upward_imports(package / "analytics", analytics_up) == []
    assert _upward_imports(package / "figures", ("dashboard.pages", *app_level)) == []
