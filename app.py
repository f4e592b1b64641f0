"""Run the Fed Liquidity Dashboard: `python app.py` (or `gunicorn app:server`; with
`DASHBOARD_REDIS_URL`, also `celery -A app:celery_app worker`)."""

import logging

from dashboard.celery_app import celery_of
from dashboard.config import ServerSettings
from dashboard.logsafe import install_log_redaction
from dashboard.webapp import create_app

install_log_redaction()
app = create_app()
server = app.server
# The worker for several hosts: `celery -A app:celery_app worker` (None without Redis).
celery_app = celery_of(app)

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = ServerSettings.from_env()
    app.run(host=settings.host, port=settings.port, debug=settings.debug)
