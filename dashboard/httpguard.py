"""What the server answers to requests it cannot serve: a short JSON error, never a traceback.

Dash hands `/_dash-update-component` bodies straight to its dispatcher, which raises (→ 500)
on anything the renderer would never send: a body that is not a JSON object, an unknown
output, inputs that are not a list of `{id, property, value}`. Those are client errors, so
they are rejected here with 400 before Dash sees them. Anything that still fails inside a
callback is logged server-side and answered with a plain JSON 500. Debug mode (`DASH_DEBUG=1`)
keeps Dash's own error pages, which it registers later and which then take precedence.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

import dash
from dash.exceptions import DependencyException
from flask import jsonify, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

log = logging.getLogger(__name__)
WILDCARDS = ("ALL", "MATCH", "ALLSMALLER")
# A real callback body is a few KB (the largest: the Triggers readings, ~10 KB); anything far
# bigger is someone making the server parse, hold and hash megabytes.
MAX_BODY_BYTES = 300 * 1024
DRAIN_LIMIT = 32 * 2**20  # a bigger refused body is not read at all: the connection closes
MAX_JSON_DEPTH = 64  # the renderer's deepest body is under 10 levels
MAX_PATTERN_MATCHES = 200  # components one ALL wildcard may match (a page has a few dozen)
PATTERN_ID_TYPES = (str, int)

# Pattern-matching id types whose values a page knows: {type: (key, allowed values)}.
_PAGE_PATTERN_VALUES: dict[str, tuple[str, Callable[[], Iterable[object]]]] = {}


def allow_pattern_values(type_value: str, key: str, values: Callable[[], Iterable[object]]) -> None:
    """Declare which values `key` takes in ids `{"type": type_value, key: ...}` (the ones a
    page renders); a posted id with any other value is refused with 400."""
    _PAGE_PATTERN_VALUES[type_value] = (key, values)


def json_depth_exceeds(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when `value` nests deeper than `limit` (iterative: no recursion to exhaust)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return False


def _declared_pattern(want_id: str) -> dict | None:
    try:
        declared = json.loads(want_id)
    except ValueError:
        return None
    return declared if isinstance(declared, dict) else None


def _pattern_problem(got: dict, declared: dict | None, where: str) -> str | None:
    """Why a posted pattern-matching id cannot be one the page rendered, or None."""
    if declared is None:
        return None
    if set(got) != set(declared):
        return f"{where}: the id's keys do not match the callback's"
    for key, want in declared.items():
        value = got[key]
        if not isinstance(value, PATTERN_ID_TYPES) or isinstance(value, bool):
            return f"{where}: id values must be strings"
        if not isinstance(want, list) and value != want:
            return f"{where}: unexpected component id"
    known = _PAGE_PATTERN_VALUES.get(str(declared.get("type")))
    if known is not None:
        key, values = known
        try:
            allowed = set(values())
        except Exception:  # noqa: BLE001 - the page reports its own broken file
            return None
        if key in got and got[key] not in allowed:
            return f"{where}: no such component on the page"
    return None


def _declared_outputs(output: str) -> list[dict | None]:
    """The pattern-matching id declared for each output of a callback key (None for a plain
    id). Dash keys one output as `id.prop`, several as `..id.prop...id.prop..`, with a
    pattern id written as its JSON."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    return [
        _declared_pattern(part.rsplit(".", 1)[0]) if part.startswith("{") else None
        for part in parts
    ]


def _entry_problem(entry: Any, declared: dict, where: str) -> str | None:
    """Why one posted input/state entry cannot match the declared dependency, or None."""
    want_id = declared["id"]
    pattern = want_id.startswith("{") if isinstance(want_id, str) else False
    items = entry if (pattern and isinstance(entry, list)) else [entry]
    if len(items) > MAX_PATTERN_MATCHES:
        return f"{where}: more components than any page has"
    shape = _declared_pattern(want_id) if pattern else None
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, dict) or "id" not in item or "property" not in item:
            return f"{where}: each entry needs an id and a property"
        if item["property"] != declared["property"]:
            return f"{where}: unexpected property"
        got = item["id"]
        if pattern:
            if not isinstance(got, dict) or not all(isinstance(k, str) for k in got):
                return f"{where}: expected a pattern-matching id"
            problem = _pattern_problem(got, shape, where)
            if problem:
                return problem
            text = json.dumps(got, sort_keys=True)
            if text in seen:
                return f"{where}: the same component twice"
            seen.add(text)
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
    declared_outputs = _declared_outputs(output)
    for position, item in enumerate(flat):
        entries = item if isinstance(item, list) else [item]
        if len(entries) > MAX_PATTERN_MATCHES:
            return "outputs: more components than any page has"
        shape = declared_outputs[position] if position < len(declared_outputs) else None
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("property"), str):
                return "each output needs an id and a property"
            if not isinstance(entry.get("id"), (str, dict)):
                return "each output needs an id and a property"
            got = entry["id"]
            if isinstance(got, dict):
                if not all(isinstance(k, str) for k in got):
                    return "outputs: expected a pattern-matching id"
                # The same checks as an input's id: keys, value types, and a value the
                # page renders (a forged id would otherwise get a figure built for it).
                problem = _pattern_problem(got, shape, "outputs")
                if problem:
                    return problem
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


def _discard_body(length: int) -> None:
    """Read and drop a refused body (up to `DRAIN_LIMIT`) so the client, still sending,
    gets our 413 instead of a reset connection; nothing is kept or parsed."""
    if length > DRAIN_LIMIT:
        return
    stream = request.environ.get("wsgi.input")
    remaining = length
    while stream is not None and remaining > 0:
        chunk = stream.read(min(65536, remaining))
        if not chunk:
            break
        remaining -= len(chunk)


def install_guards(app: dash.Dash) -> None:
    """Reject malformed callback posts with 400, hide dev-only routes, never show tracebacks."""
    server = app.server
    # Werkzeug stops reading a body past this (also a chunked one without a length).
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    prefix = app.config.routes_pathname_prefix
    update_path = prefix + "_dash-update-component"
    reload_path = prefix + "_reload-hash"

    @server.before_request
    def _reject_malformed_requests():
        if request.path == reload_path and not app._dev_tools.get("hot_reload"):
            # Dash always routes it; outside debug it only tells strangers what we run.
            return jsonify(error="not found"), 404
        if (request.content_length or 0) > MAX_BODY_BYTES:
            _discard_body(request.content_length)
            return jsonify(error="Request too large."), 413
        if request.path != update_path or request.method != "POST":
            return None
        try:
            body = request.get_json(silent=True)
        except RecursionError:
            return jsonify(error="Malformed callback request: nested too deeply."), 400
        if json_depth_exceeds(body):
            return jsonify(error="Malformed callback request: nested too deeply."), 400
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
        if isinstance(exc, RequestEntityTooLarge):
            return jsonify(error="Request too large."), 413
        if isinstance(exc, HTTPException):
            return exc
        if isinstance(exc, RecursionError):
            # Nested JSON deeper than Python recurses: the client's error, not ours.
            log.warning("request to %s nested too deeply", request.path)
            return jsonify(error="Malformed request: nested too deeply."), 400
        if isinstance(exc, DependencyException):
            # `/_dash-component-suites/<unknown package or path>`: nothing to serve.
            return jsonify(error="not found"), 404
        log.error("unhandled %s on %s", type(exc).__name__, request.path, exc_info=exc)
        return jsonify(error="Something went wrong on the server; it has been logged."), 500
