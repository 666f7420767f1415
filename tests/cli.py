"""Running the `izdes` command as an administrator does: a separate process, configured by
the environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import TEST_SECRET

ROOT = Path(__file__).resolve().parent.parent


def run_izdes(database_url: str, *args: str, stdin: str | None = None,
              cwd: Path | None = None, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "IZDES_DATABASE_URL": database_url, "IZDES_SECRET_KEY": TEST_SECRET,
           **{f"IZDES_{name.upper()}": value for name, value in settings.items()}}
    if cwd is not None:  # the project on the path wherever the command runs
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
        env=env, timeout=60, cwd=cwd,
    )


def izdes(database_url: str, *args: str, stdin: str | None = None, cwd: Path | None = None,
          **settings: str) -> str:
    """Run `izdes ...`; its output, after checking it succeeded."""
    result = run_izdes(database_url, *args, stdin=stdin, cwd=cwd, **settings)
    assert result.returncode == 0, result.stderr
    return result.stdout
