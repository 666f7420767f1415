"""Every row of the demo, from a seed: the muhtar links and their weekly reach, and the
completed responses with their answers and respondents, over the last whole months.

The same seed, months and number of responses give the same rows on any day of a month:
times are placed within the months that have ended, not counted back from now.
"""

from __future__ import annotations

import calendar
import random
from bisect import bisect
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate

from admin.demo import shares, trends
from admin.demo.links import DEMO_LINKS, DemoLink, payload, stats_code
from admin.demo.people import Answered, Situation, answers_of
from admin.demo.size import DemoSize
from conversations.links import LinkPlace, week_of
from conversations.places import provinces
from conversations.population import Residents, district_residents
from conversations.survey import Survey
from stats import periods
from storage.demo import KEY_PREFIX

# Hours of the Turkish day people answer in (0-23), by weight: evenings most.
HOURS = (1, 0, 0, 0, 0, 1, 2, 4, 6, 7, 7, 7, 7, 7, 6, 6, 6, 7, 9, 10, 10, 8, 5, 3)
TURKEY_OFFSET = timedelta(hours=3)


@dataclass
class DemoResponse:
    survey: Survey
    respondent_key: str
    language: str
    dimensions: dict[str, str | None]  # service, channel, province, district
    link: int | None  # index in Dataset.links
    mahalle: str | None
    started_at: datetime
    completed_at: datetime
    flagged: bool
    answers: list[tuple[str, str, float | None, datetime]]


@dataclass(frozen=True)
class LinkMade:
    link: DemoLink
    payload: str
    stats_code: str  # for the muhtar's page: only its digest is stored
    created_at: datetime


class Dataset:
    """The demo's links, and its responses a month at a time (a year of them would hold
    hundreds of megabytes at once)."""

    def __init__(self, size: DemoSize, now: datetime, surveys: Mapping[str, Survey]) -> None:
        self.rng = random.Random(size.seed)
        self.months = tuple(periods.latest(now, "month", size.months))
        self.world = _World(self.rng, surveys, self.months)
        self.links = self.world.links
        self.counts = _per_month(size, self.rng)
        self.completed_by_link: Counter[tuple[int, date]] = Counter()

    def by_month(self) -> Iterator[list[DemoResponse]]:
        """Each month's responses, in order (once)."""
        for month_number, count in enumerate(self.counts):
            responses = [self.world.response(month_number, self.rng) for _ in range(count)]
            self.completed_by_link.update((r.link, week_of(r.completed_at)) for r in responses
                                          if r.link is not None)
            yield responses

    def reach(self) -> list[tuple[int, date, int, int, int]]:
        """Each link's weekly reach (link index, week, opened, consented, completed), once
        every month is made: those who completed, and more who agreed or only opened."""
        rows = []
        for (link, week), count in sorted(self.completed_by_link.items()):
            consented = count + round(count * self.rng.uniform(0.1, 0.25))
            opened = consented + round(consented * self.rng.uniform(0.2, 0.5))
            rows.append((link, week, opened, consented, count))
        return rows


def _per_month(size: DemoSize, rng: random.Random) -> list[int]:
    """How many responses each month brings: the campaign grows, a little unevenly."""
    weights = []
    for number in range(size.months):
        growth = 1 + shares.MONTHLY_GROWTH * number / max(1, size.months - 1)
        weights.append(growth * rng.uniform(0.92, 1.08))
    total = sum(weights)
    counts = [int(size.responses * w / total) for w in weights]
    for number in sorted(range(size.months), key=lambda n: -weights[n])[
            :size.responses - sum(counts)]:
        counts[number] += 1
    return counts


