"""GET /api/v1/surveys: the citizens' surveys whose figures can be read, with what a page
needs to show them (title, whether figures are by service, the drivers' short names), in
Turkish as the dashboard is. The staff survey is left out: its figures are shown beside the
citizens' services (admin.two_sides), never as a survey of its own on the map."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conversations.i18n import Texts
from conversations.survey import DEFAULT_SURVEY, Survey


def surveys_body(surveys: Mapping[str, Survey], t: Texts) -> dict[str, Any]:
    shown = [survey for survey in surveys.values()
             if survey.report is not None and survey.audience == "citizens"]
    return {"default": DEFAULT_SURVEY, "surveys": [_described(survey, t) for survey in shown]}


def _described(survey: Survey, t: Texts) -> dict[str, Any]:
    assert survey.report is not None
    return {"key": survey.key, "title": t._(survey.title),
            "services": survey.has_dimension("service"),
            "drivers": [{"key": key, "label": _short(survey, key, t)}
                        for key in survey.report.drivers]}


def _short(survey: Survey, question_id: str, t: Texts) -> str:
    question = survey.question(question_id)
    return t._(question.short or question.text)
