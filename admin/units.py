"""Units' invitations (İZDES1): a link of the staff survey for one unit of a province, checked
like a muhtar's link (admin.links) and stored with them, one at a time or from a CSV.

The link fixes the kind of unit (the staff survey's service question) and the province, so
its staff never type either. Unlike a muhtar's link it has no stats code to print and its
reach is shown nowhere: how many of one unit's staff opened or answered would be a figure of
a few people outside the disclosure control.
"""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from admin.links import LinkSpec, LinkSpecError, check_spec, deep_link
from conversations.links import NewLink, new_payload
from conversations.places import province_by_plate
from conversations.survey import Survey
from storage.database import Database
from storage.links import LinkSummary, create_link, invited_unit

UNIT_CSV_COLUMNS = ("province", "unit", "name", "valid_until")
UNIT_CSV_TEMPLATE = (
    ",".join(UNIT_CSV_COLUMNS) + "\n"
    "34,emniyet,Kadıköy İlçe Emniyet Müdürlüğü,\n"
    "Ankara,nufus,Çankaya İlçe Nüfus Müdürlüğü,2027-12-31\n"
)


def staff_survey(surveys: Mapping[str, Survey]) -> Survey:
    """The survey units' invitations open: the one that opens only with an invitation."""
    found = [s for s in surveys.values() if s.invitation_only]
    if len(found) != 1:
        raise LinkSpecError("no single invitation-only survey to invite units to "
                            f"(found: {', '.join(s.key for s in found) or 'none'})")
    return found[0]


def unit_kinds(surveys: Mapping[str, Survey]) -> list[str]:
    """The kinds of unit an invitation may name (the staff survey's service values)."""
    return [c.value for c in staff_survey(surveys).question("service").choices]


def check_unit(province: str, unit: str | None, name: str | None,
               valid_until: str | date | None = None, *,
               surveys: Mapping[str, Survey]) -> LinkSpec:
    """An invitation as asked for, checked: the province exists, the kind of unit is one
    the staff survey knows, and the unit is named as its staff know it."""
    survey = staff_survey(surveys)
    unit = (unit or "").strip()
    if unit not in unit_kinds(surveys):
        raise LinkSpecError(f"unit {unit!r}: give one of {', '.join(unit_kinds(surveys))}")
    name = " ".join((name or "").split())
    if not name:
        raise LinkSpecError('name: the unit as its staff know it, e.g. "Kadıköy İlçe Emniyet '
                            'Müdürlüğü"')
    if len(name) > 200:
        raise LinkSpecError("name: at most 200 characters")
    return check_spec(province, label=name, service=unit, survey=survey.key,
                      valid_until=valid_until, surveys=surveys, invitation=True)


def parse_units_csv(text: str, surveys: Mapping[str, Survey]) -> list[LinkSpec]:
    """Every row checked; a LinkSpecError lists each bad row by its line number."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))  # Excel writes a BOM
    named = [c.strip() for c in reader.fieldnames or () if c]
    unknown = [c for c in named if c not in UNIT_CSV_COLUMNS]
    if not {"province", "unit", "name"} <= set(named) or unknown:
        raise LinkSpecError(
            f"the first line must name the columns: {','.join(UNIT_CSV_COLUMNS)} "
            f"(province, unit and name are required"
            f"{'; unknown: ' + ', '.join(unknown) if unknown else ''})")
    specs, problems = [], []
    for row in reader:
        cells = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        try:
            specs.append(check_unit(cells["province"], cells["unit"], cells["name"],
                                    cells.get("valid_until"), surveys=surveys))
        except LinkSpecError as problem:
            problems.append(f"line {reader.line_num}: {problem}")
    if problems:
        raise LinkSpecError("\n".join(problems))
    if not specs:
        raise LinkSpecError("the file holds no units")
    return specs


@dataclass(frozen=True)
class CreatedInvitation:
    id: int
    spec: LinkSpec
    url: str


def no_stats_code() -> str:
    """What an invitation keeps where a muhtar's link keeps its stats code's digest: not
    hexadecimal, so no code typed anywhere (/istatistik in the bot or on the web) matches."""
    return "none:" + secrets.token_hex(29)


async def create_invitations(db: Database, specs: list[LinkSpec], bot_username: str
                             ) -> list[CreatedInvitation]:
    """All the invitations or none (one transaction)."""
    created = []
    async with db.transaction() as session:
        for spec in specs:
            # One unit, one invitation: its staff's figures are hidden where one unit
            # dominates a cell, which a unit under several links would get round.
            existing = await invited_unit(session, spec.survey_key, spec.province.plate,
                                          spec.service, spec.label)
            if existing is not None:
                raise LinkSpecError(f"{spec.label}: this unit already has an invitation "
                                    f"(id {existing}); share that one, or disable it first")
            payload = new_payload()
            link_id = await create_link(session, NewLink(
                payload=payload, stats_digest=no_stats_code(), label=spec.label,
                province=spec.province.plate, service=spec.service,
                survey_key=spec.survey_key, valid_until=spec.valid_until))
            created.append(CreatedInvitation(link_id, spec, deep_link(bot_username, payload)))
    return created


@dataclass(frozen=True)
class Invitation:
    """A unit's invitation as an administrator lists it: no count of any kind."""

    id: int
    label: str
    province: str
    province_name: str
    unit: str
    url: str
    valid_until: date | None
    disabled: bool

    def as_json(self) -> dict:
        return {"id": self.id, "name": self.label, "province": self.province,
                "province_name": self.province_name, "unit": self.unit, "url": self.url,
                "valid_until": self.valid_until.isoformat() if self.valid_until else None,
                "disabled": self.disabled}


def invitations(links: list[LinkSummary], surveys: Mapping[str, Survey],
                bot_username: str) -> list[Invitation]:
    """The units' invitations among stored links (those of the staff survey)."""
    key = staff_survey(surveys).key
    return [Invitation(link.id, link.label, link.province,
                       province_by_plate(link.province).name, link.service or "",
                       deep_link(bot_username, link.payload), link.valid_until,
                       link.disabled_at is not None)
            for link in links if link.survey_key == key]
