"""One synthetic respondent's answers, walked through the survey as it is defined (the same
conditions decide which questions they are asked).

A person's overall score is their cell's level (admin.demo.trends) plus what happened to them
(a long wait, help that never came) plus their own variation. Each driver follows the person
with noise of its own, and the overall score weighs that noise in: more for the outcome and
timeliness than for equal treatment, so the key-driver view ranks them. The ease follows the
person and the channel.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field

from admin.demo import shares
from admin.demo.comments import comment_for
from admin.demo.trends import DRIVER_PULL, NamedTrend
from conversations.survey import Choice, Question, Survey

PERSON_SPREAD = 0.7  # how much people in one cell differ, before their drivers
DRIVER_NOISE = 0.75
OVERALL_NOISE = 0.35
# How much each driver's own part moves the overall score (others: DEFAULT_WEIGHT).
DRIVER_WEIGHTS = {"outcome": 0.45, "timeliness": 0.35, "courtesy": 0.2, "information": 0.2,
                  "knowledge": 0.15, "fairness": 0.1, "equal_treatment": 0.05,
                  "trust_police": 0.35, "school_area": 0.2, "driver_speed": 0.35,
                  "seats": 0.2, "driver_phone": 0.2}
DEFAULT_WEIGHT = 0.1
# Where a driver sits against the overall score: people are kinder to the staff than to
# the waiting.
DRIVER_OFFSETS = {"courtesy": 0.2, "knowledge": 0.1, "equal_treatment": 0.3, "fairness": 0.1,
                  "information": -0.1, "timeliness": -0.2, "trust_jandarma": 0.3,
                  "seat_belts": -0.4, "escort": -0.3}
# What happened to a person, by earlier answer: on their overall score, and on the ease.
ANSWER_EFFECTS: dict[str, dict[str, float]] = {
    "help_time": {"lt10": 0.4, "m20_30": -0.5, "gt30": -1.0, "never": -1.8, "not_needed": 0.2},
    "wait_time": {"lt15": 0.3, "m30_60": -0.4, "gt60": -1.0},
    "interpreter": {"no": -0.6, "yes": 0.2},
    "traffic_purpose": {"fine": -0.4, "accident": -0.1},
    "police_purpose": {"crime": -0.2},
    "channel": {"online": 0.15, "phone": -0.1},
    "goc_channel": {"online": 0.15, "phone": -0.1},
}
EFFORT_EFFECTS: dict[str, dict[str, float]] = {
    "channel": {"online": 0.5, "phone": 0.2},
    "goc_channel": {"online": 0.5, "phone": 0.2},
    "wait_time": {"lt15": 0.3, "m30_60": -0.5, "gt60": -1.0},
    "appointment": {"yes": 0.2},
}
EFFORT_LEVEL, EFFORT_SLOPE, EFFORT_NOISE = 4.3, 1.0, 0.9


@dataclass(frozen=True)
class Situation:
    """What is decided before a response is answered: where, about what, in which language,
    and how its cell stands that month."""

    survey: Survey
    province: str
    district: str | None  # district id, as the district question stores it
    service: str | None
    language: str
    level: float  # the cell's mean on the 1-5 scale this month, trend and season included
    trend: NamedTrend | None = None
    trend_weight: float = 0.0
    preset: Mapping[str, str] = field(default_factory=dict)  # answered by a muhtar's link


Answered = tuple[str, str, float | None]  # question id, value, score


@dataclass
class _Person:
    """A respondent's latent scores, made when the first scored question comes."""

    quality: float
    drivers: dict[str, float]
    own: dict[str, float]  # each driver's own part
    overall: float


def answers_of(situation: Situation, rng: random.Random) -> list[Answered]:
    """Every answer of one completed response, in the order asked (a link's first)."""
    survey = situation.survey
    given = {"language": situation.language, **situation.preset}
    answered: list[Answered] = [(qid, value, None) for qid, value in situation.preset.items()]
    person: _Person | None = None
    # In order, each question asked if it applies to the answers so far: what following
    # Survey.next_after from the start does, since a condition only looks back.
    for question in survey.questions:
        if not question.asked or question.id in situation.preset or not question.applies(
                given):
            continue
        if person is None and _scored(survey, question):
            person = _person(situation, given, rng)
        value, score = _answer(situation, question, given, person, rng)
        if value is not None:
            given[question.id] = value
            answered.append((question.id, value, score))
    return answered


