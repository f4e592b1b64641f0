"""Fixtures for the hostile-input tests: a Dash client on the served app."""

from __future__ import annotations

import pytest

from bench.dashproto import DashSite


@pytest.fixture(scope="session")
def site(served_app) -> DashSite:
    """The served app as a Dash client sees it (callbacks read from `/_dash-dependencies`)."""
    return DashSite(served_app, timeout=120)
