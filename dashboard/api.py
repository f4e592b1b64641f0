"""JSON endpoints under /api/ (plain Flask routes beside the Dash app)."""

from __future__ import annotations

from flask import Flask


def register_api(server: Flask) -> None:
    """Attach every /api/ route to the Flask server."""
