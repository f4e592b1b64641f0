"""Background callbacks: Celery on Redis when `DASHBOARD_REDIS_URL` is set, otherwise Dash's
`DiskcacheManager` variant (jobs on threads of the web worker, results in
`DASHBOARD_CACHE_DIR`).

The worker of a team install: `celery -A app:celery_app worker --pool threads --concurrency 1`
(same code, same environment as the web processes). Callbacks marked `background=True` (the
server-side image exports) run there; the web workers only hand the job over and answer the
browser's polls.

A worker that dies mid-job (killed, out of memory, host lost) never leaves the page waiting:
while a job runs, the worker writes a heartbeat key to Redis every second with a 4-second
expiry; a poll that finds the job claimed but its heartbeat gone answers with a plain error.
A job still queued after `QUEUE_SECONDS` while no worker is alive fails the same way (a job
waiting behind others in a long queue keeps waiting).
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import dash
import redis
from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_init
from kombu.exceptions import OperationalError

from dashboard.config import Settings
from dashboard.data.redis_cache import KEY_PREFIX, client_for
from dashboard.respcache import ClientQuota

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 1.0
ALIVE_SECONDS = 4  # a running job's heartbeat older than this: its worker is gone
QUEUE_SECONDS = 30.0  # a job not picked up in this long, with no worker alive, fails
WORKERS_ALIVE_SECONDS = 10  # a worker says it is alive every 2 s; silent this long: none is
RESULT_SECONDS = 3600
WORKER_LOST = (
    "The export stopped: the background worker running it went away (restarted or "
    "killed). Try again."
)
NO_WORKER = (
    f"No background worker took the export within {QUEUE_SECONDS:.0f} s; try again in a "
    "minute (the team's admin: is `celery -A app:celery_app worker` running?)."
)
REDIS_AWAY = (
    "Exports are unavailable for a moment: the shared job queue (Redis) cannot be reached. "
    "Try again shortly; the chart's camera button works meanwhile."
)
BUSY = "The server is busy with other exports; try again in a moment."
TOO_MANY = "You started many exports in the last minute; try again in a minute."
EXPORTS_PER_CLIENT_MINUTE = 10  # per worker; a person exports a few charts a minute at most
UNEXPECTED = "The export failed unexpectedly; try again."
MAX_LOCAL_JOBS = 2  # one host without Redis: jobs at once (each may start a Chromium)
JOB_SECONDS = 300  # no job runs longer (an export is bounded far below this)
_PREFIX = "An error occurred inside a background callback: "


def make_celery(url: str) -> Celery:
    """The Celery app: Redis as broker and result store (the same Redis as the data)."""
    app = Celery("dashboard", broker=url, backend=url)
    app.conf.update(
        broker_connection_retry_on_startup=True,
        result_expires=RESULT_SECONDS,
        worker_prefetch_multiplier=1,  # a long export must not hold jobs another worker could run
        task_acks_late=False,  # a job whose worker died is reported, not silently re-run
        worker_hijack_root_logger=False,
        redis_socket_connect_timeout=2,
        redis_socket_timeout=5,
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.5},
    )
    return app


_export_starts = ClientQuota(60, per_client=EXPORTS_PER_CLIENT_MINUTE)


def _over_export_quota() -> bool:
    """True when the client of this request has started its share of exports this minute:
    one client looping on the export button would otherwise keep Chromium rendering for
    everyone's CPU (behind a proxy see DASHBOARD_TRUSTED_PROXIES)."""
    from flask import has_request_context, request

    return has_request_context() and not _export_starts.allow(request.remote_addr or "-")


def _refused(message: str) -> dict:
    return {"background_callback_error": {"msg": message, "tb": ""}}


class _OwnResults:
    """Dash keys a job's result by the callback's source and arguments, so two users exporting
    the same view at once share one result slot: the first to read it takes it, and the other
    page is left as if cancelled. Results are not reused here (no `cache_by`), so each job
    gets its own slot."""

    def build_cache_key(self, fn, args, cache_args_to_ignore, triggered):
        # Dash's own key hashes the function's source (inspect.getsource) and the arguments
        # on every start: a tenth of a worker's CPU under a client looping on export, for a
        # key that is made unique here anyway.
        return f"{getattr(fn, '__name__', 'job')}-{uuid.uuid4().hex}"


