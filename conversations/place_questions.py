"""Province and district questions: the options on offer and what a typed name means."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from conversations.places import (
    District,
    Province,
    districts_of,
    match_district,
    match_province,
    provinces_sorted_by_name,
)
from conversations.survey import Answers, Question

MatchStatus = Literal["found", "ambiguous", "none"]


@dataclass(frozen=True)
class PlaceOption:
    value: str  # what is stored: a plate code ("06") or a district id ("1757")
    label: str  # the official Turkish name, in every language


def options(question: Question, answers: Answers) -> tuple[PlaceOption, ...]:
    if question.kind == "province":
        return tuple(_province_option(p) for p in provinces_sorted_by_name())
    return tuple(_district_option(d) for d in districts_of(_plate(question, answers)))


def option_for(question: Question, answers: Answers, value: str) -> PlaceOption | None:
    """The option a button carries, or None when the value is not one on offer (forged)."""
    return next((o for o in options(question, answers) if o.value == value), None)


def match_typed(
    question: Question, answers: Answers, text: str
) -> tuple[MatchStatus, tuple[PlaceOption, ...]]:
    if question.kind == "province":
        provinces = match_province(text)
        candidates = tuple(_province_option(p) for p in provinces.candidates)
        best = provinces.best is not None
    else:
        districts = match_district(_plate(question, answers), text)
        candidates = tuple(_district_option(d) for d in districts.candidates)
        best = districts.best is not None
    if best:
        return "found", candidates[:1]
    return ("ambiguous", candidates) if candidates else ("none", ())


def province_name(question: Question, answers: Answers) -> str:
    """For a district question: the name of the province it is asked within."""
    plate = _plate(question, answers)
    return next((p.name for p in provinces_sorted_by_name() if p.plate == plate), plate)


def _plate(question: Question, answers: Answers) -> str:
    # Survey validation makes a district question depend on exactly one province question.
    return answers.get(question.depends_on[0], "")


def _province_option(province: Province) -> PlaceOption:
    return PlaceOption(province.plate, province.name)


def _district_option(district: District) -> PlaceOption:
    return PlaceOption(str(district.district_id), district.name)