def _scored(survey: Survey, question: Question) -> bool:
    report = survey.report
    return report is not None and (question.id == report.overall or question.id
                                   in report.drivers or question.id == report.effort)


def _person(situation: Situation, given: Mapping[str, str], rng: random.Random) -> _Person:
    report = situation.survey.report
    assert report is not None
    quality = situation.level + _effects(ANSWER_EFFECTS, given) + rng.gauss(0, PERSON_SPREAD)
    pulled = situation.trend.drivers if situation.trend else ()
    change = situation.trend.change * situation.trend_weight if situation.trend else 0.0
    own = {d: rng.gauss(0, DRIVER_NOISE) for d in report.drivers}
    drivers = {d: quality + DRIVER_OFFSETS.get(d, 0.0) + own[d]
               + (DRIVER_PULL * change if d in pulled else 0.0) for d in report.drivers}
    overall = quality + sum(DRIVER_WEIGHTS.get(d, DEFAULT_WEIGHT) * own[d]
                            for d in report.drivers) + rng.gauss(0, OVERALL_NOISE)
    return _Person(quality, drivers, own, overall)


def _effects(table: Mapping[str, Mapping[str, float]], given: Mapping[str, str]) -> float:
    return sum(effects.get(given.get(qid, ""), 0.0) for qid, effects in table.items())


def _answer(situation: Situation, question: Question, given: Mapping[str, str],
            person: _Person | None, rng: random.Random) -> tuple[str | None, float | None]:
    if question.kind == "province":
        return situation.province, None
    if question.kind == "district":
        return situation.district, None
    if question.kind == "text":
        tone = _tone(person)
        return comment_for(situation.survey.key, situation.service, tone, situation.language,
                           rng) if rng.random() < shares.COMMENTED else None, None
    if question.dimension == "service":
        return situation.service, None
    if person is not None and _scored(situation.survey, question):
        return _scored_answer(situation, question, given, person, rng)
    return _weighted(question, _weights(situation, question), rng)


def _weights(situation: Situation, question: Question) -> Mapping[str, float] | None:
    if question.dimension == "channel" and situation.service in shares.CHANNELS:
        return shares.CHANNELS[situation.service]
    if question.id == "interpreter":
        return shares.interpreter_weights(situation.language)
    return shares.CHOICES.get((situation.survey.key, question.id))


def _weighted(question: Question, weights: Mapping[str, float] | None,
              rng: random.Random) -> tuple[str, float | None]:
    going_on = [c for c in question.choices if not c.ends]
    # A survey's choices may change: shares that name none of them are not used.
    listed = [c for c in going_on if weights and c.value in weights]
    if not listed or weights is None:
        choice = rng.choice(going_on)
    else:
        choice = rng.choices(listed, weights=[weights[c.value] for c in listed])[0]
    return choice.value, choice.score


def _scored_answer(situation: Situation, question: Question, given: Mapping[str, str],
                   person: _Person, rng: random.Random) -> tuple[str, float | None]:
    report = situation.survey.report
    assert report is not None
    if question.id == report.overall:
        return _nearest(question.choices, person.overall)
    if question.id == report.effort:
        ease = (EFFORT_LEVEL + EFFORT_SLOPE * (person.quality - 3.6)
                + 0.3 * person.own.get("timeliness", 0.0) + _effects(EFFORT_EFFECTS, given)
                + rng.gauss(0, EFFORT_NOISE))
        return _nearest(question.choices, ease)
    unscored = [c for c in question.choices if c.score is None]
    if unscored:
        pending = shares.PENDING.get(situation.service or "", 0.0)
        if any(c.value == "pending" for c in unscored) and rng.random() < pending:
            return "pending", None
        if rng.random() < shares.UNSCORED.get(question.id, shares.UNSCORED_DEFAULT):
            kept = next(c for c in unscored if c.value != "pending")
            return kept.value, None
    return _nearest(question.choices, person.drivers[question.id])


def _nearest(choices: tuple[Choice, ...], value: float) -> tuple[str, float | None]:
    """The choice whose score is nearest ``value`` (the scale's end beyond it)."""
    choice = min((c for c in choices if c.score is not None and not c.ends),
                 key=lambda c: (abs((c.score or 0.0) - value), c.value))
    return choice.value, choice.score


def _tone(person: _Person | None) -> str:
    if person is None:
        return "neutral"
    return "negative" if person.overall < 2.5 else "positive" if person.overall >= 3.8 else (
        "neutral")
