"""Survey definitions: declarative data, validated when loaded.

A survey is a YAML file in ``conversations/surveys/``. Loading it checks everything that would
otherwise fail in front of a citizen: duplicate question ids, conditions that name unknown
questions or values, unknown scales, choice values that would not fit in Telegram's 64-byte
callback data. Texts are gettext msgids; the engine translates them when it renders.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from conversations.i18n import SUPPORTED_LOCALES

ID_PATTERN = r"^[a-z][a-z0-9_]{0,23}$"
VALUE_PATTERN = re.compile(r"^[A-Za-z0-9_]{1,24}$")

Answers = Mapping[str, str]


class SurveyError(ValueError):
    """A survey definition is inconsistent; the message says where."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(_Strict):
    value: str
    label: str = Field(min_length=1)
    # A choice that ends the survey early (screen-out), with the polite text to show.
    ends: str | None = None
    # A screen-out about the person rather than the visit (a minor): nothing of theirs may be
    # kept, so everything linked to them is erased at once, their consent record included.
    erases: bool = False
    # The number used in scores; defaults to the value when it is numeric, None ("don't know").
    score: float | None = None

    @field_validator("value")
    @classmethod
    def _value_fits_callback_data(cls, value: str) -> str:
        if not VALUE_PATTERN.match(value):
            raise ValueError(f"choice value {value!r} must be 1-24 of A-Z a-z 0-9 _")
        return value

    @model_validator(mode="after")
    def _numeric_score(self) -> Choice:
        if self.score is None and "score" not in self.model_fields_set and self.value.isdigit():
            object.__setattr__(self, "score", float(self.value))
        return self

    @model_validator(mode="after")
    def _erases_only_when_ending(self) -> Choice:
        if self.erases and not self.ends:
            raise ValueError(f"choice {self.value!r} erases but does not end the survey")
        return self


Condition = dict[str, list[str]]
PLACE_KINDS = ("province", "district")  # questions answered with a place of the country
CHOICE_KINDS = ("choice", "choices")  # questions answered with buttons of their choices
# What the engine knows of a respondent without asking, and the values it may take. A
# question of kind "context" with one of these ids is never asked: the engine puts the value
# among the answers of every step (conversations.conversation), never stores it, and
# conditions name it like an earlier answer ("language": the one the survey is read in).
CONTEXT: dict[str, tuple[str, ...]] = {
    "language": SUPPORTED_LOCALES,
    "via_link": ("yes", "no"),  # "yes": the session began from a muhtar's link
}


class Variant(_Strict):
    when: Condition
    text: str


