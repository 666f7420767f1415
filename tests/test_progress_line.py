"""The "Soru 3/15" line: its total is the longest survey anyone can be asked and never changes
during a session; the number goes up by one per question asked and down by one per Back.
(It used to count this citizen's path so far: "Soru 1/13", then "Soru 2/15" after Nüfus.)"""

from __future__ import annotations

import itertools
import re

import pytest

from conversations.survey import Survey, builtin_surveys, parse_survey
from tests.survey_steps import BACK, SKIP, consent, tap, type_province

PROGRESS = re.compile(r"^Soru (\d+)/(\d+)$", re.MULTILINE)


def progress(message) -> tuple[int, int]:
    found = PROGRESS.search(message.text)
    assert found, message.text
    return int(found[1]), int(found[2])


async def walk_to_the_end(citizen, service: str, channel: str | None) -> list[tuple[int, int]]:
    """Answer every question (the first choice, Ankara, skipping what can be skipped);
    returns the progress line of each question as it was asked."""
    question = await consent(citizen)
    seen = [progress(question)]
    question = await tap(citizen, service)
    while PROGRESS.search(question.text):
        seen.append(progress(question))
        if "hangi ilde" in question.text:
            question = await type_province(citizen, "Ankara")
        elif channel and "Hizmeti nasıl aldınız?" in question.text:
            question = await tap(citizen, channel)
        elif SKIP in question.labels():
            question = await tap(citizen, SKIP)
        else:
            question = await tap(citizen, question.labels()[0])
    assert "Yanıtlarınız kaydedildi" in question.text, citizen.transcript()
    return seen


@pytest.mark.parametrize(("service", "channel"), [
    ("Nüfus", "Yüz yüze"),  # the longest path: purpose, appointment and waiting time
    ("Nüfus", "Telefonla"),
    ("Trafik", "Yüz yüze"),
    ("Göç İdaresi", "Yüz yüze"),
    ("112 Acil Çağrı", None),  # no channel question
])
async def test_the_total_stays_put_and_the_number_counts_up_by_one(bot, telegram, service,
                                                                  channel):
    citizen = telegram.citizen(6100 + 7 * len(service) + len(channel or ""))
    seen = await walk_to_the_end(citizen, service, channel)
    longest = builtin_surveys()["hizmet"].longest_path()
    assert {total for _, total in seen} == {longest}, seen
    # The 18-or-older question came first (number 1): then one more for each question.
    assert [number for number, _ in seen] == list(range(2, len(seen) + 2)), seen


async def test_back_and_a_new_service_keep_the_total_and_the_count_honest(bot, telegram):
    citizen = telegram.citizen(6201)
    LONGEST = builtin_surveys()["hizmet"].longest_path()
    first = await consent(citizen)
    assert progress(first) == (2, LONGEST)
    recency = await tap(citizen, "112 Acil Çağrı")
    assert progress(recency) == (3, LONGEST)
    province = await tap(citizen, "Son 7 gün içinde")
    assert progress(province) == (4, LONGEST)  # 112 has no channel question
    await citizen.press(BACK)
    assert progress(await citizen.next_edit()) == (3, LONGEST)
    await citizen.press(BACK)
    assert progress(await citizen.next_edit()) == (2, LONGEST)
    await citizen.press("Nüfus")
    await citizen.next_edit()
    recency = await citizen.next_message()
    assert progress(recency) == (3, LONGEST)
    channel = await tap(citizen, "✓ Son 7 gün içinde")  # the earlier answer, kept
    assert progress(channel) == (4, LONGEST)
    province = await tap(citizen, "Yüz yüze")
    assert progress(province) == (5, LONGEST)
    district = await type_province(citizen, "06")
    assert progress(district) == (6, LONGEST)
    after_district = await tap(citizen, SKIP)
    assert progress(after_district) == (7, LONGEST)


def _asked(survey: Survey, answers: dict[str, str]) -> int:
    """How many questions a citizen who gives these answers (others: none named) is asked,
    walking the survey as the engine does."""
    # The context (the language read in) is known before the first question, never asked.
    given = {q.id: answers[q.id] for q in survey.questions
             if q.kind == "context" and q.id in answers}
    count, question = 0, survey.next_after(None, given)
    while question is not None:
        count += 1
        if question.id in answers:
            given[question.id] = answers[question.id]
            choice = question.choice(answers[question.id])
            if choice is not None and choice.ends:
                break
        question = survey.next_after(question.id, given)
    return count


def test_the_longest_path_is_the_longest_of_all_answer_combinations() -> None:
    hizmet = builtin_surveys()["hizmet"]
    # Every choice a later question's condition names (service, recency, channel, ...).
    named = {qid for later in hizmet.questions
             for condition in (later.when, later.when_any, later.unless) if condition
             for qid in condition}
    branching = [q for q in hizmet.questions if q.id in named and q.kind == "choice"]
    longest = max(
        _asked(hizmet, {"language": language,
                        **{q.id: c.value for q, c in zip(branching, combination, strict=True)}})
        for language in ("tr", "ar")  # language support is asked of Arabic readers
        for combination in itertools.product(*(q.choices for q in branching)))
    assert hizmet.longest_path() == longest
    okul_servis = builtin_surveys()["okul_servis"]
    assert okul_servis.longest_path() == len(okul_servis.questions) == 16  # all asked
    # A muhtar's link for 112 answers the service: never asked, never counted.
    assert hizmet.longest_path({"service": "acil112"}, {"service"}) == 16
    # Kept once worked out: a link's province no condition names counts as any other does,
    # and a copy with fewer questions counts its own.
    assert hizmet.longest_path({"province": "34"}, {"province"}) == hizmet.longest_path(
        {"province": "06"}, {"province"}) == longest - 1
    assert hizmet.model_copy(update={"questions": hizmet.questions[:3]}).longest_path() == (
        _asked(hizmet.model_copy(update={"questions": hizmet.questions[:3]}), {}))


def test_the_longest_path_follows_conditions_on_any_kind_of_answer() -> None:
    survey = parse_survey("""
key: branchy
version: 1
title: "t"
questions:
  - {id: start, text: "a", choices: [{value: "go", label: "Go"},
                                     {value: "stop", label: "Stop", ends: "Bye"}]}
  - {id: place, kind: province, text: "b"}
  - {id: only_istanbul, text: "c", when: {place: ["34"]}, choices: [{value: "x", label: "X"}]}
  - {id: not_ankara, text: "d", unless: {place: ["06"]}, choices: [{value: "y", label: "Y"}]}
  - {id: note, kind: text, optional: true, text: "e"}
  - {id: after_note, text: "f", when: {note: ["yes"]}, choices: [{value: "z", label: "Z"}]}
""")
    assert survey.longest_path() == 6  # İstanbul, and a note that reads "yes"
    assert survey.longest_path({"place": "06"}, {"place"}) == 3
