"""Province and district questions: the options on offer and what a typed name means.

Options carry the place's name in the citizen's language: Arabic speakers see the provinces
by their Arabic names, in Arabic alphabetical order; everyone else, and every district, the
Turkish name on the signs. What is stored is the same for all: the plate or the district id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from conversations.places import (
    District,
    Province,
    arabic_name,
    districts_of,
    match_district,
    match_province,
    province_by_plate,
    provinces_sorted_by_arabic_name,
    provinces_sorted_by_name,
)
from conversations.survey import Answers, Question

MatchStatus = Literal["found", "ambiguous", "none"]

ARABIC = "ar"  # the locale whose speakers see provinces by their Arabic names


@dataclass(frozen=True)
class PlaceOption:
    value: str  # what is stored: a plate code ("06") or a district id ("1757")
    label: str  # the name shown: official Turkish, or a province's Arabic name in Arabic


def options(question: Question, answers: Answers, locale: str) -> tuple[PlaceOption, ...]:
    """Every place on offer, in the order of the buttons."""
    if question.kind == "province":
        ordered = (provinces_sorted_by_arabic_name() if locale == ARABIC
                   else provinces_sorted_by_name())
        return tuple(_province_option(p, locale) for p in ordered)
    return tuple(_district_option(d) for d in districts_of(_plate(question, answers)))


def option_for(question: Question, answers: Answers, value: str,
               locale: str) -> PlaceOption | None:
    """The option a button carries, or None when the value is not one on offer (forged)."""
    return next((o for o in options(question, answers, locale) if o.value == value), None)


def match_typed(
    question: Question, answers: Answers, text: str, locale: str
) -> tuple[MatchStatus, tuple[PlaceOption, ...]]:
    """What a typed name means, in any language: one place, a few to choose from, or none."""
    if question.kind == "province":
        provinces = match_province(text)
        candidates = tuple(_province_option(p, locale) for p in provinces.candidates)
        best = provinces.best is not None
    else:
        districts = match_district(_plate(question, answers), text)
        candidates = tuple(_district_option(d) for d in districts.candidates)
        best = districts.best is not None
    if best:
        return "found", candidates[:1]
    return ("ambiguous", candidates) if candidates else ("none", ())


def province_name(question: Question, answers: Answers, locale: str) -> str:
    """For a district question: the name of the province it is asked within."""
    plate = _plate(question, answers)
    province = province_by_plate(plate)
    return _province_option(province, locale).label if province else plate


def _plate(question: Question, answers: Answers) -> str:
    # Survey validation makes a district question depend on exactly one province question.
    return answers.get(question.depends_on[0], "")


def _province_option(province: Province, locale: str) -> PlaceOption:
    name = arabic_name(province) if locale == ARABIC else province.name
    return PlaceOption(province.plate, name)


def _district_option(district: District) -> PlaceOption:
    return PlaceOption(str(district.district_id), district.name)