class Question(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    # "choices": several of its choices may be picked (up to max_choices), then Done.
    kind: Literal["choice", "choices", "province", "district", "text", "context"] = "choice"
    text: str = ""  # every kind but "context" has one
    short: str | None = None  # a column heading for reports
    choices: tuple[Choice, ...] = ()
    scale: str | None = None
    columns: int = Field(default=1, ge=1, le=8)
    max_choices: int = Field(default=1, ge=1, le=8)  # how many a "choices" question takes
    when: Condition | None = None  # asked only when all of these hold
    when_any: Condition | None = None  # asked only when one of these holds
    unless: Condition | None = None  # not asked when one of these holds
    # Earlier questions whose answer this one builds on (a district needs its province): when
    # such an answer changes, this answer is forgotten.
    depends_on: tuple[str, ...] = ()
    variants: tuple[Variant, ...] = ()
    optional: bool = False
    max_length: int = Field(default=1000, ge=1, le=3500)
    # Answers to a question with a dimension are copied onto the response (service, province,
    # channel, district) so reports can group by them without reading every answer.
    dimension: Literal["service", "channel", "province", "district"] | None = None
    # About the person, not the visit (being 18 or over): their latest answer, in any response
    # of theirs still kept (of any survey asking the same question id), is carried into the
    # next one, so "Rate another service" does not ask it again.
    carried: bool = False

    @model_validator(mode="after")
    def _several_only_for_choices(self) -> Question:
        where = f"question {self.id!r}"
        if self.kind != "choices":
            if self.max_choices != 1:
                raise ValueError(f"{where}: only a \"choices\" question takes max_choices")
            return self
        if self.max_choices < 2:
            raise ValueError(f"{where}: a \"choices\" question takes max_choices of 2 or more")
        if self.dimension or self.carried or any(c.ends for c in self.choices):
            raise ValueError(f"{where}: a \"choices\" question has no dimension, is not "
                             "carried and ends nothing")
        return self

    @model_validator(mode="after")
    def _carried_only_for_the_person(self) -> Question:
        if self.carried and (self.kind != "choice" or self.dimension or self.depends_on):
            raise ValueError(f"question {self.id!r}: only a plain choice question about the "
                             "person can be carried")
        return self

    def applies(self, answers: Answers) -> bool:
        """Whether this question is asked, given the answers so far."""
        if self.when and not _matches_all(self.when, answers):
            return False
        if self.when_any and not _matches_any(self.when_any, answers):
            return False
        return not (self.unless and _matches_any(self.unless, answers))

    @property
    def asked(self) -> bool:
        """False for a context question: the engine answers it."""
        return self.kind != "context"

    def text_for(self, answers: Answers) -> str:
        """The question text (msgid), taking the first variant whose condition holds."""
        for variant in self.variants:
            if _matches_all(variant.when, answers):
                return variant.text
        return self.text

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)

    def picked(self, value: str | None) -> list[str]:
        """The choices a stored answer holds: one, or for a "choices" question those joined
        by commas (in the order of the choices)."""
        if not value:
            return []
        return value.split(SEVERAL) if self.kind == "choices" else [value]


SEVERAL = ","  # joins the choices of a "choices" answer: never in a choice value


# The score rollups (storage.models) keep six columns per driver a report may name; more
# need a migration that adds them (as 0010 did for the seventh).
MAX_REPORT_DRIVERS = 7


class ReportSpec(_Strict):
    overall: str
    satisfied_min: float = 4
    drivers: tuple[str, ...] = ()
    effort: str | None = None
    # How finely its figures are cut. By default as the deployment says (IZDES_PERIOD,
    # IZDES_MIN_CELL), down to the muhtar's link. A survey whose few respondents must not be
    # found in its figures (a unit's staff) fixes a coarser cut here, and admin.publish and
    # every output read it: its own kind of period, the finest place published, which
    # smallest cell (IZDES_STAFF_MIN_CELL for "staff"), and whether a microdata token may
    # download its responses row by row.
    period: Literal["month", "quarter", "year"] | None = None
    finest_place: Literal["province", "district", "link"] = "link"
    min_cell: Literal["citizens", "staff"] = "citizens"
    row_level: bool = True
    # A cell in which one unit (one invitation link) gives more than this share of the
    # respondents is hidden as a small one is (stats.release.dominated_cells): its figures
    # would be that unit's, and the staff are told no single unit's figures are shown.
    largest_unit_share: float | None = Field(default=None, gt=0, lt=1)


class Counterpart(_Strict):
    """The citizens' side of the same services: which unit type (this survey's service)
    serves each service of a citizens' survey, so figures of both sides stand side by side."""

    survey: str = Field(pattern=ID_PATTERN)
    services: dict[str, str] = Field(min_length=1)  # its service -> our service


