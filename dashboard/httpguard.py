"""What the server answers to requests it cannot serve: a short JSON error, never a traceback.

Dash hands `/_dash-update-component` bodies straight to its dispatcher, which raises (→ 500)
on anything the renderer would never send: a body that is not a JSON object, an unknown
output, inputs that are not a list of `{id, property, value}`. Those are client errors, so
they are rejected here with 400 before Dash sees them. Anything that still fails inside a
callback is logged server-side and answered with a plain JSON 500. Debug mode (`DASH_DEBUG=1`)
keeps Dash's own error pages, which it registers later and which then take precedence.
"""

from __future__ import annotations

import logging
from typing import Any

import dash
from dash.exceptions import DependencyException
from flask import jsonify, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)
WILDCARDS = ("ALL", "MATCH", "ALLSMALLER")


def _entry_problem(entry: Any, declared: dict, where: str) -> str | None:
    """Why one posted input/state entry cannot match the declared dependency, or None."""
    want_id = declared["id"]
    pattern = want_id.startswith("{") if isinstance(want_id, str) else False
    items = entry if (pattern and isinstance(entry, list)) else [entry]
    for item in items:
        if not isinstance(item, dict) or "id" not in item or "property" not in item:
            return f"{where}: each entry needs an id and a property"
        if item["property"] != declared["property"]:
            return f"{where}: unexpected property"
        got = item["id"]
        if pattern:
            if not isinstance(got, dict) or not all(isinstance(k, str) for k in got):
                return f"{where}: expected a pattern-matching id"
        elif got != want_id:
            return f"{where}: unexpected component id"
        if item["property"] == "id" and item.get("value", got) != got:
            # The renderer sends a component's own id as the value of its `id` property.
            return f"{where}: an id property must hold the component's id"
    return None


def callback_payload_problem(body: Any, callback_map: dict) -> str | None:
    """Why a `/_dash-update-component` body is malformed, or None when Dash can dispatch it."""
    if not isinstance(body, dict):
        return "the request body must be a JSON object"
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        return "unknown callback output"
    spec = callback_map[output]
    for key, declared in (("inputs", spec.get("inputs", [])), ("state", spec.get("state", []))):
        posted = body.get(key, [])
        if not isinstance(posted, list) or len(posted) != len(declared):
            return f"{key} must list the callback's {len(declared)} {key}"
        for i, (entry, want) in enumerate(zip(posted, declared)):
            problem = _entry_problem(entry, want, f"{key}[{i}]")
            if problem:
                return problem
    outputs = body.get("outputs")
    if not isinstance(outputs, (dict, list)):
        return "outputs must be an object or a list"
    flat = outputs if isinstance(outputs, list) else [outputs]
    for item in flat:
        for entry in item if isinstance(item, list) else [item]:
            if not isinstance(entry, dict) or not isinstance(entry.get("property"), str):
                return "each output needs an id and a property"
            if not isinstance(entry.get("id"), (str, dict)):
                return "each output needs an id and a property"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "changedPropIds must be a list of strings"
    if output.startswith(".."):
        expected = output.count("...") + 1
        if not isinstance(outputs, list) or len(outputs) != expected:
            return f"this callback has {expected} outputs"
    elif isinstance(outputs, list) and not output.startswith("{"):
        # A single pattern-matching output (ALL) is posted as the list of its matches.
        return "this callback has one output"
    return None


def _pages_problem(body: dict, prefix: str) -> str | None:
    # Dash's own pages callback assumes what a browser sends: strings, and a pathname under
    # the app's prefix (anything else raises inside Dash).
    for entry in body.get("inputs", []):
        if isinstance(entry, dict) and entry.get("id") == "_pages_location":
            value = entry.get("value")
            if value is not None and not isinstance(value, str):
                return "the location must be a string"
            # A browser always sends a pathname; None reaches fnmatch once a page has a
            # path template (/asset/<series_id>) and raises there.
            if entry.get("property") == "pathname" and (
                value is None or not value.startswith(prefix)
            ):
                return "the pathname must be absolute"
    return None


def install_guards(app: dash.Dash) -> None:
    """Reject malformed callback posts with 400, hide dev-only routes, never show tracebacks."""
    server = app.server
    prefix = app.config.routes_pathname_prefix
    update_path = prefix + "_dash-update-component"
    reload_path = prefix + "_reload-hash"

    @server.before_request
    def _reject_malformed_requests():
        if request.path == reload_path and not app._dev_tools.get("hot_reload"):
            # Dash always routes it; outside debug it only tells strangers what we run.
            return jsonify(error="not found"), 404
        if request.path != update_path or request.method != "POST":
            return None
        body = request.get_json(silent=True)
        problem = callback_payload_problem(body, app.callback_map) or _pages_problem(
            body, app.config.requests_pathname_prefix
        )
        if problem:
            return jsonify(error=f"Malformed callback request: {problem}."), 400
        return None

    @server.route("/api/<path:_unknown>", methods=["GET"])
    def _unknown_api(_unknown):
        # Without this, Dash's catch-all would answer an unknown API path with the HTML page.
        return jsonify(error="There is no such API endpoint."), 404

    @server.errorhandler(Exception)
    def _unexpected_error(exc: Exception):
        if isinstance(exc, HTTPException):
            return exc
        if isinstance(exc, DependencyException):
            # `/_dash-component-suites/<unknown package or path>`: nothing to serve.
            return jsonify(error="not found"), 404
        log.error("unhandled %s on %s", type(exc).__name__, request.path, exc_info=exc)
        return jsonify(error="Something went wrong on the server; it has been logged."), 500
