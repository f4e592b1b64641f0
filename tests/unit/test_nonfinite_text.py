"""No card or table prints "inf" or "nan" as if it were a number."""

from __future__ import annotations

import importlib
import math

import pytest

from dashboard.analytics.triggers import format_value
from dashboard.figures.compare import format_change, format_level

NOT_NUMBERS = [math.inf, -math.inf, math.nan]


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_nft001_format_helpers_say_no_number(dash_app, value):
    overview = importlib.import_module("dashboard.pages.overview")
    texts = [
        overview.money(value, "$ bn"),
        overview.signed(value, 1),
        format_level(value, "Millions of U.S. Dollars"),
        format_level(value, "Percent"),
        format_change(value, "%"),
        format_value(value, "millions of USD", signed=True),
    ]
    for text in texts:
        assert "inf" not in text.lower() and "nan" not in text.lower(), texts
    assert overview.money(6745.7, "$ bn") == "$6,746 bn"
