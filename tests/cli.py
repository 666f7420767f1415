"""Running the `izdes` command as an administrator does: a separate process, configured by
the environment.

Each command is a process of its own, forked from a server that has done the imports ahead
(tests/fork_server.py): over a second of imports spared on each of several hundred commands.
IZDES_TEST_FORK_SERVER=0 starts every command as `python -m bot` instead, as the tests of the
entry point itself always do (``fresh=True``).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from tests.conftest import TEST_SECRET

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60  # seconds a command may take


def run_izdes(database_url: str, *args: str, stdin: str | None = None,
              cwd: Path | None = None, fresh: bool = False,
              **settings: str) -> subprocess.CompletedProcess[str]:
    """``fresh``: a new interpreter, where the test is about how the process starts."""
    env = {**os.environ, "IZDES_DATABASE_URL": database_url, "IZDES_SECRET_KEY": TEST_SECRET,
           **{f"IZDES_{name.upper()}": value for name, value in settings.items()}}
    if cwd is not None:  # the project on the path wherever the command runs
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    if fresh or os.environ.get("IZDES_TEST_FORK_SERVER") == "0":
        return subprocess.run(
            [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
            env=env, timeout=TIMEOUT, cwd=cwd,
        )
    return _forked(list(args), env, cwd or Path.cwd(), stdin)


def izdes(database_url: str, *args: str, stdin: str | None = None, cwd: Path | None = None,
          **settings: str) -> str:
    """Run `izdes ...`; its output, after checking it succeeded."""
    result = run_izdes(database_url, *args, stdin=stdin, cwd=cwd, **settings)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _forked(args: list[str], env: dict[str, str], cwd: Path,
            stdin: str | None) -> subprocess.CompletedProcess[str]:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(TIMEOUT)
        _connect(connection)
        stream = connection.makefile("rwb")
        request = {"args": args, "env": env, "cwd": str(cwd), "stdin": stdin}
        stream.write(json.dumps(request).encode() + b"\n")
        stream.flush()
        started = stream.readline()
        try:
            line = stream.readline() if started else b""
        except TimeoutError:
            os.kill(json.loads(started)["pid"], 9)
            raise subprocess.TimeoutExpired(["izdes", *args], TIMEOUT) from None
    if not line:
        raise RuntimeError(f"izdes {' '.join(args)}: the fork server answered nothing")
    done = json.loads(line)
    return subprocess.CompletedProcess(["izdes", *args], done["returncode"], done["stdout"],
                                       done["stderr"])


_started = threading.Lock()
_socket: str | None = None


def _connect(connection: socket.socket) -> None:
    """To this test process's server, started on first use, and again if it has died."""
    try:
        connection.connect(_server_socket())
    except (ConnectionRefusedError, FileNotFoundError):
        connection.connect(_server_socket(restart=True))


def _server_socket(restart: bool = False) -> str:
    global _socket
    with _started:
        if _socket is None or restart:
            folder = tempfile.mkdtemp(prefix="izdes-fork-")
            path = os.path.join(folder, "socket")
            server = subprocess.Popen(
                [sys.executable, "-m", "tests.fork_server", path], cwd=ROOT,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            assert server.stdout is not None and server.stdout.readline() == b"ready\n"
            atexit.register(_stop, server, folder)
            _socket = path
        return _socket


def _stop(server: subprocess.Popen[bytes], folder: str) -> None:
    assert server.stdin is not None
    with contextlib.suppress(OSError):
        server.stdin.close()  # the server's signal to stop
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.wait(timeout=10)
    shutil.rmtree(folder, ignore_errors=True)