class Survey(_Strict):
    key: str = Field(pattern=ID_PATTERN)
    version: int = Field(ge=1)
    title: str
    # What the first message says the survey is about, and the thanks at its end (msgids);
    # the service survey's wording when not given.
    welcome: str | None = None
    thanks: str | None = None
    # Whom it asks: "staff" are told, before they answer, who sees their answers and that
    # their superiors never see one person's (conversations.notice).
    audience: Literal["citizens", "staff"] = "citizens"
    # Started only through an invitation link that fixes its service question (a unit's):
    # any other start is told so and offered the default survey.
    invitation_only: bool = False
    # One completed response per person and calendar quarter (UTC, as figures are
    # published), whatever the service; by default one per service in IZDES_REPEAT_DAYS.
    once_per: Literal["quarter"] | None = None
    counterpart: Counterpart | None = None
    scales: dict[str, tuple[Choice, ...]] = Field(default_factory=dict)
    questions: tuple[Question, ...] = Field(min_length=1)
    report: ReportSpec | None = None
    # longest_path's results, and the answers conditions name: worked out on first use.
    _longest: dict[tuple[frozenset[tuple[str, str]], frozenset[str]], int] = PrivateAttr(
        default_factory=dict)
    _named: dict[str, set[str]] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> Survey:
        resolved = tuple(self._resolve_scale(q) for q in self.questions)
        object.__setattr__(self, "questions", resolved)
        _check_unique([q.id for q in resolved], "question id")
        known = {q.id: q for q in resolved}
        for position, question in enumerate(resolved):
            _check_question(question, known, earlier=set(q.id for q in resolved[:position]))
        if self.report:
            _check_report(self.report, known)
        if self.invitation_only and not self.has_dimension("service"):
            raise SurveyError("an invitation-only survey has a service question the "
                              "invitation answers")
        if self.counterpart:
            _check_counterpart(self.counterpart, known)
        return self

    def _resolve_scale(self, question: Question) -> Question:
        if question.scale is None:
            return question
        if question.choices:
            raise SurveyError(f"question {question.id!r}: give either choices or a scale")
        if question.scale not in self.scales:
            raise SurveyError(f"question {question.id!r}: unknown scale {question.scale!r}")
        return question.model_copy(update={"choices": self.scales[question.scale]})

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)

    def has_dimension(self, dimension: str) -> bool:
        return any(q.dimension == dimension for q in self.questions)

    @property
    def carried(self) -> tuple[str, ...]:
        """Questions about the person whose answers pass from one response to the next."""
        return tuple(q.id for q in self.questions if q.carried)

    @property
    def link_reach_shown(self) -> bool:
        """Whether how far its links reached (opened, agreed, completed) may be shown: only
        where its figures go down to the link, as those counts bound the link's cells. A
        unit's invitation is one unit: its counts would be figures of a few staff."""
        return self.report is None or self.report.finest_place == "link"

    def has_question(self, question_id: str) -> bool:
        return any(q.id == question_id for q in self.questions)

    def context_answers(self, language: str, via_link: bool = False) -> dict[str, str]:
        """The answers to its context questions (CONTEXT) the engine gives for a step."""
        known = {"language": language, "via_link": "yes" if via_link else "no"}
        return {q.id: known[q.id] for q in self.questions if q.kind == "context"}

    def path(self, answers: Answers, skip: Collection[str] = ()) -> list[Question]:
        """The questions this respondent is asked, in order, given the answers so far
        (``skip``: questions answered for them, by a muhtar's link)."""
        return [q for q in self.questions
                if q.asked and q.id not in skip and q.applies(answers)]

    def longest_path(self, answers: Answers | None = None, skip: Collection[str] = ()) -> int:
        """The most questions anyone can be asked, whatever they answer, given the answers
        fixed in advance (``skip``: by a muhtar's link). The progress line counts against it,
        so its total never changes under the citizen.

        The search tries every answer that leads somewhere different (some 700 paths, 12 ms)
        and every question asked renders the total, so each result is kept: by the fixed
        answers that a condition names, the others alike (as they lead alike)."""
        named = self._named_values()
        fixed = {qid: value if value in named.get(qid, ()) else _OTHER
                 for qid, value in (answers or {}).items()}
        key = (frozenset(fixed.items()), frozenset(skip))
        if key not in self._longest:
            self._longest[key] = self._longest_from(0, fixed, skip)
        return self._longest[key]

    def model_copy(self, *, update: Mapping[str, Any] | None = None,
                   deep: bool = False) -> Survey:
        """A copy that works out its own longest paths: its questions may differ."""
        copied = super().model_copy(update=update, deep=deep)
        copied._longest, copied._named = {}, {}
        return copied

    def _named_values(self) -> dict[str, set[str]]:
        """Each question's answers that some condition names."""
        if not self._named:
            for question in self.questions:
                for condition in (question.when, question.when_any, question.unless):
                    for qid, values in (condition or {}).items():
                        self._named.setdefault(qid, set()).update(values)
        return self._named

    def _longest_from(self, start: int, answers: dict[str, str], skip: Collection[str]) -> int:
        for index in range(start, len(self.questions)):
            question = self.questions[index]
            if question.id in skip or not question.applies(answers):
                continue
            asked = 0 if question.kind == "context" else 1  # a context is never asked
            return asked + max((
                self._longest_from(index + 1, _with(answers, question.id, value), skip)
                for value in self._outcomes(question)), default=0)
        return 0

    def _outcomes(self, question: Question) -> Sequence[str | None]:
        """The answers to ``question`` that can lead to different questions afterwards: each
        value a later condition names, and one that none names (None: any other value, or
        no answer). Answers that end the survey lead nowhere and are left out."""
        named = self._named_values().get(question.id, set())
        if question.kind != "choice":
            return [*sorted(named), None]
        going_on = [c.value for c in question.choices if not c.ends]
        unnamed = [value for value in going_on if value not in named]
        return [value for value in going_on if value in named] + unnamed[:1]

    def next_after(self, question_id: str | None, answers: Answers,
                   skip: Collection[str] = ()) -> Question | None:
        """The first applicable question after ``question_id`` (or the first one)."""
        ids = [q.id for q in self.questions]
        start = 0 if question_id is None else ids.index(question_id) + 1
        return next((q for q in self.questions[start:]
                     if q.asked and q.id not in skip and q.applies(answers)), None)

    def dependents_of(self, question_id: str) -> list[str]:
        return [q.id for q in self.questions if question_id in q.depends_on]

    def previous_before(self, question_id: str, answers: Answers,
                        skip: Collection[str] = ()) -> Question | None:
        ids = [q.id for q in self.questions]
        earlier = self.questions[: ids.index(question_id)]
        return next((q for q in reversed(earlier)
                     if q.asked and q.id not in skip and q.applies(answers)), None)


