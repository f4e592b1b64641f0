"""gunicorn config for the refresh-consistency test: workers re-read the shared disk cache on
(almost) every request instead of once a minute, so a torn read would be seen if it existed."""

workers = 2


def post_worker_init(worker):
    import dashboard.data.store as store

    store.MEMO_SECONDS = 0.05
