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
    assert second == manager.REFUSED_BUSY and not manager.job_running(second)
    answer = manager.get_result("key-2", second)
    assert answer["background_callback_error"]["msg"] == BUSY
    assert user_message(Exception(BUSY)) == BUSY
    # Another worker process of the host reads the same job table.
    assert LocalJobManager(diskcache.Cache(str(tmp_path / "jobs")), max_jobs=1).job_running(first)
    assert _wait_until_done(manager, first), "a finished job must stop counting"
    # Once the first has ended, a new job is accepted.
    third = manager.call_job_fn("key-3", _slow_job, [], {})
    assert third not in manager.REFUSED and manager.job_running(third)
    assert _wait_until_done(manager, third)
    cache.close()




def test_bgj006_a_job_table_left_by_an_earlier_version_does_not_stop_exports(tmp_path):
    # An earlier version kept the running jobs as a list: exports then failed "unexpectedly".
    cache = diskcache.Cache(str(tmp_path / "jobs"))
    manager = LocalJobManager(cache, max_jobs=1)
    for stale in (["123-abc"], "garbage", 42):
        cache.set(manager.RUNNING, stale)
        job = manager.call_job_fn(f"key-{stale!r}", _slow_job, [], {})
        assert job not in manager.REFUSED and manager.job_running(job)
        assert _wait_until_done(manager, job)
    cache.close()


def test_bgj004_a_burst_of_starts_never_runs_more_than_the_limit(tmp_path):
    # The old check-then-record let 8 simultaneous clicks start 4 jobs with a limit of 2.
    from concurrent.futures import ThreadPoolExecutor

    cache = diskcache.Cache(str(tmp_path / "jobs"))
    manager = LocalJobManager(cache, max_jobs=2)
    with ThreadPoolExecutor(8) as pool:
        jobs = list(pool.map(lambda i: manager.call_job_fn(f"k{i}", _slow_job, [], {}), range(8)))
    started = [j for j in jobs if j not in manager.REFUSED]
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


def _quick_job(result_key, progress_key, args, context):
    pass


def test_bgj005_one_client_looping_on_export_is_told_to_wait(tmp_path):
    import flask

    from dashboard import celery_app
    from dashboard.celery_app import EXPORTS_PER_CLIENT_MINUTE, TOO_MANY
    from dashboard.respcache import ClientQuota

    celery_app._export_starts = ClientQuota(60, per_client=EXPORTS_PER_CLIENT_MINUTE)
    web = flask.Flask(__name__)
    cache = diskcache.Cache(str(tmp_path / "jobs"))
    manager = LocalJobManager(cache, max_jobs=EXPORTS_PER_CLIENT_MINUTE + 5)

    def start(address: str, key: str) -> str:
        with web.test_request_context(environ_base={"REMOTE_ADDR": address}):
            return manager.call_job_fn(key, _quick_job, [], {})

    looping = [start("198.51.100.7", f"a{i}") for i in range(EXPORTS_PER_CLIENT_MINUTE + 2)]
    assert not set(manager.REFUSED) & set(looping[:EXPORTS_PER_CLIENT_MINUTE])
    assert looping[EXPORTS_PER_CLIENT_MINUTE:] == [manager.REFUSED_TOO_MANY] * 2
    refused = manager.get_result(f"a{EXPORTS_PER_CLIENT_MINUTE}", manager.REFUSED_TOO_MANY)
    assert refused["background_callback_error"]["msg"] == TOO_MANY
    assert user_message(Exception(TOO_MANY)) == TOO_MANY
    # Someone else exporting at the same time is not held back.
    assert start("203.0.113.9", "b0") not in manager.REFUSED
    for job in looping[:EXPORTS_PER_CLIENT_MINUTE]:
        assert _wait_until_done(manager, job)
    cache.close()
