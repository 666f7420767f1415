"""Simulated citizens: what each bot's users do next, and the closed loop that drives them.

A step is one update sent (a text or a button press) and ends when the bot's next *new*
message arrives in that chat: for İZDES and the textbook survey the next question (after the
tap was answered and the old question edited), for the echo bot the echo. Think time is zero:
a citizen acts again as soon as its step ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import aiohttp

from bench.world import BenchCitizen, BenchTelegram

AGREE = "✅ Onaylıyorum"
DECLINE = "Hayır, teşekkürler"
BACK = "« Geri"
SKIP = "Geç"
# İZDES, in the order tests/survey_steps.py answers: the first label found on the newest
# message is pressed.
IZDES_PRESSES = (AGREE, "Trafik", "Son 7 gün içinde", "Yüz yüze", "Memnunum", "Katılıyorum",
                 "6", "Başka bir hizmeti değerlendir")
PROVINCES = ("istanbul", "Ankara", "izmır", "06", "sanliurfa", "Bursa", "Afyon", "34")


@dataclass(frozen=True)
class Action:
    kind: str  # "send" (type text) or "press" (an inline button by its label)
    value: str


Policy = Callable[[BenchCitizen, int], Action]  # (citizen, its step number) -> next action


def izdes_policy(citizen: BenchCitizen, step: int) -> Action:
    """The real survey, as tests/test_survey_in_telegram.py takes it, then "rate another"."""
    if not citizen.messages:
        return Action("send", "/start")
    message = citizen.messages[-1]
    labels = message.labels()
    for label in IZDES_PRESSES:
        if label in labels:
            return Action("press", label)
    text = message.plain or ""
    if "Hizmeti hangi ilde aldınız?" in text:
        return Action("send", PROVINCES[(citizen.user_id + step) % len(PROVINCES)])
    if SKIP in labels and ("Hangi ilçede?" in text or "iyileştirebiliriz" in text):
        return Action("press", SKIP)  # district, comment
    choices = [label for label in labels if label != BACK]
    if choices:  # the service-specific question (purpose of the visit)
        return Action("press", choices[0])
    return Action("send", "/start")


def textbook_policy(citizen: BenchCitizen, step: int) -> Action:
    """bench/reference_survey.py, answered as İZDES is; /start again after the last answer."""
    labels = citizen.messages[-1].labels() if citizen.messages else []
    for label in (*IZDES_PRESSES, SKIP):
        if label in labels:
            return Action("press", label)
    return Action("press", labels[0]) if labels else Action("send", "/start")


def echo_policy(citizen: BenchCitizen, step: int) -> Action:
    return Action("send", f"Merhaba, bu {step}. mesajım; duyuyor musunuz?")


POLICIES: dict[str, Policy] = {
    "izdes": izdes_policy, "textbook": textbook_policy, "echo": echo_policy,
}


@dataclass(frozen=True)
class Outcome:
    """How one step went."""

    latency: float | None  # seconds from sending the update to the bot's next message
    problem: str | None = None  # "timeouts" or "failures"
    extra_messages: int = 0  # messages beyond the one expected, left over from earlier steps


@dataclass
class Tally:
    """Steps completed inside the measuring window (whenever they started)."""

    started: float = field(default_factory=time.perf_counter)
    latencies: list[float] = field(default_factory=list)  # seconds
    problems: Counter[str] = field(default_factory=Counter)

    def record(self, outcome: Outcome) -> None:
        if outcome.latency is not None:
            self.latencies.append(outcome.latency)
        if outcome.problem:
            self.problems[outcome.problem] += 1
        if outcome.extra_messages:
            self.problems["extra_messages"] += outcome.extra_messages

    def summary(self, ended: float) -> dict:
        ordered = sorted(self.latencies)
        elapsed = ended - self.started
        return {
            "steps": len(ordered), "seconds": elapsed,
            "per_second": len(ordered) / elapsed if elapsed > 0 else 0.0,
            "p50_ms": _percentile(ordered, 50) * 1000, "p95_ms": _percentile(ordered, 95) * 1000,
            "p99_ms": _percentile(ordered, 99) * 1000,
            "max_ms": (ordered[-1] if ordered else 0.0) * 1000,
            # timeouts: no reply within the step timeout; failures: the expected button was
            # missing or the update could not be delivered; extra_messages: more than one
            # new message for one step (the latency would then be measured to the first).
            **{name: self.problems[name] for name in ("timeouts", "failures",
                                                      "extra_messages")},
        }


def _percentile(ordered: list[float], q: float) -> float:
    """Nearest rank: the smallest value with at least q% of the values at or below it."""
    if not ordered:
        return 0.0
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


async def take_step(citizen: BenchCitizen, action: Action,
                    timeout: float) -> Outcome:  # noqa: ASYNC109
    """Do one action and wait for the bot's next message."""
    extra = max(0, citizen.received - citizen.expect)
    citizen.expect = citizen.received + 1
    started = time.perf_counter()
    try:
        if action.kind == "press":
            await citizen.press(action.value)
        else:
            await citizen.send(action.value)
    except (AssertionError, aiohttp.ClientError, OSError):  # no such button; webhook down
        return Outcome(None, "failures", extra)
    if not await citizen.wait_for_step(timeout):
        return Outcome(None, "timeouts", extra)
    return Outcome(citizen.done_at - started, None, extra)


class Crowd:
    """N citizens in a closed loop, each with its own chat, until stopped."""

    def __init__(self, fake: BenchTelegram, policy: Policy, citizens: int,
                 step_timeout: float = 10.0, first_user_id: int = 7_000_001) -> None:
        self.fake = fake
        self.policy = policy
        self.step_timeout = step_timeout
        self.user_ids = range(first_user_id, first_user_id + citizens)
        self.tally: Tally | None = None  # set while measuring
        self.total_steps = 0
        self._tasks: list[asyncio.Task] = []

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._live(uid)) for uid in self.user_ids]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _live(self, user_id: int) -> None:
        citizen = self.fake.citizen(user_id)
        for step in itertools.count():
            outcome = await take_step(citizen, self.policy(citizen, step), self.step_timeout)
            if self.tally is not None:  # the window open when the step ends is the one
                self.tally.record(outcome)
            if outcome.latency is None:
                # Lost track (a reply that never came): start over, as a person would.
                citizen.messages.clear()
            self.total_steps += 1


async def visit(fake: BenchTelegram, user_ids: Iterator[int], workers: int,
                press: str | None = None, step_timeout: float = 10.0) -> dict:
    """Memory benchmark: each user sends /start once, then presses `press` (default: the first
    answer of the question shown; a stored respondent's /start resumes their survey).
    Returns the tally of all those steps."""
    tally = Tally()

    async def worker() -> None:
        for user_id in user_ids:  # one shared iterator: each id is visited once
            citizen = fake.citizen(user_id)
            outcome = await take_step(citizen, Action("send", "/start"), step_timeout)
            tally.record(outcome)
            labels = [b for b in citizen.messages[-1].labels() if b != BACK] if (
                outcome.latency is not None) else []
            label = press if press in labels else (labels[0] if labels and not press else None)
            if label:
                tally.record(await take_step(citizen, Action("press", label), step_timeout))
            elif labels:
                tally.record(Outcome(None, "failures"))
            fake.forget(user_id)

    await asyncio.gather(*(worker() for _ in range(workers)))
    return tally.summary(time.perf_counter())
