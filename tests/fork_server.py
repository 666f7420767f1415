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
{"args", "env", "cwd", "stdin"}; the child answers one JSON line {"pid"} when it starts and
one {"returncode", "stdout", "stderr"} when it ends. The server stops when its standard input
closes (the test process that started it ended).
"""

from __future__ import annotations

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
import traceback

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
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children reaped by the kernel
    print("ready", flush=True)
    while True:
        readable, _, _ = select.select([listener, sys.stdin], [], [])
        if sys.stdin in readable:
            return  # the test process is gone (or closed our input): stop
        connection, _ = listener.accept()
        if os.fork() == 0:
            listener.close()
            _child(connection)  # never returns
        connection.close()


def _child(connection: socket.socket) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the command may wait for its own children
    stream = connection.makefile("rwb")
    request = json.loads(stream.readline())
    stream.write(json.dumps({"pid": os.getpid()}).encode() + b"\n")
    stream.flush()
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    with tempfile.TemporaryFile() as given:
        given.write((request["stdin"] or "").encode())
        given.seek(0)
        os.dup2(given.fileno(), 0)
    os.dup2(out.fileno(), 1)
    os.dup2(err.fileno(), 2)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    sys.argv = [sys.executable, *request["args"]]
    returncode = _run()
    out.seek(0)
    err.seek(0)
    stream.write(json.dumps({"returncode": returncode, "stdout": out.read().decode(),
                             "stderr": err.read().decode()}).encode() + b"\n")
    stream.flush()
    os._exit(0)


def _run() -> int:
    """`python -m bot`, as the interpreter would end it: its exit code, a traceback on
    standard error and 1 for an exception it let through."""
    code: object = 0
    try:
        runpy.run_module("bot", run_name="__main__", alter_sys=True)
    except SystemExit as stop:
        code = stop.code
    except BaseException:  # the interpreter prints any, and exits 1
        traceback.print_exc()
        code = 1
    finally:
        import atexit

        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr, flush=True)
    return 1


if __name__ == "__main__":
    preload()
    serve(sys.argv[1])
