"""Survey definitions are data, checked when loaded; the engine stays channel-free."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources

import pytest

from conversations import buttons
from conversations.survey import SurveyError, builtin_surveys, parse_survey

MINIMAL = """
key: demo
version: 1
title: "Demo"
questions:
  - id: colour
    text: "Which colour?"
    choices:
      - {value: red, label: "Red"}
      - {value: blue, label: "Blue"}
  - id: why
    kind: text
    text: "Why?"
    when: {colour: [red]}
"""


def test_a_new_survey_is_only_data():
    survey = parse_survey(MINIMAL)
    assert [q.id for q in survey.path({"colour": "red"})] == ["colour", "why"]
    assert [q.id for q in survey.path({"colour": "blue"})] == ["colour"]


@pytest.mark.parametrize(("change", "message"), [
    (("  - id: why", "  - id: colour"), "duplicate question id 'colour'"),
    (("when: {colour: [red]}", "when: {color: [red]}"), "condition on 'color'"),
    (("when: {colour: [red]}", "when: {colour: [green]}"), "has no choice 'green'"),
    (("{value: blue,", "{value: red,"), "duplicate choice value in question 'colour' 'red'"),
    (("{value: blue,", "{value: \"blue sky\","), "must be 1-24 of"),
    (("    kind: text\n", "    kind: text\n    scale: nowhere\n"), "unknown scale 'nowhere'"),
    (("{value: blue, label: \"Blue\"}", "{value: blue, label: \"Blue\", erases: true}"),
     "erases but does not end the survey"),
    (("    kind: text\n", "    kind: text\n    carried: true\n"),
     "only a plain choice question about the person can be carried"),
])
def test_inconsistent_definitions_fail_when_loaded(change, message):
    old, new = change
    with pytest.raises(SurveyError, match=message):
        parse_survey(MINIMAL.replace(old, new, 1))


def test_a_district_question_must_build_on_a_province_question():
    district = MINIMAL + """  - id: where
    kind: district
    depends_on: [colour]
    text: "Which district?"
"""
    with pytest.raises(SurveyError, match="depends on one province question"):
        parse_survey(district)


def test_a_condition_may_not_look_ahead():
    looking_ahead = MINIMAL.replace(
        "    text: \"Which colour?\"\n", "    text: \"Which colour?\"\n    when: {why: [x]}\n")
    with pytest.raises(SurveyError, match="not an earlier question"):
        parse_survey(looking_ahead)


LANGUAGE_AWARE = MINIMAL + """  - id: language
    kind: context
  - id: help
    text: "Did you need help with the language?"
    when_any: {colour: [blue], language: [en, ar]}
    choices:
      - {value: "yes", label: "Yes"}
