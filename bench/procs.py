"""Processes under test: starting and stopping them, and what /proc says about them.

CPU and memory come from /proc (Linux) rather than psutil: two numbers per process do not
need a dependency.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process so far (its own threads included)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime


def memory_mb(pid: int, field: str = "VmRSS") -> float:
    """VmRSS (resident now) or VmHWM (peak resident) in MB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise KeyError(field)


def postgres_cpu_seconds() -> float:
    """CPU of all local PostgreSQL processes; the postmaster's children-time includes backends
    that have exited."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat:
                text = stat.read()
        except OSError:  # gone meanwhile
            continue
        if "(postgres)" not in text:
            continue
        fields = text.rsplit(")", 1)[1].split()
        total += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return total / _TICKS


def machine_busy_seconds() -> float:
    """CPU time the whole machine spent busy (all cores), to see load from other programs."""
    with open("/proc/stat") as stat:
        ticks = [int(value) for value in stat.readline().split()[1:]]
    idle = ticks[3] + ticks[4]  # idle, iowait
    return (sum(ticks[:8]) - idle) / _TICKS


async def wait_until_quiet(patience: float, threshold_pct: float = 25.0) -> float:
    """Wait up to `patience` seconds for the machine to be nearly idle (other programs use
    less than `threshold_pct` of one core over 2 s); returns the last load seen, in %."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience
    while True:
        before = machine_busy_seconds()
        await asyncio.sleep(2.0)
        load = 100 * (machine_busy_seconds() - before) / 2.0
        if load < threshold_pct or loop.time() >= deadline:
            return load


def machine() -> str:
    model = "unknown CPU"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} CPUs ({model})"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Process:
    """A child process; its output goes to a log file that is shown if it fails."""

    name: str
    popen: subprocess.Popen
    log: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def check_alive(self) -> None:
        if self.popen.poll() is not None:
            raise RuntimeError(f"{self.name} exited ({self.popen.returncode}):\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = 20.0) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        if self.popen.stdin:
            self.popen.stdin.close()


def log_dir() -> Path:
    path = Path(tempfile.gettempdir()) / f"izdes_bench_{os.getpid()}"
    path.mkdir(exist_ok=True)
    return path


def start_process(name: str, args: list[str], env: dict[str, str] | None = None) -> Process:
    log = log_dir() / f"{name}.log"
    popen = subprocess.Popen(
        [PYTHON, *args], cwd=ROOT, env={**os.environ, **(env or {})},
        stdin=subprocess.PIPE, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )
    return Process(name, popen, log)


@dataclass
class Double:
    """bench.double_server, running: its Bot API root, control URL and token."""

    process: Process
    api: str
    control: str
    token: str

    async def call(self, path: str, body: dict | None = None, timeout: float = 600) -> dict:  # noqa: ASYNC109
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as http:
            if body is None and path == "/status":
                async with http.get(self.control + path) as response:
                    return await response.json()
            async with http.post(self.control + path, json=body or {}) as response:
                if response.status != 200:
                    raise RuntimeError(f"{path}: {response.status} {await response.text()}")
                return await response.json()

    async def wait_for_bot(self, bot: Process, webhook: bool, timeout: float = 60) -> None:  # noqa: ASYNC109
        """Until the bot polls (long polling) or has set its webhook."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            bot.check_alive()
            status = await self.call("/status")
            if (status["webhook"] if webhook else status["calls"].get("getUpdates")):
                return
            await asyncio.sleep(0.1)
        raise RuntimeError(f"{bot.name} did not start within {timeout}s:\n{bot.tail()}")


async def start_double(delay: float) -> Double:
    process = start_process(f"double_{delay:g}", ["-m", "bench.double_server", "--delay",
                                                  str(delay)])
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    while loop.time() < deadline:
        process.check_alive()
        lines = process.log.read_text().splitlines()
        for line in lines:
            if line.startswith("{"):
                info = json.loads(line)
                return Double(process, info["api"], info["control"], info["token"])
        await asyncio.sleep(0.1)
    raise RuntimeError(f"the double did not start:\n{process.tail()}")