_OTHER = "\x00other"  # a fixed answer no condition names: it leads where any such answer does


def _with(answers: dict[str, str], question_id: str, value: str | None) -> dict[str, str]:
    return answers if value is None else {**answers, question_id: value}


def _matches_all(condition: Condition, answers: Answers) -> bool:
    return all(answers.get(qid) in values for qid, values in condition.items())


def _matches_any(condition: Condition, answers: Answers) -> bool:
    return any(answers.get(qid) in values for qid, values in condition.items())


def _check_unique(items: Sequence[str], what: str) -> None:
    seen: set[str] = set()
    for item in items:
        if item in seen:
            raise SurveyError(f"duplicate {what} {item!r}")
        seen.add(item)


def _check_question(question: Question, known: dict[str, Question], earlier: set[str]) -> None:
    where = f"question {question.id!r}"
    if question.kind == "context":
        _check_context(question)
        return
    if not question.text:
        raise SurveyError(f"{where}: a question needs a text")
    if question.kind in CHOICE_KINDS and not question.choices:
        raise SurveyError(f"{where}: a choice question needs choices or a scale")
    if question.kind not in CHOICE_KINDS and question.choices:
        raise SurveyError(f"{where}: only choice questions have choices")
    for qid in question.depends_on:
        if qid not in earlier:
            raise SurveyError(f"{where}: depends on {qid!r}, not an earlier question")
    if question.kind == "district" and (
        len(question.depends_on) != 1 or known[question.depends_on[0]].kind != "province"
    ):
        raise SurveyError(f"{where}: a district question depends on one province question")
    _check_unique([c.value for c in question.choices], f"choice value in {where}")
    conditions = [question.when, question.when_any, question.unless,
                  *(v.when for v in question.variants)]
    for condition in filter(None, conditions):
        for qid, values in condition.items():
            # A condition may only look back: the engine decides on answers already given.
            if qid not in earlier:
                raise SurveyError(f"{where}: condition on {qid!r}, not an earlier question")
            target = known[qid]
            if target.kind == "choices":
                raise SurveyError(f"{where}: a condition cannot name {qid!r}, which takes "
                                  "several choices")
            for value in values:
                if target.kind == "choice" and target.choice(value) is None:
                    raise SurveyError(f"{where}: {qid!r} has no choice {value!r}")
                if target.kind == "context" and value not in CONTEXT[qid]:
                    raise SurveyError(f"{where}: {qid!r} is never {value!r}")