class WatchedCeleryManager(_OwnResults, dash.CeleryManager):
    """Dash's CeleryManager, plus: a job whose worker died, or that no worker took, ends
    with an error the page shows (through the callback's `on_error`) instead of polling
    for ever; and Redis being away gives that kind of error too, never an HTTP 500."""

    UNQUEUED = "redis-away"  # the job id of an export that could not be queued
    TOO_MANY = "too-many"  # the job id of an export refused by the per-client quota

    def __init__(self, celery_app: Celery, url: str):
        super().__init__(celery_app)
        self._redis = client_for(url)
        # Handles are signed with a secret every host derives alike, so rendering a page
        # never needs Redis (Dash would otherwise keep a random one in Redis). Put a password
        # in the Redis URL: it protects the data and this secret.
        self._secret = hashlib.sha256(b"fed-dashboard background handles\0" + url.encode()).digest()

    def get_or_create_signing_secret(self, generate):
        return self._secret

    def call_job_fn(self, key, job_fn, args, context):
        if _over_export_quota():
            return self.TOO_MANY
        try:
            # Celery retries a dead broker and result store for many seconds; a 1-s ping
            # first lets the page say so at once.
            self._redis.ping()
            job = super().call_job_fn(key, job_fn, args, context)
            self._redis.set(_key("submitted", job), time.time(), ex=RESULT_SECONDS)
        except (redis.RedisError, OperationalError, RuntimeError):
            return self.UNQUEUED
        return job

    def get_result(self, key, job):
        if job == self.UNQUEUED:
            return _refused(REDIS_AWAY)
        if job == self.TOO_MANY:
            return _refused(TOO_MANY)
        try:
            result = super().get_result(key, job)
            if result is self.UNDEFINED and job and self.get_task(job).state == "SUCCESS":
                # The job wrote its answer and ended between our read and Dash's "is it
                # still running?": read again, or the page would take it as cancelled.
                result = super().get_result(key, job)
        except redis.RedisError:
            return self.UNDEFINED  # keep polling; the heartbeat check runs when Redis is back
        if result is not self.UNDEFINED or not job:
            return result
        problem = self.lost(job)
        if problem is None:
            return result
        return {"background_callback_error": {"msg": problem, "tb": ""}}

    def lost(self, job: str) -> str | None:
        """Why `job` will never answer, or None while it may still."""
        try:
            claimed, alive, submitted, workers = self._redis.mget(
                [
                    _key("claimed", job),
                    _key("alive", job),
                    _key("submitted", job),
                    KEY_PREFIX + "workers-alive",
                ]
            )
        except redis.RedisError:
            return None  # cannot tell now; the next poll asks again
        if claimed:
            return None if alive else WORKER_LOST
        if not workers and submitted and time.time() - float(submitted) > QUEUE_SECONDS:
            return NO_WORKER  # queued, and no worker has been alive for a while
        return None

    # Redis away while a job is polled: answer "still running", never an HTTP 500.
    def job_running(self, job):
        if job in (self.UNQUEUED, self.TOO_MANY):
            return False
        try:
            return super().job_running(job)
        except redis.RedisError:
            return True

    def get_progress(self, key):
        try:
            return super().get_progress(key)
        except redis.RedisError:
            return None

    def get_updated_props(self, key):
        try:
            return super().get_updated_props(key)
        except redis.RedisError:
            return {}

    def terminate_job(self, job):
        """Cancel: revoke the job (a queued one never runs). The threads pool cannot kill a
        running one; it finishes its bounded render and its answer is dropped."""
        if not job or job in (self.UNQUEUED, self.TOO_MANY):
            return
        try:
            self.handle.control.revoke(job)
        except (redis.RedisError, OperationalError):
            pass

    def clear_cache_entry(self, key):
        try:
            super().clear_cache_entry(key)
        except redis.RedisError:
            pass


def _key(kind: str, job: str) -> str:
    return f"{KEY_PREFIX}job-{kind}:{job}"


# ---- the worker side: heartbeats while a job runs -------------------------------------------
_BEATS: dict[str, threading.Event] = {}


@worker_init.connect
def _mark_worker(sender=None, **_):
    """In a worker: say every 2 s that a worker is alive, so a job waiting in a long queue is
    not mistaken for one nobody will run."""
    client = client_for(sender.app.conf.broker_url)

    def beat():
        while True:
            try:
                client.set(KEY_PREFIX + "workers-alive", "1", ex=WORKERS_ALIVE_SECONDS)
            except redis.RedisError:
                pass
            time.sleep(2)

    threading.Thread(target=beat, name="workers-alive", daemon=True).start()


@task_prerun.connect
def _start_heartbeat(task_id=None, task=None, **_):
    client = client_for(task.app.conf.broker_url)
    alive, stop = _key("alive", task_id), threading.Event()
    try:
        client.set(alive, "1", ex=ALIVE_SECONDS)  # before "claimed": no poll sees one alone
        client.set(_key("claimed", task_id), "1", ex=RESULT_SECONDS)
    except redis.RedisError:
        log.warning("could not record the start of job %s", task_id)

    def beat():
        while not stop.wait(HEARTBEAT_SECONDS):
            try:
                client.set(alive, "1", ex=ALIVE_SECONDS)
            except redis.RedisError:
                pass

    _BEATS[task_id] = stop
    threading.Thread(target=beat, name=f"heartbeat-{task_id}", daemon=True).start()


