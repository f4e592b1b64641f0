"""One host without Redis: export jobs run on threads of the web worker (Dash's
DiskcacheManager protocol), at most `max_jobs` at once across the host's workers; one over
the limit ends at once with a plain "busy" message."""

from __future__ import annotations

import time

import diskcache

from dashboard.celery_app import BUSY, LocalJobManager, user_message


def _slow_job(result_key, progress_key, args, context):
    time.sleep(2)


def _wait_until_done(manager, job, seconds=10):
    deadline = time.monotonic() + seconds
    while manager.job_running(job) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not manager.job_running(job)


def test_bgj001_jobs_are_bounded_and_the_extra_one_is_told_busy(tmp_path):
    cache = diskcache.Cache(str(tmp_path / "jobs"))
    manager = LocalJobManager(cache, max_jobs=1)
    first = manager.call_job_fn("key-1", _slow_job, [], {})
    second = manager.call_job_fn("key-2", _slow_job, [], {})
    assert manager.job_running(first)
    assert second == manager.REFUSED and not manager.job_running(second)
    answer = manager.get_result("key-2", second)
    assert answer["background_callback_error"]["msg"] == BUSY
    assert user_message(Exception(BUSY)) == BUSY
    # Another worker process of the host reads the same job table.
    assert LocalJobManager(diskcache.Cache(str(tmp_path / "jobs")), max_jobs=1).job_running(first)
    assert _wait_until_done(manager, first), "a finished job must stop counting"
    # Once the first has ended, a new job is accepted.
    third = manager.call_job_fn("key-3", _slow_job, [], {})
    assert third != manager.REFUSED and manager.job_running(third)
    assert _wait_until_done(manager, third)
    cache.close()




def test_bgj004_a_burst_of_starts_never_runs_more_than_the_limit(tmp_path):
    # The old check-then-record let 8 simultaneous clicks start 4 jobs with a limit of 2.
    from concurrent.futures import ThreadPoolExecutor

    cache = diskcache.Cache(str(tmp_path / "jobs"))
    manager = LocalJobManager(cache, max_jobs=2)
    with ThreadPoolExecutor(8) as pool:
        jobs = list(pool.map(lambda i: manager.call_job_fn(f"k{i}", _slow_job, [], {}), range(8)))
    started = [j for j in jobs if j != manager.REFUSED]
    assert len(started) == 2, jobs
    for job in started:
        assert _wait_until_done(manager, job)
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
