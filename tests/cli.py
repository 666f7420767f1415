"""Running the `izdes` command as an administrator does: a separate process, configured by
the environment."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import TEST_SECRET


def run_izdes(database_url: str, *args: str, stdin: str | None = None,
              **settings: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "IZDES_DATABASE_URL": database_url, "IZDES_SECRET_KEY": TEST_SECRET,
           **{f"IZDES_{name.upper()}": value for name, value in settings.items()}}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
        env=env, timeout=60,
    )


def izdes(database_url: str, *args: str, stdin: str | None = None, **settings: str) -> str:
    """Run `izdes ...`; its output, after checking it succeeded."""
    result = run_izdes(database_url, *args, stdin=stdin, **settings)
    assert result.returncode == 0, result.stderr
    return result.stdout
