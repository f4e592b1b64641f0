"""How a poll decides that a Celery export will never answer, against a real Redis: a job
started whose heartbeat stopped, or a job queued for long while no worker is alive."""

from __future__ import annotations

import time

from dashboard.celery_app import (
    NO_WORKER,
    QUEUE_SECONDS,
    WORKER_LOST,
    WatchedCeleryManager,
    make_celery,
)
from dashboard.data.redis_cache import KEY_PREFIX


def test_rds030_lost_jobs_are_told_apart_from_waiting_ones(redis_server):
    manager = WatchedCeleryManager(make_celery(redis_server.url), redis_server.url)
    r = redis_server.client()
    job = "0f6b7c1e-job"
    r.set(f"{KEY_PREFIX}job-submitted:{job}", time.time())
    assert manager.lost(job) is None  # just queued
    r.set(f"{KEY_PREFIX}job-submitted:{job}", time.time() - QUEUE_SECONDS - 1)
    assert manager.lost(job) == NO_WORKER  # queued for long, no worker alive
    r.set(f"{KEY_PREFIX}workers-alive", "1", ex=10)
    assert manager.lost(job) is None  # a worker is alive: the job waits in the queue
    r.set(f"{KEY_PREFIX}job-claimed:{job}", "1")
    r.set(f"{KEY_PREFIX}job-alive:{job}", "1", ex=1)
    assert manager.lost(job) is None  # running, heartbeat fresh
    time.sleep(1.2)
    assert manager.lost(job) == WORKER_LOST  # running, heartbeat gone
    # The page always renders, Redis or not: handles are signed with a derived secret.
    assert manager.get_or_create_signing_secret(lambda: b"random") == manager._secret
    redis_server.stop()
    assert manager.lost(job) is None  # cannot tell while Redis is away: keep polling
