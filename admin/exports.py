"""Rows of the response export: no respondent identifier, spreadsheet formulas neutralised."""

from __future__ import annotations

from collections.abc import AsyncIterator

from conversations.places import province_by_plate
from conversations.survey import Survey
from storage.cell_totals import Filters
from storage.database import Database
from storage.exports import completed_responses

# A cell starting with one of these is run as a formula by spreadsheet programs (CSV
# injection): such cells get a leading apostrophe, which shows the text as typed.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FIXED = ["row", "survey", "completed_on", "province", "province_name", "district", "service",
         "channel", "flagged_automated"]


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def response_rows(
    db: Database, survey: Survey, filters: Filters
) -> tuple[list[str], AsyncIterator[list[str]]]:
    questions = [q.id for q in survey.questions if q.dimension not in ("province", "district")]

    async def rows() -> AsyncIterator[list[str]]:
        number = 0
        async for response in completed_responses(db, filters):
            number += 1
            province = province_by_plate(response.province) if response.province else None
            fixed = [number, survey.key,
                     response.completed_at.date().isoformat() if response.completed_at else "",
                     response.province, province.name if province else "", response.district,
                     response.service, response.channel,
                     "yes" if response.flagged_automated else "no"]
            yield [neutralise(v) for v in fixed] + [
                neutralise(response.answers.get(q)) for q in questions]

    return FIXED + questions, rows()
