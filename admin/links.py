"""Creating muhtars' links: checking what an administrator asked for, one link or a CSV of them.

Every row is checked before anything is written, so a bulk file with a typo in row 140
creates nothing and says which rows to fix.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from conversations.links import new_payload, new_stats_code, stats_code_digest
from conversations.places import (
    District,
    Province,
    district_by_id,
    match_district,
    match_province,
)
from conversations.survey import DEFAULT_SURVEY, Survey
from storage.database import Database
from storage.links import NewLink, create_link, turkish_day

# The bulk CSV: one row per muhtarlık. Only province is required (plate code or name).
CSV_COLUMNS = ("province", "district", "mahalle", "label", "service", "survey", "valid_until",
               "arabic")
CSV_TEMPLATE = (
    ",".join(CSV_COLUMNS) + "\n"
    "34,Kadıköy,Caferağa,Caferağa Muhtarlığı,,,2027-03-31,no\n"
    "Gaziantep,Şahinbey,Karataş,Karataş Muhtarlığı,goc,,,yes\n"
)


class LinkSpecError(ValueError):
    """What is wrong with a requested link, in words an administrator can act on."""


@dataclass(frozen=True)
class LinkSpec:
    """A link as asked for, checked: the place exists, the service is one the survey asks."""

    province: Province
    district: District | None
    mahalle: str | None
    label: str
    service: str | None
    survey_key: str | None
    valid_until: date | None
    arabic: bool = False

    @property
    def place(self) -> str:
        parts = [self.mahalle, self.district.name if self.district else None,
                 self.province.name]
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class CreatedLink:
    id: int
    spec: LinkSpec
    payload: str
    stats_code: str  # shown once, on the muhtar's slip and in the bulk CSV; only its digest is kept
    url: str


def check_spec(
    province: str, district: str | None = None, mahalle: str | None = None,
    label: str | None = None, service: str | None = None, survey: str | None = None,
    valid_until: str | date | None = None, arabic: bool = False, *,
    surveys: Mapping[str, Survey], invitation: bool = False,
) -> LinkSpec:
    found_province = _province(province)
    found_district = _district(found_province, district) if district else None
    survey_key = (survey or "").strip() or None
    if survey_key and survey_key not in surveys:
        raise LinkSpecError(f"unknown survey {survey_key!r} (known: {', '.join(surveys)})")
    if survey_key and surveys[survey_key].invitation_only and not invitation:
        # A muhtar's link has a poster for the public and a stats code with its counts.
        raise LinkSpecError(f"the {survey_key} survey is opened by units' invitations: "
                            "izdes units create")
    service = (service or "").strip() or None
    if service:
        _check_service(surveys[survey_key or DEFAULT_SURVEY], service)
    mahalle = " ".join((mahalle or "").split()) or None
    if mahalle and len(mahalle) > 100:
        raise LinkSpecError("mahalle: at most 100 characters")
    spec_label = " ".join((label or "").split()) or (
        f"{mahalle} Muhtarlığı" if mahalle else None)
    return LinkSpec(
        province=found_province, district=found_district, mahalle=mahalle,
        label=(spec_label or _place_name(found_province, found_district))[:200],
        service=service, survey_key=survey_key, valid_until=_date(valid_until),
        arabic=arabic,
    )


def parse_csv(text: str, surveys: Mapping[str, Survey]) -> list[LinkSpec]:
    """Every row checked; a LinkSpecError lists each bad row by its line number."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))  # Excel writes a BOM
    unknown = [c for c in reader.fieldnames or () if c and c.strip() not in CSV_COLUMNS]
    if not reader.fieldnames or "province" not in reader.fieldnames or unknown:
        raise LinkSpecError(
            f"the first line must name the columns: {','.join(CSV_COLUMNS)} "
            f"(province is required{'; unknown: ' + ', '.join(unknown) if unknown else ''})")
    specs, problems = [], []
    for row in reader:
        cells = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        try:
            specs.append(check_spec(
                cells["province"], cells.get("district"), cells.get("mahalle"),
                cells.get("label"), cells.get("service"), cells.get("survey"),
                cells.get("valid_until"), _yes(cells.get("arabic", "")), surveys=surveys))
        except LinkSpecError as problem:
            problems.append(f"line {reader.line_num}: {problem}")
    if problems:
        raise LinkSpecError("\n".join(problems))
    if not specs:
        raise LinkSpecError("the file holds no links")
    return specs


async def create_links(db: Database, specs: list[LinkSpec], bot_username: str
                       ) -> list[CreatedLink]:
    """All the links or none: a failure half way must not leave links whose stats codes were
    never printed (the codes are shown only now)."""
    created = []
    async with db.transaction() as session:
        for spec in specs:
            payload, stats_code = new_payload(), new_stats_code()
            link_id = await create_link(session, NewLink(
                payload=payload, stats_digest=stats_code_digest(stats_code),
                label=spec.label, province=spec.province.plate,
                district=str(spec.district.district_id) if spec.district else None,
                mahalle=spec.mahalle, service=spec.service, survey_key=spec.survey_key,
                valid_until=spec.valid_until,
            ))
            created.append(CreatedLink(link_id, spec, payload, stats_code,
                                        deep_link(bot_username, payload)))
    return created


def deep_link(bot_username: str, payload: str) -> str:
    return f"https://t.me/{bot_username.lstrip('@')}?start={payload}"


def district_name(district_id: str | None) -> str | None:
    district = district_by_id(district_id) if district_id else None
    return district.name if district else None


def _province(text: str) -> Province:
    found = match_province(text or "")
    if found.status == "exact" and found.best:
        return found.best
    if found.status == "fuzzy" and found.best:
        raise LinkSpecError(f"province {text!r}: did you mean {found.best.name}?")
    if found.status == "ambiguous":
        names = ", ".join(p.name for p in found.candidates)
        raise LinkSpecError(f"province {text!r} is ambiguous: {names}")
    raise LinkSpecError(f"no province {text!r} (give a plate code 1-81 or the name)")


def _district(province: Province, text: str) -> District:
    found = match_district(province.plate, text)
    if found.status == "exact" and found.best:
        return found.best
    if found.status == "fuzzy" and found.best:
        raise LinkSpecError(f"district {text!r}: did you mean {found.best.name}?")
    if found.status == "ambiguous":
        names = ", ".join(d.name for d in found.candidates)
        raise LinkSpecError(f"district {text!r} in {province.name} is ambiguous: {names}")
    raise LinkSpecError(f"no district {text!r} in {province.name}")


def _check_service(survey: Survey, service: str) -> None:
    question = next((q for q in survey.questions if q.dimension == "service"), None)
    if question is None:
        raise LinkSpecError(f"survey {survey.key!r} asks no service question")
    if question.choice(service) is None:
        known = ", ".join(c.value for c in question.choices)
        raise LinkSpecError(f"unknown service {service!r} (known: {known})")


def _date(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    if not value.strip():
        return None
    try:
        last_day = date.fromisoformat(value.strip())
    except ValueError as error:
        raise LinkSpecError(f"valid_until {value!r}: write the date as YYYY-MM-DD") from error
    if last_day < turkish_day(datetime.now(UTC)):
        raise LinkSpecError(f"valid_until {value}: the day has passed")
    return last_day


def _yes(value: str) -> bool:
    return value.strip().casefold() in ("yes", "y", "evet", "e", "1", "true", "ar")


def _place_name(province: Province, district: District | None) -> str:
    return f"{district.name}, {province.name}" if district else province.name

