"""Responses are compressed by the app itself (so `python app.py` gets it too): the 4.7 MB
plotly.min.js and the layout arrive gzip- or brotli-encoded when the browser asks, unchanged
once decoded, and plain when it does not."""

from __future__ import annotations

import gzip

import pytest
import requests

from tests.conftest import requires_shared

pytestmark = requires_shared

PLOTLY_JS = "/_dash-component-suites/plotly/package_data/plotly.min.js"


@pytest.mark.parametrize("path", [PLOTLY_JS, "/_dash-layout", "/_dash-dependencies"])
def test_cmp001_gzip_when_asked_identical_once_decoded(served_app, path):
    plain = requests.get(served_app + path, headers={"Accept-Encoding": "identity"}, timeout=60)
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    packed = requests.get(
        served_app + path, headers={"Accept-Encoding": "gzip"}, timeout=60, stream=True
    )
    assert packed.headers.get("Content-Encoding") == "gzip"
    wire = packed.raw.read(decode_content=False)
    assert gzip.decompress(wire) == plain.content
    assert len(wire) < 0.5 * len(plain.content)
    if path == PLOTLY_JS:
        assert len(plain.content) > 4_000_000 and len(wire) < 1_600_000


def test_cmp002_brotli_for_browsers_that_offer_it(served_app):
    reply = requests.get(
        served_app + PLOTLY_JS, headers={"Accept-Encoding": "br, gzip"}, timeout=60, stream=True
    )
    assert reply.headers.get("Content-Encoding") in ("br", "zstd", "gzip")
    assert "Accept-Encoding" in reply.headers.get("Vary", "")
    assert len(reply.raw.read(decode_content=False)) < 1_600_000
