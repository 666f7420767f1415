"""The compose stack (docker/compose.yaml) as an operator runs it, against the Bot API double on
this machine: built, started, used through the webhook and `exec -T`, scaled to two bots,
stopped, started again, backed up and restored. Run by docker/smoke-test (CI), which starts
Docker and chooses the base images; by hand:

    .venv/bin/python -m tests.docker_stack

Every step prints its time; the first failure prints the stack's logs and ends it (exit 1).
The database password is full of the characters a URL cannot hold as they are.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import aiohttp
from alembic.script import ScriptDirectory

from storage.migrate import alembic_config
from tests.conftest import free_port
from tests.survey_steps import answer_after_province, answer_until_province, type_province
from tests.telegram_double import FakeTelegram

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "izdes-smoke"  # apart from an operator's stack ("izdes") on the same machine
PASSWORD = "Ab@c/d:e#f%1"
METRICS_TOKEN = secrets.token_urlsafe(16)
WAIT = 180.0  # seconds a stack may take to become healthy (the first start migrates)
T = TypeVar("T")


class StackFailed(AssertionError):
    pass


def compose_command() -> list[str]:
    """Compose v2 (`docker compose`) when the docker CLI has it, else v1 (`docker-compose`)."""
    v2 = subprocess.run(["docker", "compose", "version"], capture_output=True)
    return ["docker", "compose"] if v2.returncode == 0 else ["docker-compose"]


class Stack:
    """docker/compose.yaml under its own project name, with its own env file."""

    def __init__(self, folder: Path, telegram: FakeTelegram, api_host: str) -> None:
        self.port = free_port()
        self.env_file = folder / "smoke.env"
        self.override = folder / "smoke.yaml"
        self.folder = folder
        api_port = telegram.root_url.rsplit(":", 1)[1]
        self.settings = {
            "COMPOSE_PROJECT_NAME": PROJECT,
            "IZDES_ENV_FILE": str(self.env_file),
            "IZDES_IMAGE": "izdes-bot:smoke",
            "IZDES_PUBLISH": f"127.0.0.1:{self.port}",
            "IZDES_DATABASE_PASSWORD": PASSWORD,
            "IZDES_BOT_TOKEN": telegram.token,
            "IZDES_SECRET_KEY": secrets.token_urlsafe(32),
            "IZDES_BOT_API_URL": f"http://{api_host}:{api_port}",
            # Telegram would want https; the double calls the stack's port on this machine.
            "IZDES_WEBHOOK_URL": f"http://127.0.0.1:{self.port}/telegram/webhook",
            # Settings of README's table that compose.yaml does not name: they reach the bot.
            "IZDES_METRICS_TOKEN": METRICS_TOKEN,
            "IZDES_MIN_SECONDS_PER_ANSWER": "0",  # the double's citizen answers at once
            "IZDES_MAX_MESSAGES_PER_SECOND": "0",  # and reads at once: no pacing
            "IZDES_HTTP_PORT": "8081",  # the health check and HAProxy follow it
        }
        self._write_env_file()
        # The double listens on this machine's address on the Docker bridge. Health is
        # checked every second rather than every 5 or 10 (Docker 20.10 has no start_interval):
        # the same checks, told sooner.
        self.override.write_text(
            "services:\n"
            "  db:\n    healthcheck:\n      interval: 1s\n"
            "  bot:\n    healthcheck:\n      interval: 1s\n"
            "    extra_hosts:\n      - \"host.docker.internal:host-gateway\"\n")
        self.base = [*compose_command(), "-p", PROJECT, "-f", str(ROOT / "docker/compose.yaml"),
                     "-f", str(self.override), "--env-file", str(self.env_file)]
        self.url = f"http://127.0.0.1:{self.port}"

    def use_secrets(self) -> None:
        """From now on the password, the key and the token as Docker secrets
        (docker/compose.secrets.yaml), their variables left empty."""
        secrets_dir = self.folder / "secrets"
        secrets_dir.mkdir(mode=0o700)
        for name in ("database_password", "secret_key", "bot_token"):
            variable = f"IZDES_{name.upper()}"
            path = secrets_dir / name
            path.write_text(self.settings[variable] + "\n")
            os.chown(path, 10001, -1)  # the bot's user; the database reads it as root
            path.chmod(0o400)
            self.settings[variable] = ""
        self.settings["IZDES_SECRETS_DIR"] = str(secrets_dir)
        self._write_env_file()
        at = self.base.index("--env-file")
        self.base[at:at] = ["-f", str(ROOT / "docker/compose.secrets.yaml")]

    def _write_env_file(self) -> None:
        self.env_file.write_text(
            "".join(f"{key}={value}\n" for key, value in self.settings.items()))

    async def run(self, *args: str, stdin: bytes | None = None, check: bool = True) -> bytes:
        process = await asyncio.create_subprocess_exec(
            *self.base, *args, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
        out, err = await process.communicate(stdin)
        if check and process.returncode != 0:
            raise StackFailed(f"compose {' '.join(args)} failed ({process.returncode}):\n"
                              f"{err.decode(errors='replace')[-3000:]}")
        return out

    async def exec(self, service: str, *command: str, stdin: bytes | None = None) -> bytes:
        return await self.run("exec", "-T", service, *command, stdin=stdin)

    async def sql(self, query: str) -> str:
        out = await self.exec("db", "psql", "-U", "izdes", "-d", "izdes", "-tAc", query)
        return out.decode().strip()

    async def containers(self, service: str) -> list[str]:
        return (await self.run("ps", "-q", service)).decode().split()

    async def healthy(self, services: tuple[str, ...] = ("db", "bot", "proxy"),
                      within: float = WAIT) -> None:
        """Every container of these services running, and the database's and the bots'
        health checks passed; none restarted on the way."""
        deadline = time.monotonic() + within
        states: list[str] = []
        while time.monotonic() < deadline:
            containers = (await self.run("ps", "-q")).decode().split()
            states = (await inspect(
                *containers, template='{{index .Config.Labels "com.docker.compose.service"}} '
                '{{.State.Status}} {{.RestartCount}} {{if .State.Health}}'
                '{{.State.Health.Status}}{{else}}none{{end}}')).splitlines()
            if any(state.split()[2] != "0" for state in states):
                raise StackFailed(f"a container restarted: {states}")
            if {state.split()[0] for state in states} == set(services) and all(
                    state.split()[1] == "running" and state.split()[3] in ("healthy", "none")
                    for state in states):
                return
            await asyncio.sleep(1)
        raise StackFailed(f"not healthy within {within:.0f} s: {states}")


async def inspect(*containers: str, template: str) -> str:
    process = await asyncio.create_subprocess_exec(
        "docker", "inspect", "-f", template, *containers, stdout=subprocess.PIPE)
    out, _ = await process.communicate()
    return out.decode().strip()


async def docker(*args: str) -> str:
    process = await asyncio.create_subprocess_exec(
        "docker", *args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out, _ = await process.communicate()
    return out.decode(errors="replace")


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise StackFailed(what)


async def ready_through_proxy(stack: Stack, within: float = 30) -> dict:
    """/readyz through HAProxy, once it has found a bot."""
    deadline = time.monotonic() + within
    async with aiohttp.ClientSession() as http:
        while True:
            try:
                async with http.get(f"{stack.url}/readyz") as answer:
                    if answer.status == 200:
                        return await answer.json()
            except aiohttp.ClientError:
                pass
            if time.monotonic() > deadline:
                raise StackFailed(f"{stack.url}/readyz did not answer 200 within {within} s")
            await asyncio.sleep(0.5)


async def api_status(stack: Stack, token: str) -> int:
    async with aiohttp.ClientSession() as http, http.get(
            f"{stack.url}/api/v1/scores", headers={"Authorization": f"Bearer {token}"}) as answer:
        return answer.status


async def counted(stack: Stack) -> tuple[int, int]:
    """Completed responses, and respondents in the score cells (the published figures'
    source)."""
    responses = await stack.sql("SELECT count(*) FROM responses WHERE completed_at IS NOT NULL")
    cells = await stack.sql("SELECT coalesce(sum(n), 0) FROM score_cells WHERE NOT flagged")
    return int(responses), int(cells)


async def metric(container: str, name: str) -> float:
    """A counter of the bot in one container, from its own /metrics."""
    fetch = ("import os, urllib.request as u; port = os.environ.get('IZDES_HTTP_PORT', '8080');"
             f"r = u.Request(f'http://127.0.0.1:{{port}}/metrics', headers={{'Authorization': "
             f"'Bearer {METRICS_TOKEN}'}}); print(u.urlopen(r).read().decode())")
    page = await docker("exec", container, "python", "-c", fetch)
    found = re.search(rf"^{re.escape(name)} (\S+)$", page, re.MULTILINE)
    if found is None:
        raise StackFailed(f"{name} not in the metrics of {container[:12]}:\n{page[-1500:]}")
    return float(found.group(1))


async def complete_a_survey(telegram: FakeTelegram, user_id: int) -> None:
    citizen = telegram.citizen(user_id)
    await answer_until_province(citizen)
    await type_province(citizen, "İstanbul")
    closing = await answer_after_province(citizen)
    expect("Teşekkür" in closing.text, f"no thanks at the end:\n{citizen.transcript()}")


async def start_up(stack: Stack, telegram: FakeTelegram) -> str:
    await stack.run("up", "-d")
    await stack.healthy()
    ready = await ready_through_proxy(stack)
    expect(ready.get("migrations") == "current", f"/readyz: {ready}")
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    at = await stack.sql("SELECT version_num FROM alembic_version")
    expect([at] == head, f"the database is at {at}, the migrations' head is {head}")
    expect(telegram.webhook is not None
           and telegram.webhook["url"] == f"{stack.url}/telegram/webhook",
           f"setWebhook: {telegram.webhook}")
    return at


async def settings_and_limits(stack: Stack) -> None:
    """IZDES_METRICS_TOKEN, which compose.yaml does not name, reached the bot from the env
    file; Docker keeps its output within limits."""
    (bot,) = await stack.containers("bot")
    log_config = await inspect(bot, template="{{json .HostConfig.LogConfig}}")
    expect('"max-size":"20m"' in log_config, f"no log limit: {log_config}")
    expect(await metric(bot, "izdes_updates_received_total") >= 0, "metrics")


async def image_holds_only_what_runs(stack: Stack) -> None:
    """No pip or setuptools (in the bot's environment or the base's), no .po sources; the
    bot runs as its own user."""
    (bot,) = await stack.containers("bot")
    found = await docker("exec", bot, "sh", "-c",
                         "id -un; python -m pip --version >/dev/null 2>&1 && echo pip; "
                         "python -c 'import setuptools' 2>/dev/null && echo setuptools; "
                         "find /opt/izdes -name '*.po' | wc -l")
    expect(found.split() == ["izdes", "0"], f"in the image: {found!r}")


async def admin_token(stack: Stack) -> str:
    out = (await stack.exec("bot", "izdes", "admin", "token", "create", "--scope", "national",
                            "--name", "smoke test")).decode()
    token = out.splitlines()[0].strip()  # the token, then what it is for
    expect(await api_status(stack, token) == 200, "the new token does not sign in")
    expect(await api_status(stack, "wrong") == 401, "a wrong token signs in")
    return token


async def links_on_the_volume(stack: Stack) -> None:
    csv = "province,district,mahalle\n34,Kadıköy,Caferağa\n"  # columns: izdes links template
    await stack.exec("bot", "izdes", "links", "bulk", "/dev/stdin", stdin=csv.encode())
    listed = (await stack.exec("bot", "ls", "links")).decode().split()
    expect("links.csv" in listed and any(name.endswith("-poster.pdf") for name in listed),
           f"izdes links bulk wrote: {listed}")


async def two_bots(stack: Stack, telegram: FakeTelegram) -> None:
    """Two bot containers on one database behind HAProxy: each handles some of the updates
    (HAProxy finds a new container within seconds of its start: a few rounds are allowed)."""
    await stack.run("up", "-d", "--scale", "bot=2", "--no-recreate")
    await stack.healthy()
    bots = await stack.containers("bot")
    expect(len(bots) == 2, f"bot containers: {bots}")
    before = {bot: await metric(bot, "izdes_updates_received_total") for bot in bots}
    citizens = iter(range(2001, 2100))
    for _ in range(5):
        for user_id in itertools.islice(citizens, 8):  # each /start: one webhook request
            citizen = telegram.citizen(user_id)
            await citizen.send("/start")
            await citizen.next_message(timeout=15)
        handled = {bot: await metric(bot, "izdes_updates_received_total") - before[bot]
                   for bot in bots}
        if all(count > 0 for count in handled.values()):
            break
    expect(all(count > 0 for count in handled.values()), f"updates per container: {handled}")
    await stack.run("up", "-d", "--scale", "bot=1", "--no-recreate")


async def graceful_stop(stack: Stack) -> None:
    containers = {service: await stack.containers(service) for service in ("db", "bot", "proxy")}
    started = time.monotonic()
    await stack.run("stop")
    took = time.monotonic() - started
    codes = {f"{service} {c[:12]}": await inspect(c, template="{{.State.ExitCode}}")
             for service, ids in containers.items() for c in ids}
    expect(set(codes.values()) == {"0"}, f"exit codes after stop: {codes}")
    logs = (await stack.run("logs", "--no-color", "bot")).decode(errors="replace")
    expect("stopping: finishing updates in flight" in logs, "the bot did not say it stopped")
    expect("Traceback" not in logs, f"a traceback in the bot's log:\n{logs[-3000:]}")
    expect("aiohttp.access" not in logs, "access log lines in the bot's log")
    print(f"  stopped in {took:.1f} s", flush=True)


async def back_up_and_restore(stack: Stack, telegram: FakeTelegram, token: str) -> None:
    dump = await stack.exec("db", "pg_dump", "-Fc", "-U", "izdes", "izdes")
    expect(dump.startswith(b"PGDMP"), f"not a pg_dump archive: {dump[:40]!r}")
    await stack.run("down", "--volumes")  # the database is gone
    stack.use_secrets()  # and comes back with its password from a file
    await stack.run("up", "-d", "db")
    await stack.healthy(("db",))
    await stack.exec("db", "pg_restore", "-U", "izdes", "-d", "izdes", "--clean", "--if-exists",
                     "--no-owner", stdin=dump)
    await start_up(stack, telegram)
    expect(await counted(stack) == (1, 1), f"after the restore: {await counted(stack)}")
    expect(await api_status(stack, token) == 200, "the token does not sign in after restore")


async def smoke(folder: Path, api_host: str) -> None:
    telegram = FakeTelegram()
    await telegram.start(api_host)
    stack = Stack(folder, telegram, "host.docker.internal")
    began = time.monotonic()

    async def step(what: str, action: Callable[[], Awaitable[T]]) -> T:
        started = time.monotonic()
        result = await action()
        print(f"{what}: {time.monotonic() - started:.1f} s", flush=True)
        return result

    try:
        await step("build", lambda: stack.run("build"))
        await step("up, healthy, migrations at head", lambda: start_up(stack, telegram))
        await step("/metrics served with the env file's token, log limits",
                   lambda: settings_and_limits(stack))
        await step("the image: no pip, no .po, not root", lambda: image_holds_only_what_runs(stack))
        token = await step("admin token with exec -T", lambda: admin_token(stack))
        await step("a survey completed through the webhook",
                   lambda: complete_a_survey(telegram, 1001))
        expect(await counted(stack) == (1, 1), f"counted: {await counted(stack)}")
        await step("links bulk on the links volume", lambda: links_on_the_volume(stack))
        await step("two bot containers behind HAProxy", lambda: two_bots(stack, telegram))
        await step("stop, gracefully", lambda: graceful_stop(stack))
        await step("down and up again: the data kept", lambda: start_up(stack, telegram))
        expect(await counted(stack) == (1, 1), f"after the restart: {await counted(stack)}")
        expect(await api_status(stack, token) == 200, "the token is gone after restart")
        listed = (await stack.exec("bot", "ls", "links")).decode().split()
        expect("links.csv" in listed, f"the links volume after restart: {listed}")
        await step("backup with pg_dump, restored into a new database (Docker secrets)",
                   lambda: back_up_and_restore(stack, telegram, token))
        telegram.assert_no_violations()
        print(f"docker smoke test passed in {time.monotonic() - began:.0f} s", flush=True)
    except BaseException:
        logs = await stack.run("logs", "--no-color", "--tail", "60", check=False)
        print(logs.decode(errors="replace"), file=sys.stderr)
        print(f"the Bot API double was asked: {telegram.arrived[-20:]}; its own errors: "
              f"{telegram.internal_errors[-5:]}", file=sys.stderr)
        raise
    finally:
        await stack.run("down", "--volumes", "--remove-orphans", check=False)
        await telegram.stop()


def bridge_address() -> str:
    """This machine's address on Docker's default bridge, which host-gateway names (its
    gateway, which Docker 20.10 leaves out of the network's description, is the bridge's
    own address)."""
    bridge = subprocess.run(
        ["docker", "network", "inspect", "bridge", "-f",
         '{{index .Options "com.docker.network.bridge.name"}}'],
        capture_output=True, text=True, check=True).stdout.strip() or "docker0"
    shown = subprocess.run(["ip", "-4", "-o", "address", "show", "dev", bridge],
                           capture_output=True, text=True, check=True).stdout
    found = re.search(r"\binet (\d+\.\d+\.\d+\.\d+)/", shown)
    if found is None:
        raise StackFailed(f"no IPv4 address on Docker's bridge {bridge}: {shown!r}")
    return found.group(1)


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="izdes-smoke-"))
    try:
        asyncio.run(smoke(folder, bridge_address()))
    except StackFailed as failure:
        print(f"docker smoke test failed: {failure}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
