"""Every `python -m dashboard …` example in README.md runs as written and does what it says.

The commands are read from the README's bash blocks (not copied here), so an example that
stops working — or a new one that never did — fails this test. Each runs as a subprocess
offline on the shared data folder, in its own folder and cache.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

import pytest

from dashboard.config import PROJECT_ROOT
from tests.conftest import SHARED_SERIES, requires_shared

pytestmark = requires_shared

README = PROJECT_ROOT / "README.md"
EXIT_FIRING = 3  # documented: `triggers --fail-on-firing` exits 3 when a trigger fires
MAGIC = {".png": b"\x89PNG", ".pdf": b"%PDF", ".svg": b"<svg", ".csv": b"#"}


def readme_commands() -> list[str]:
    """`python -m dashboard` lines of the README's bash blocks: comments and shell
    continuations (`|| notify …`) cut off, `[--optional …]` syntax left out."""
    text = README.read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        block = re.sub(r"\\\n\s*", " ", block)  # shell line continuations
        for line in block.splitlines():
            line = line.split("#", 1)[0].split("||", 1)[0].strip()
            if not line.startswith("python -m dashboard "):
                continue
            line = re.sub(r"\s*\[[^\]]*\]", "", line)
            commands.append(line)
    return commands


COMMANDS = readme_commands()


def test_rdm000_readme_has_the_export_examples():
    assert any("--log" in c and "export" in c for c in COMMANDS), COMMANDS
    assert len(COMMANDS) >= 8


@pytest.mark.parametrize("command", COMMANDS)
def test_rdm001_readme_example_runs(tmp_path, command):
    argv = shlex.split(command)
    inputs = [
        arg for flag, arg in zip(argv, argv[1:])
        if flag.startswith("--") and flag != "--out" and arg.endswith(".csv")
    ]
    if inputs:
        pytest.skip(f"needs the user's own input files {inputs} (placeholders in the README)")
    env = {
        **os.environ,
        "DASHBOARD_DATA_DIR": str(SHARED_SERIES),
        "DASHBOARD_CACHE_DIR": str(tmp_path / "cache"),
        "DASHBOARD_OFFLINE": "1",
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    done = subprocess.run(
        [sys.executable, *argv[1:]],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    allowed = {0, EXIT_FIRING} if "--fail-on-firing" in argv else {0}
    assert done.returncode in allowed, f"{command}\n{done.stdout[-800:]}\n{done.stderr[-2000:]}"
    assert "Traceback" not in done.stderr
    if "--out" in argv:
        out = tmp_path / argv[argv.index("--out") + 1]
        assert out.is_file() and out.stat().st_size > 1000, command
        head = out.read_bytes()[:400]
        assert MAGIC[out.suffix] in head, (command, head[:40])
    else:
        assert done.stdout.strip(), f"{command} printed nothing"
