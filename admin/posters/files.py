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


_TURKISH_ASCII = str.maketrans("ıİşŞğĞçÇöÖüÜ", "iIsSgGcCoOuU")


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.translate(_TURKISH_ASCII))
    ascii_text = ascii_text.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:40] or "link"
