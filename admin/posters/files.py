"""The files an administrator hands to a muhtar: poster, QR codes, slip; and the bulk CSV."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from admin.exports import neutralise
from admin.links import CreatedLink
from admin.posters.poster import muhtar_slip_pdf, poster_pdf
from admin.posters.qr import qr_png, qr_svg
from admin.posters.unit_notice import UnitNotice, unit_notice_pdf
from admin.units import CreatedInvitation

LINKS_CSV_COLUMNS = ("id", "label", "province", "district", "mahalle", "service", "survey",
                     "valid_until", "url", "stats_code", "poster")


@dataclass(frozen=True)
class LinkFiles:
    poster: Path
    slip: Path
    qr_png: Path
    qr_svg: Path


def write_link_files(link: CreatedLink, folder: Path) -> LinkFiles:
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"link-{link.id:05d}-{slug(link.spec.label)}"
    files = LinkFiles(poster=folder / f"{stem}-poster.pdf", slip=folder / f"{stem}-muhtar.pdf",
                      qr_png=folder / f"{stem}-qr.png", qr_svg=folder / f"{stem}-qr.svg")
    files.poster.write_bytes(poster_pdf(link, arabic=link.spec.arabic))
    files.slip.write_bytes(muhtar_slip_pdf(link))
    files.qr_png.write_bytes(qr_png(link.url))
    files.qr_svg.write_bytes(qr_svg(link.url))
    return files


def write_links_csv(links: list[tuple[CreatedLink, LinkFiles]], path: Path) -> None:
    """All links of a bulk run, stats codes included: the administrator's copy, to keep safe.
    It is opened in a spreadsheet, so a label or mahalle typed as a formula is neutralised as
    in the exports."""
    with path.open("w", newline="", encoding="utf-8-sig") as out:  # BOM: Excel reads UTF-8
        writer = csv.writer(out)
        writer.writerow(LINKS_CSV_COLUMNS)
        for link, files in links:
            spec = link.spec
            writer.writerow(neutralise(cell) for cell in [
                link.id, spec.label, spec.province.plate,
                spec.district.name if spec.district else "", spec.mahalle or "",
                spec.service or "", spec.survey_key or "",
                spec.valid_until.isoformat() if spec.valid_until else "",
                link.url, link.stats_code, files.poster.name,
            ])


UNITS_CSV_COLUMNS = ("id", "name", "province", "unit", "valid_until", "url", "notice")


@dataclass(frozen=True)
class UnitFiles:
    notice: Path
    qr_png: Path
    qr_svg: Path


def unit_notice(invitation: CreatedInvitation, staff_min_cell: int) -> UnitNotice:
    spec = invitation.spec
    return UnitNotice(spec.label, spec.province.name, invitation.url, staff_min_cell,
                      spec.valid_until)


def write_unit_files(invitation: CreatedInvitation, folder: Path,
                     staff_min_cell: int) -> UnitFiles:
    """The internal notice (kurum içi) and the QR code of a unit's invitation."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"unit-{invitation.id:05d}-{slug(invitation.spec.label)}"
    files = UnitFiles(notice=folder / f"{stem}-notice.pdf", qr_png=folder / f"{stem}-qr.png",
                      qr_svg=folder / f"{stem}-qr.svg")
    files.notice.write_bytes(unit_notice_pdf(unit_notice(invitation, staff_min_cell)))
    files.qr_png.write_bytes(qr_png(invitation.url))
    files.qr_svg.write_bytes(qr_svg(invitation.url))
    return files


def write_units_csv(invitations: list[tuple[CreatedInvitation, UnitFiles]],
                    path: Path) -> None:
    """All invitations of a bulk run (nothing secret in it: no stats code), neutralised for
    spreadsheets as the exports are."""
    with path.open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(UNITS_CSV_COLUMNS)
        for invitation, files in invitations:
            spec = invitation.spec
            writer.writerow(neutralise(cell) for cell in [
                invitation.id, spec.label, spec.province.plate, spec.service or "",
                spec.valid_until.isoformat() if spec.valid_until else "", invitation.url,
                files.notice.name])


_TURKISH_ASCII = str.maketrans("ıİşŞğĞçÇöÖüÜ", "iIsSgGcCoOuU")


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.translate(_TURKISH_ASCII))
    ascii_text = ascii_text.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:40] or "link"