class _Places:
    """Districts drawn by population, among all or some provinces."""

    def __init__(self, residents: Sequence[Residents]) -> None:
        self.residents = list(residents)
        self.cumulative = list(accumulate(r.population for r in self.residents))

    def draw(self, rng: random.Random) -> Residents:
        return self.residents[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


class _World:
    """The seed's fixed parts: each province's, cell's and district's own effect, the links."""

    def __init__(self, rng: random.Random, surveys: Mapping[str, Survey],
                 months: tuple[str, ...]) -> None:
        self.surveys, self.months = surveys, months
        keys = [*shares.SERVICE_SHARES, *trends.SURVEY_LEVELS]
        self.province_effect = {
            p.plate: trends.REGION_EFFECTS.get(p.nuts1, 0.0) + rng.gauss(0, trends.PROVINCE_SPREAD)
            for p in provinces()}
        self.cell_effect = {(p.plate, key): rng.gauss(0, trends.CELL_SPREAD)
                            for p in provinces() for key in keys}
        residents = district_residents()
        self.district_effect = {str(r.district_id): rng.gauss(0, trends.DISTRICT_SPREAD)
                                for r in residents}
        self.places = {key: _Places([r for r in residents if r.plate in pilot])
                       for key, pilot in shares.PILOT_PROVINCES.items()}
        self.everywhere = _Places(residents)
        start = periods.start_of(months[0])
        self.links = tuple(LinkMade(link, payload(rng), stats_code(rng), start)
                           for link in DEMO_LINKS)

    def response(self, month_number: int, rng: random.Random) -> DemoResponse:
        month = self.months[month_number]
        calendar_month = int(month[5:])
        survey = self.surveys[_draw(rng, shares.SURVEY_SHARES)]
        link = self._link(survey.key, rng)
        if link is not None:
            made = self.links[link].link
            plate, district = made.plate, made.district_id
        else:
            drawn = self.places.get(survey.key, self.everywhere).draw(rng)
            plate = drawn.plate
            district = str(drawn.district_id) if rng.random() < shares.DISTRICT_NAMED else None
        service = (_draw(rng, shares.service_weights(plate, calendar_month))
                   if survey.has_dimension("service") else None)
        language = _draw(rng, shares.language_weights(plate, service))
        trend = trends.named_trend(plate, service)
        weight = trends.trend_weight(month_number, len(self.months))
        situation = Situation(
            survey, plate, district, service, language,
            level=self._level(survey.key, plate, district, service, calendar_month)
            + (trend.change * weight if trend else 0.0),
            trend=trend, trend_weight=weight,
            preset=self._presets(link, survey))
        flagged = rng.random() < shares.FLAGGED
        completed = _moment(month, rng)
        answered, started = _timed(answers_of(situation, rng), completed, flagged, rng)
        return DemoResponse(
            survey=survey, respondent_key=KEY_PREFIX + f"{rng.getrandbits(236):059x}",
            language=language, dimensions=_dimensions(survey, answered), link=link,
            mahalle=self.links[link].link.mahalle if link is not None else None,
            started_at=started, completed_at=completed, flagged=flagged, answers=answered)

    def _link(self, survey_key: str, rng: random.Random) -> int | None:
        if rng.random() >= shares.LINK_SHARES.get(survey_key, 0.0):
            return None
        mine = [i for i, made in enumerate(self.links) if made.link.survey_key == survey_key]
        return rng.choice(mine) if mine else None

    def _presets(self, link: int | None, survey: Survey) -> dict[str, str]:
        if link is None:
            return {}
        made = self.links[link].link
        return LinkPlace(id=link, province=made.plate, district=made.district_id,
                         mahalle=made.mahalle).presets(survey)

    def _level(self, survey_key: str, plate: str, district: str | None, service: str | None,
               calendar_month: int) -> float:
        key = service or survey_key
        base = trends.SERVICE_LEVELS.get(key) or trends.SURVEY_LEVELS[survey_key]
        return (base + self.province_effect[plate] + self.cell_effect[(plate, key)]
                + (self.district_effect[district] if district else 0.0)
                + trends.season(key, calendar_month))


def _draw(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _moment(month: str, rng: random.Random) -> datetime:
    """A moment in the month (UTC), at an hour of the Turkish day people answer in."""
    year, number = int(month[:4]), int(month[5:])
    day = rng.randint(1, calendar.monthrange(year, number)[1])
    hour = rng.choices(range(24), weights=HOURS)[0]
    local = datetime(year, number, day, hour, rng.randint(0, 59), rng.randint(0, 59),
                     tzinfo=UTC)
    moment = local - TURKEY_OFFSET
    start = periods.start_of(month)
    return max(moment, start + timedelta(hours=1))  # the first night stays in its month


def _timed(answered: list[Answered], completed: datetime, flagged: bool, rng: random.Random
           ) -> tuple[list[tuple[str, str, float | None, datetime]], datetime]:
    """Each answer's moment, the last at completion: a few seconds a question (a comment
    longer), under a second when flagged as automated; and when the response started."""
    gaps = [rng.uniform(0.3, 0.8) if flagged else
            rng.uniform(20, 60) if qid in ("comment", "proposal") else rng.uniform(3, 14)
            for qid, _, _ in answered]
    total = sum(gaps) + rng.uniform(5, 20)  # the notice and consent before the first
    started = completed - timedelta(seconds=total)
    moments = list(accumulate(gaps, initial=total - sum(gaps)))[1:]
    return ([(qid, value, score, started + timedelta(seconds=at))
             for (qid, value, score), at in zip(answered, moments, strict=True)], started)


def _dimensions(survey: Survey, answered: list[tuple[str, str, float | None, datetime]]
                ) -> dict[str, str | None]:
    """What the engine copies onto the response from answers to dimension questions."""
    found: dict[str, str | None] = dict.fromkeys(("service", "channel", "province",
                                                  "district"))
    dimensions = _dimension_questions(survey.key, survey)
    found.update((dimensions[qid], value) for qid, value, _, _ in answered
                 if qid in dimensions)
    return found


_DIMENSION_QUESTIONS: dict[str, dict[str, str]] = {}


def _dimension_questions(key: str, survey: Survey) -> dict[str, str]:
    if key not in _DIMENSION_QUESTIONS:
        _DIMENSION_QUESTIONS[key] = {q.id: q.dimension for q in survey.questions if q.dimension}
    return _DIMENSION_QUESTIONS[key]
