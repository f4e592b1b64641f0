"""JSON endpoints under /api/ (plain Flask routes beside the Dash app)."""

from __future__ import annotations

from datetime import date

from flask import Flask, jsonify, request

from dashboard.analytics import triggers as engine
from dashboard.data import get_store

TRIGGER_PARAMS = ("status", "id")
TRIGGER_STATUSES = (engine.FIRING, engine.APPROACHING, engine.QUIET, engine.NO_DATA)


def _csv_param(name: str) -> list[str]:
    return [part.strip() for part in request.args.get(name, "").split(",") if part.strip()]


def triggers_feed() -> tuple:
    """`GET /api/triggers[?status=firing,approaching][&id=a,b]`: the trigger readings, as
    `python -m dashboard triggers --json` prints them. Bad parameters → 400 with a message."""
    unknown = sorted(set(request.args) - set(TRIGGER_PARAMS))
    if unknown:
        shown = ", ".join(u[:30] for u in unknown[:3])
        return jsonify(error=f"Unknown parameter(s): {shown}. Use status and id."), 400
    try:
        triggers = engine.load_triggers()
    except (OSError, ValueError) as exc:
        return jsonify(error=f"The triggers file could not be read: {exc}"), 500
    statuses = _csv_param("status")
    bad = [s for s in statuses if s not in TRIGGER_STATUSES]
    if bad:
        return jsonify(
            error=f"Unknown status '{bad[0][:30]}'. Use {', '.join(TRIGGER_STATUSES)}."
        ), 400
    wanted = _csv_param("id")
    known = {t.id for t in triggers}
    missing = [i for i in wanted if i not in known]
    if missing:
        return jsonify(error=f"Unknown trigger id '{missing[0][:40]}'."), 400
    if wanted:
        triggers = tuple(t for t in triggers if t.id in wanted)
    datas = get_store().get_many(engine.required_series(triggers))
    readings = engine.evaluate_all(triggers, datas, date.today())
    if statuses:
        readings = [r for r in readings if r.status in statuses]
    return jsonify([r.to_json() for r in readings]), 200


def register_api(server: Flask) -> None:
    """Attach every /api/ route to the Flask server."""
    server.add_url_rule("/api/triggers", "api_triggers", triggers_feed, methods=["GET"])