def _check_context(question: Question) -> None:
    where = f"question {question.id!r}"
    if question.id not in CONTEXT:
        raise SurveyError(f"{where}: the engine knows no context {question.id!r} "
                          f"(only {', '.join(CONTEXT)})")
    asked_only = (question.text, question.short, question.choices, question.when,
                  question.when_any, question.unless, question.variants, question.optional,
                  question.dimension, question.depends_on)
    if any(asked_only):
        raise SurveyError(f"{where}: a context question is never asked: give it only an id")


def _check_report(report: ReportSpec, known: dict[str, Question]) -> None:
    if len(report.drivers) > MAX_REPORT_DRIVERS:
        raise SurveyError(f"a report names at most {MAX_REPORT_DRIVERS} drivers")
    for qid in (report.overall, *report.drivers, *filter(None, [report.effort])):
        if qid not in known or not known[qid].asked:
            raise SurveyError(f"report names unknown question {qid!r}")
    if report.largest_unit_share is not None and report.finest_place == "link":
        raise SurveyError("a report that hides a unit's cells publishes no link's: set "
                          "finest_place to province or district")


def _check_counterpart(counterpart: Counterpart, known: dict[str, Question]) -> None:
    ours = next((q for q in known.values() if q.dimension == "service"), None)
    if ours is None:
        raise SurveyError("a counterpart names the units of a service question: add one")
    for theirs, unit in counterpart.services.items():
        if ours.choice(unit) is None:
            raise SurveyError(f"counterpart: {theirs!r} is served by {unit!r}, which is no "
                              f"choice of {ours.id!r}")


def _check_counterparts(surveys: Mapping[str, Survey]) -> None:
    """Each counterpart names a survey that is loaded, and services it asks."""
    for survey in surveys.values():
        if survey.counterpart is None:
            continue
        other = surveys.get(survey.counterpart.survey)
        services = next((q for q in other.questions if q.dimension == "service"),
                        None) if other else None
        if other is None or services is None:
            raise SurveyError(f"{survey.key}: counterpart {survey.counterpart.survey!r} is "
                              "no survey with a service question")
        unknown = [s for s in survey.counterpart.services if services.choice(s) is None]
        if unknown:
            raise SurveyError(f"{survey.key}: counterpart services {unknown} are not asked "
                              f"in {other.key!r}")


def parse_survey(source: str) -> Survey:
    """Build and validate a survey from YAML text."""
    data = yaml.safe_load(source)
    try:
        return Survey.model_validate(data)
    except SurveyError:
        raise
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        raise SurveyError(str(error)) from error


@cache
def builtin_surveys() -> dict[str, Survey]:
    """All surveys shipped in conversations/surveys, by key."""
    folder = resources.files("conversations") / "surveys"
    surveys: dict[str, Survey] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            survey = parse_survey(entry.read_text(encoding="utf-8"))
            if survey.key in surveys:
                raise SurveyError(f"two surveys share the key {survey.key!r}")
            surveys[survey.key] = survey
    _check_counterparts(surveys)
    return surveys


DEFAULT_SURVEY = "hizmet"
