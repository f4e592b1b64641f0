"""Fixtures for the several-hosts tests: a real redis-server (skipped only when it is not
installed; CI installs it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from redis_support import REDIS_SERVER, RedisServer


@pytest.fixture
def redis_server(tmp_path):
    if not Path(REDIS_SERVER).exists() or not os.access(REDIS_SERVER, os.X_OK):
        pytest.skip(f"needs Debian's redis-server at {REDIS_SERVER} (apt-get install redis-server)")
    server = RedisServer(tmp_path / "redis").start()
    yield server
    server.stop()