"""


def test_a_context_question_is_never_asked_and_conditions_may_name_it():
    survey = parse_survey(LANGUAGE_AWARE)
    assert [q.id for q in survey.path({"colour": "red", "language": "tr"})] == ["colour", "why"]
    # when_any: one of its conditions is enough.
    assert [q.id for q in survey.path({"colour": "red", "language": "ar"})] == [
        "colour", "why", "help"]
    assert [q.id for q in survey.path({"colour": "blue", "language": "tr"})] == [
        "colour", "help"]
    assert survey.next_after("colour", {"colour": "blue", "language": "tr"}).id == "help"
    assert survey.previous_before("help", {"colour": "blue"}).id == "colour"
    assert survey.context_answers("ar") == {"language": "ar"}


@pytest.mark.parametrize(("change", "message"), [
    (("  - id: language\n", "  - id: mood\n"), "knows no context 'mood'"),
    (("language: [en, ar]", "language: [en, de]"), "'language' is never 'de'"),
    (("    kind: context\n", "    kind: context\n    text: \"Which language?\"\n"),
     "a context question is never asked"),
    (("  - id: help\n", "  - id: help\n    when: {language: [en]}\n"), None),
])
def test_context_questions_are_checked_when_loaded(change, message):
    old, new = change
    if message is None:  # a plain condition on the context is fine too
        parse_survey(LANGUAGE_AWARE.replace(old, new, 1))
        return
    with pytest.raises(SurveyError, match=message):
        parse_survey(LANGUAGE_AWARE.replace(old, new, 1))


def test_the_service_survey_asks_what_the_issue_requires():
    survey = builtin_surveys()["hizmet"]
    assert [q.id for q in survey.questions] == [
        "language", "adult", "service", "recency", "channel", "goc_channel", "province",
        "district", "help_time", "nufus_purpose", "appointment", "wait_time",
        "traffic_purpose", "police_purpose", "interpreter", "overall", "timeliness",
        "information",
        "knowledge", "courtesy", "fairness", "equal_treatment", "outcome", "effort",
        "comment"]
    assert [c.value for c in survey.question("service").choices] == [
        "emniyet", "jandarma", "trafik", "acil112", "nufus", "goc"]
    assert [c.score for c in survey.question("knowledge").choices][-1] is None  # don't know
    assert survey.question("comment").max_length == 1000
    assert survey.report.drivers == ("timeliness", "information", "knowledge", "courtesy",
                                     "fairness", "equal_treatment", "outcome")


# The values version 1 stored, per question still asked. A value is stored and counted: it
# keeps its meaning for good, and a wording change keeps it (the version says which wording
# was shown). Only these left on purpose.
VERSION_1_VALUES = {
    "service": ["emniyet", "jandarma", "trafik", "acil112", "nufus", "goc"],
    "recency": ["d7", "d30", "earlier"],
    "channel": ["in_person", "phone", "online"],
    "help_time": ["lt10", "m10_20", "m20_30", "gt30", "never", "unknown"],
    "appointment": ["yes", "no"],
    "wait_time": ["lt15", "m15_30", "m30_60", "gt60"],
    "interpreter": ["yes", "no", "not_needed"],
    "traffic_purpose": ["licence", "registration", "accident", "fine", "other"],
    "police_purpose": ["crime", "complaint", "document", "other"],
    "overall": ["5", "4", "3", "2", "1"],
    **{driver: ["5", "4", "3", "2", "1", "na"]
       for driver in ("timeliness", "knowledge", "courtesy", "fairness", "outcome")},
    "effort": ["1", "2", "3", "4", "5", "6", "7"],
}
RETIRED = {("traffic_purpose", "licence")}  # driving licences are issued by nüfus now


def test_values_stored_by_earlier_versions_keep_their_meaning():
    survey = builtin_surveys()["hizmet"]
    assert survey.version == 3
    for question_id, values in VERSION_1_VALUES.items():
        kept = {c.value for c in survey.question(question_id).choices}
        gone = {(question_id, v) for v in values if v not in kept}
        assert gone <= RETIRED, gone
    scores = {c.value: c.score for c in survey.question("outcome").choices}
    assert scores["pending"] is None and scores["5"] == 5  # not concluded: no score


def test_every_scale_runs_from_its_best_end():
    for survey in builtin_surveys().values():
        for name, choices in survey.scales.items():
            scores = [c.score for c in choices if c.score is not None]
            assert scores == sorted(scores, reverse=True), (survey.key, name)


def test_every_button_of_every_survey_fits_telegram_callback_data():
    for survey in builtin_surveys().values():
        for question in survey.questions:
            for choice in question.choices:
                data = buttons.encode(buttons.ANSWER, 10**12 - 1, 999_999, choice.value)
                assert len(data.encode()) <= 64


def test_the_mermaid_diagram_beside_each_survey_names_every_question():
    folder = resources.files("conversations") / "surveys"
    for survey in builtin_surveys().values():
        diagram = (folder / f"{survey.key}.mmd").read_text(encoding="utf-8")
        for question in survey.questions:
            assert question.id in diagram, f"{survey.key}.mmd misses {question.id}"


def test_the_engine_does_not_import_telegram_aiohttp_or_sqlalchemy():
    probe = (
        "import sys, conversations.engine, conversations.survey, conversations.places;"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('telegram', 'aiohttp', 'sqlalchemy', 'storage', 'bot')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_callback_data_round_trips_and_rejects_garbage():
    data = buttons.encode(buttons.ANSWER, 42, 7, "trafik")
    assert buttons.decode(data) == buttons.Tap("a", 42, 7, "trafik")
    for garbage in ("", "a.1.2", "z.1.2.x", "a.1.2.x;drop", "a.-1.2.x", "a." + "9" * 13 + ".1.x"):
        assert buttons.decode(garbage) is None
