"""Keep the FRED API key out of every log line, whoever writes it."""

from __future__ import annotations

import logging
import os


class RedactKeyFilter(logging.Filter):
    """Masks the API key in a record's final message (arguments included)."""

    def __init__(self, secret: str | None):
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secret:
            message = record.getMessage()
            if self.secret in message:
                record.msg = message.replace(self.secret, "***")
                record.args = None
        return True


def install_log_redaction(secret: str | None = None) -> None:
    """Attach the filter to the root handlers and the loggers that print request lines."""
    secret = secret or (os.environ.get("FRED_API_KEY") or "").strip() or None
    if not secret:
        return
    redactor = RedactKeyFilter(secret)
    logging.getLogger().addFilter(redactor)
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error", "urllib3", "dashboard"):
        logging.getLogger(name).addFilter(redactor)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redactor)
