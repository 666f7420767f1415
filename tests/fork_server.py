"""`izdes` with its imports done ahead: each command a fresh process forked from this one.

Starting `python -m bot` costs over a second of imports (python-telegram-bot, SQLAlchemy,
aiohttp, scipy, reportlab), and the tests run the command several hundred times. This server
imports the project once, then forks a child per command: the child takes the command's
arguments, environment, working directory and standard input, runs `bot/__main__.py` as
`python -m bot` would, and sends back its exit code, standard output and standard error. Each
command is still its own process that starts from nothing of the project's state: the server
only imports (no settings read, no catalog loaded, no event loop or thread started), so what
the child does is what a fresh `izdes` would do.

Protocol, one connection per command on a Unix socket: the client sends one JSON line
{"args", "env", "cwd", "stdin"}; a watcher forked for it forks the command's process, answers
one JSON line {"pid"} (the command's) when it starts and one {"returncode", "stdout",
"stderr"} when it has ended. The server stops when its standard input closes (the test
process that started it ended).

What a fresh interpreter decides at its start from the environment (the encoding of its
standard streams, PYTHONPATH, PYTHONHASHSEED) is the server's: the tests set none of them.
"""

from __future__ import annotations

import atexit
import importlib
import json
import os
import pkgutil
import runpy
import select
import signal
import socket
import sys
import tempfile
import threading
import time
from typing import IO, NoReturn

PACKAGES = ("conversations", "stats", "storage", "admin", "bot")


def preload() -> None:
    """Every module of the project, and so every library it imports; none is run."""
    for name in PACKAGES:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, f"{name}."):
            if not module.name.endswith("__main__"):
                importlib.import_module(module.name)


def serve(path: str) -> None:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the commands' watchers, reaped by the kernel
    print("ready", flush=True)
    while True:
        readable, _, _ = select.select([listener, sys.stdin], [], [])
        if sys.stdin in readable:
            return  # the test process is gone (or closed our input): stop
        connection, _ = listener.accept()
        if os.fork() == 0:
            listener.close()
            _watch(connection)  # returns only in the command's own process
            return
        connection.close()


class Command(BaseException):
    """Raised in the command's process: it unwinds the server's frames, so that the command
    runs at the top of the script, as `python -m bot`."""


def _watch(connection: socket.socket) -> None:
    """In a child per command: fork the command's process, wait for it, send its result."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # waitpid needs its child kept for it
    stream = connection.makefile("rwb")
    request = json.loads(stream.readline())
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    pid = os.fork()
    if pid == 0:
        stream.close()
        connection.close()
        _become_the_command(request, out, err)
        raise Command
    try:
        stream.write(json.dumps({"pid": pid}).encode() + b"\n")
        stream.flush()
        returncode = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        out.seek(0)
        err.seek(0)
        stream.write(json.dumps({"returncode": returncode, "stdout": out.read().decode(),
                                 "stderr": err.read().decode()}).encode() + b"\n")
        stream.flush()
    finally:
        os._exit(0)  # the watcher leaves nothing else to run: it is a copy of the server


def _become_the_command(request: dict, out: IO[bytes], err: IO[bytes]) -> None:
    with tempfile.TemporaryFile() as given:
        given.write((request["stdin"] or "").encode())
        given.seek(0)
        os.dup2(given.fileno(), 0)
    os.dup2(out.fileno(), 1)
    os.dup2(err.fileno(), 2)
    out.close()
    err.close()
    os.environ.clear()
    os.environ.update(request["env"])
    time.tzset()  # TZ as the command's environment says
    os.chdir(request["cwd"])
    sys.argv = [sys.executable, *request["args"]]


def _run_as_python_m_bot() -> NoReturn:
    """`python -m bot`, ended as the interpreter ends it: its exit code (a traceback and 1 for
    an exception it lets through), other threads waited for, atexit run, output flushed. All
    but the last step of an interpreter's end, which frees every module the server imported
    (half a second here) and can print nothing a command's test looks at."""
    code: object = 0
    try:
        runpy.run_module("bot", run_name="__main__", alter_sys=True)
    except SystemExit as stop:
        code = stop.code
    except BaseException:
        sys.excepthook(*sys.exc_info())
        code = 1
    threading._shutdown()  # type: ignore[attr-defined]  # the interpreter's own join
    atexit._run_exitfuncs()
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit((code or 0) & 0xFF)


if __name__ == "__main__":
    preload()
    try:
        serve(sys.argv[1])
    except Command:
        _run_as_python_m_bot()
