"""Responses row by row, for microdata tokens only (named, with a recorded purpose, every
download audited), and even then coarsened (docs/statistics.md):

- the period is whole and has ended, and a row carries its month, not its time;
- a district with fewer than ``min_cell`` respondents in the period is left blank (the
  province stays);
- rows come in an order drawn afresh for each download, not the order they came in;
- comments are in a file of their own, ordered by their text, not linked to the answers;
- responses flagged as automated are left out, as in every published figure.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from datetime import datetime

from admin.exports import neutralise
from admin.publish import filters_of
from conversations.places import district_by_id, province_by_plate
from conversations.survey import Survey
from stats import periods
from storage import comments
from storage.database import Database
from storage.exports import (
    SHUFFLE_PRIME,
    ExportedResponse,
    completed_responses,
)

FIXED = ["row", "survey", "month", "province", "province_name", "district", "district_name",
         "service", "channel"]


def answer_columns(survey: Survey) -> list[str]:
    """Every question but those in FIXED (place, service, channel), free text and context
    (never stored)."""
    taken = {"province", "district", "service", "channel"}
    return [q.id for q in survey.questions
            if q.kind not in ("text", "context") and q.id not in FIXED
            and q.dimension not in taken]


async def response_rows(db: Database, survey: Survey, period: str, min_cell: int
                        ) -> tuple[list[str], AsyncIterator[list]]:
    """The header and the rows (numbers as numbers, text neutralised for spreadsheets)."""
    filters = filters_of(survey, period)
    questions = answer_columns(survey)

    async def rows() -> AsyncIterator[list]:
        number = 0
        shuffle = secrets.randbelow(SHUFFLE_PRIME - 1) + 1
        async with db.transaction() as session:
            async for response in completed_responses(session, filters, shuffle):
                number += 1
                yield [_cell(v) for v in _fixed(survey, number, response, min_cell)] + [
                    _cell(response.answers.get(q)) for q in questions]

    return FIXED + questions, rows()


def _fixed(survey: Survey, number: int, response: ExportedResponse, min_cell: int) -> list:
    """The columns every survey has; a district with fewer than min_cell responses in the
    period is left out (its province stays)."""
    province = province_by_plate(response.province) if response.province else None
    district = None if response.in_district < min_cell else response.district
    named = district_by_id(district) if district else None
    return [number, survey.key, _month(response.completed_at), response.province,
            province.name if province else None, district, named.name if named else None,
            response.service, response.channel]


async def comment_rows(db: Database, survey: Survey, period: str) -> list[list]:
    """The period's comments, one a row, in the order of their text: no province, service or
    time to tie one to the responses file."""
    questions = [q.id for q in survey.questions if q.kind == "text"]
    filters = filters_of(survey, period)
    async with db.transaction() as session:
        texts = await comments.all_texts(session, survey.key, questions, filters.date_from,
                                         filters.date_to)
    return [[period, neutralise(text)] for text in texts]


def _month(moment: datetime | None) -> str | None:
    return periods.month_of(moment) if moment else None


def _cell(value: object) -> object:
    """A number stays a number; text is neutralised (a leading = + - @ is not a formula)."""
    if value is None or isinstance(value, int):
        return value
    text = str(value)
    return int(text) if text.isascii() and text.isdigit() else neutralise(text)
