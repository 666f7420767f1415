"""The internal notice for a unit's staff (İZDES1): an A4 page with the QR code of the unit's
invitation, marked "kurum içi", for the unit's own channels (its staff board, e-mail,
messaging group) rather than a public notice board. Turkish only: it is read by the staff of
Turkish public offices. No stats code: how many of a unit's staff answered is shown nowhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from admin.posters.poster import GREY, NAVY, Document, Line, PosterTexts, lay_out
from conversations.i18n import Texts

INTERNAL = (128, 20, 30)  # a dark red banner: not the citizens' navy poster


@dataclass(frozen=True)
class UnitNotice:
    """What the notice names: the unit as its staff know it, its province, and its link."""

    label: str
    province_name: str
    url: str
    staff_min_cell: int
    valid_until: date | None = None


def unit_notice_pdf(notice: UnitNotice) -> bytes:
    tr = Texts("tr")
    document = Document(f"İZDES – {notice.label} – " + tr._("internal"))
    document.banner("İZDES · " + tr._("INTERNAL: for the unit's staff only"), INTERNAL)
    lay_out(document, _texts(tr, notice), notice.url)
    return bytes(document.output())


def _texts(t: Texts, notice: UnitNotice) -> PosterTexts:
    below = [Line(t._("Scan with your phone's camera, or open:"), 12, colour=GREY, gap=0.5),
             Line(notice.url, 12, bold=True, gap=3),
             Line(f"{notice.label} · {notice.province_name}", 14, bold=True, colour=NAVY,
                  gap=1)]
    if notice.valid_until:
        below.append(Line(t._("The link works until {date}.").format(
            date=t.date(notice.valid_until)), 10, colour=GREY, gap=0))
    return PosterTexts(
        head=[Line(t._("What does your unit need?"), 26, bold=True, colour=NAVY),
              Line(t._(
                  "The Ministry of Interior asks the staff of provincial units what their "
                  "unit lacks in personnel, equipment and working conditions, and what they "
                  "propose, so that the centre can act on it."), 13),
              Line(t._("About three minutes · your name is not asked · your superiors see "
                       "no one's answers"), 13, bold=True, gap=2),
              Line(t._("Internal notice: share it within the unit (its staff board, e-mail "
                       "or messaging group), not on a public notice board."), 11,
                   colour=INTERNAL, gap=4)],
        below=below,
        foot=[Line(t._(
            "Answers are seen only as figures for at least {count} staff of the same kind of "
            "unit in a province, by quarter; nobody, your superiors included, can see one "
            "person's answers (KVKK, Law No. 6698). In the bot, /sil erases everything "
            "linked to you.").format(count=t.number(notice.staff_min_cell)), 8.5,
            colour=GREY, gap=0)])