@task_postrun.connect
def _stop_heartbeat(task_id=None, **_):
    stop = _BEATS.pop(task_id, None)
    if stop is not None:
        stop.set()


class LocalJobManager(_OwnResults, dash.DiskcacheManager):
    """Dash's DiskcacheManager with each job on a thread of the worker that started it, and
    at most `max_jobs` jobs at once on this host; a job over the limit ends at once with
    `BUSY`. Dash forks a process per job, but a child forked while another thread of the
    worker is inside sqlite inherits its locks and can hang for ever (two users exporting at
    once left one export spinning). A thread cannot be killed: a cancelled export finishes
    its bounded render (`export.RENDER_TIMEOUT`) and its answer is dropped."""

    RUNNING = "fed-dashboard-running-jobs"  # {job id: start time}, shared by the host's workers
    # Job ids of refused jobs: nothing runs and nothing is written; the reason is in the id,
    # so a refusal costs no cache write (a client looping on export made one per click).
    REFUSED_BUSY = "refused-busy"
    REFUSED_TOO_MANY = "refused-too-many"
    REFUSED = {REFUSED_BUSY: BUSY, REFUSED_TOO_MANY: TOO_MANY}

    def __init__(self, cache, max_jobs: int = MAX_LOCAL_JOBS):
        super().__init__(cache)
        self.max_jobs = max_jobs

    @staticmethod
    def _alive(running: dict) -> dict:
        """The jobs still running: their worker process is alive and they are not older
        than any job can be (a worker killed mid-job leaves its entry behind)."""
        now = time.time()
        alive = {}
        for job, started in running.items():
            try:
                os.kill(int(job.split("-")[0]), 0)
            except (OSError, ValueError):
                continue
            if now - started < JOB_SECONDS:
                alive[job] = started
        return alive

    def _running(self) -> dict:
        # anything but a {job: start} table (an earlier version's list, a damaged entry)
        # counts as no job, so a host upgraded mid-flight still exports
        stored = self.handle.get(self.RUNNING)
        return self._alive(stored) if isinstance(stored, dict) else {}

    def _set_running(self, change) -> dict:
        with self.handle.transact():  # one writer at a time across the host's workers
            running = change(self._running())
            self.handle.set(self.RUNNING, running)
        return running

    def call_job_fn(self, key, job_fn, args, context):
        if _over_export_quota():
            return self.REFUSED_TOO_MANY
        job = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"

        def claim(running: dict) -> dict:
            if len(running) < self.max_jobs:
                running[job] = time.time()
            return running

        if job not in self._set_running(claim):
            return self.REFUSED_BUSY

        def run() -> None:
            try:
                job_fn(key, self._make_progress_key(key), args, context)
            finally:
                self._set_running(lambda running: {j: t for j, t in running.items() if j != job})

        threading.Thread(target=run, name=f"background-job-{job}", daemon=True).start()
        return job

    def get_result(self, key, job):
        if job in self.REFUSED:
            return _refused(self.REFUSED[job])
        return super().get_result(key, job)

    def job_running(self, job):
        return job not in self.REFUSED and job in self._running()

    def terminate_job(self, job):
        pass  # nothing to kill: see the class note

    def terminate_unhealthy_job(self, job):
        return False


# ---- choosing the manager ---------------------------------------------------------------------
def background_manager(settings: Settings):
    """CeleryManager on `settings.redis_url`, or a DiskcacheManager on this host."""
    if settings.redis_url:
        return WatchedCeleryManager(make_celery(settings.redis_url), settings.redis_url)
    import diskcache

    folder = settings.cache_dir / "background"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        cache = diskcache.Cache(str(folder))
    except (OSError, sqlite3.Error, diskcache.Timeout):
        # A read-only cache folder must not stop the app; jobs go to a per-user temp folder.
        fallback = Path(tempfile.gettempdir()) / f"fed-dashboard-background-{os.getuid()}"
        cache = diskcache.Cache(str(fallback))
    return LocalJobManager(cache)


def celery_of(app: dash.Dash) -> Celery | None:
    """The Celery app behind `app`'s background callbacks (None on one host)."""
    manager = app._background_manager if hasattr(app, "_background_manager") else None
    return manager.handle if isinstance(manager, dash.CeleryManager) else None


@contextmanager
def job_renderer():
    """The image renderer for an export job: the process's long-lived one (Chromium started
    once and reused), in a Celery worker and in a web worker's job thread alike."""
    from dashboard.export import get_renderer

    yield get_renderer()


def user_message(exc: Exception) -> str:
    """Plain words for a background job's failure: ours as written, anything else generic
    (a traceback never reaches the page)."""
    text = str(exc)
    if text.startswith(_PREFIX):
        text = text[len(_PREFIX) :].split("\n", 1)[0]
    return text if text in (WORKER_LOST, NO_WORKER, BUSY, TOO_MANY, REDIS_AWAY) else UNEXPECTED
