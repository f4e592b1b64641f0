"""One host without Redis: export jobs run in their own processes (Dash's DiskcacheManager),
at most `max_jobs` at once; one over the limit ends at once with a plain "busy" message."""

from __future__ import annotations

import time

import diskcache
import psutil

from dashboard.celery_app import BUSY, BoundedDiskcacheManager, user_message


def _slow_job(result_key, progress_key, args, context):
    time.sleep(3)


def test_bgj001_job_processes_are_bounded_and_the_extra_one_is_told_busy(tmp_path):
    cache = diskcache.Cache(str(tmp_path / "jobs"))
    manager = BoundedDiskcacheManager(cache, max_jobs=1)
    first = manager.call_job_fn("key-1", _slow_job, [], {})
    second = manager.call_job_fn("key-2", _slow_job, [], {})
    try:
        assert psutil.pid_exists(int(first)) and manager.job_running(first)
        assert second == manager.REFUSED and not manager.job_running(second)
        answer = manager.get_result("key-2", second)
        assert answer["background_callback_error"]["msg"] == BUSY
        assert user_message(Exception(BUSY)) == BUSY
        me = psutil.Process()
        manager.terminate_job(second)  # a refused job has no process: nothing is killed
        assert me.is_running() and manager.job_running(first)
    finally:
        manager.terminate_job(first)
    deadline = time.monotonic() + 10
    while manager.job_running(first) and time.monotonic() < deadline:
        time.sleep(0.1)
    # Once the first has ended, a new job is accepted.
    third = manager.call_job_fn("key-3", _slow_job, [], {})
    try:
        assert third != manager.REFUSED
    finally:
        manager.terminate_job(third)
        cache.close()


def test_bgj002_an_unexpected_job_error_shows_no_traceback():
    from dashboard.celery_app import UNEXPECTED, WORKER_LOST

    leaked = Exception(
        "An error occurred inside a background callback: KeyError: 'FRED_API_KEY'\n"
        'Traceback (most recent call last):\n  File "/srv/app.py", line 1'
    )
    assert user_message(leaked) == UNEXPECTED
    ours = Exception(f"An error occurred inside a background callback: {WORKER_LOST}\n")
    assert user_message(ours) == WORKER_LOST
