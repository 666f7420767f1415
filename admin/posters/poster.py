"""Printable A4 PDFs for a muhtar's link: the poster for the notice board, and the slip with
the stats code that only the muhtar keeps.

fpdf2 embeds the Noto fonts (subset) so every printer shows İ, ş, ğ and Arabic alike; with
uharfbuzz installed it shapes Arabic (joined letter forms, right to left). The texts come from
the gettext catalogs like every other text of the bot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import cast

from fpdf import FPDF
from fpdf.enums import MethodReturnValue

from admin.links import CreatedLink
from admin.posters.qr import dark_runs
from conversations.i18n import Texts

NAVY = (18, 42, 84)
GREY = (90, 90, 90)
BLACK = (0, 0, 0)
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 210, 297, 18
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
BANNER_HEIGHT = 24
# The code with its quiet zone: as large as the page allows up to this (a QR code across a
# corridor or a coffee house), never so small that an old phone struggles.
QR_LARGEST, QR_SMALLEST = 160, 90
FOOTER_GAP = 8  # between the muhtarlık's name and the small print

# Left-to-right isolate: a command ("/sil") inside Arabic text keeps its slash in front.
# Without it the bidi algorithm puts the slash, a neutral, on the Arabic side: "sil/".
LRI, PDI = "\u2066", "\u2069"
_COMMAND = re.compile(r"/[A-Za-z]+")


@dataclass(frozen=True)
class Line:
    """A centred paragraph of the poster."""

    text: str
    size: float
    bold: bool = False
    arabic: bool = False
    colour: tuple[int, int, int] = BLACK
    gap: float = 2  # space after it, in mm


def _font_dir() -> Path:
    return Path(str(resources.files("admin.posters") / "fonts"))


class Document(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="A4", unit="mm")
        self.set_auto_page_break(False)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_title(title)
        self.set_creator("İZDES")
        fonts = _font_dir()
        self.add_font("NotoSans", "", fonts / "NotoSans-Regular.ttf")
        self.add_font("NotoSans", "B", fonts / "NotoSans-Bold.ttf")
        self.add_font("NotoSansArabic", "", fonts / "NotoSansArabic-Regular.ttf")
        self.add_font("NotoSansArabic", "B", fonts / "NotoSansArabic-Bold.ttf")
        # Arabic letters inside a Latin font's text (and digits, "KVKK" or "/sil" inside
        # Arabic text) fall back to the other font.
        self.set_fallback_fonts(["NotoSans", "NotoSansArabic"])
        self.set_text_shaping(True)
        self.add_page()

    def line_of(self, text: str, size: float, *, bold: bool = False, arabic: bool = False,
                colour: tuple[int, int, int] = BLACK, gap: float = 2) -> None:
        self.write_line(Line(text, size, bold, arabic, colour, gap))

    def write_line(self, line: Line) -> None:
        self._font_for(line)
        self.set_text_color(*line.colour)
        self.multi_cell(TEXT_WIDTH, line.size * 0.5, _readable(line), align="C",
                        new_x="LMARGIN", new_y="NEXT")
        self.ln(line.gap)

    def height_of(self, lines: list[Line]) -> float:
        """How much of the page the lines take, gaps included (measured, not drawn)."""
        total = 0.0
        for line in lines:
            self._font_for(line)
            height = self.multi_cell(TEXT_WIDTH, line.size * 0.5, _readable(line), align="C",
                                     dry_run=True, output=MethodReturnValue.HEIGHT)
            total += cast(float, height) + line.gap
        return total

    def _font_for(self, line: Line) -> None:
        self.set_font("NotoSansArabic" if line.arabic else "NotoSans",
                      "B" if line.bold else "", line.size)

    def banner(self, text: str, colour: tuple[int, int, int] = NAVY) -> None:
        self.set_fill_color(*colour)
        self.rect(0, 0, PAGE_WIDTH, BANNER_HEIGHT, style="F")
        self.set_xy(MARGIN, 7)
        self.set_font("NotoSans", "B", 16)
        self.set_text_color(255, 255, 255)
        self.cell(TEXT_WIDTH, 10, text, align="C")
        self.set_xy(MARGIN, BANNER_HEIGHT + 8)

    def qr(self, url: str, size_mm: float) -> None:
        modules, runs = dark_runs(url)
        module = size_mm / (modules + 8)  # the quiet zone of four modules on each side
        left = (PAGE_WIDTH - size_mm) / 2 + 4 * module
        top = self.get_y() + 4 * module
        self.set_fill_color(0, 0, 0)
        for row, column, length in runs:
            self.rect(left + column * module, top + row * module, length * module, module,
                      style="F")
        self.set_y(self.get_y() + size_mm + 2)


@dataclass(frozen=True)
class PosterTexts:
    head: list[Line]  # above the code: what the survey is
    below: list[Line]  # under it: how to open it, the link, whose poster it is
    foot: list[Line]  # the small print at the bottom of the page


def poster_pdf(link: CreatedLink, arabic: bool = False) -> bytes:
    """The notice-board poster: what the survey is for, the QR code, the link, privacy."""
    document = Document(f"İZDES – {link.spec.label}")
    document.banner("İZDES · " + Texts("tr")._("Public service satisfaction survey"))
    lay_out(document, _poster_texts(link, arabic), link.url)
    return bytes(document.output())


def _poster_texts(link: CreatedLink, arabic: bool) -> PosterTexts:
    """Each block in Turkish and, on a bilingual poster, in Arabic right under it: a Syrian
    neighbour reads what the survey is, how to open it and what is kept, like a Turk."""
    tr = Texts("tr")
    texts = PosterTexts(
        head=[Line(tr._("How was the public service you received?"), 26, bold=True,
                   colour=NAVY),
              Line(_purpose(tr), 13),
              Line(tr._("About two minutes · your name is not asked"), 16, bold=True, gap=4)],
        below=[Line(tr._("Scan with your phone's camera, or open:"), 12, colour=GREY,
                    gap=0.5)],
        foot=[Line(_privacy(tr), 8.5, colour=GREY, gap=1)])
    if arabic:
        ar = Texts("ar")
        texts.head.extend([
            Line(ar._("How was the public service you received?"), 20, bold=True,
                 arabic=True, colour=NAVY),
            Line(_purpose(ar), 11.5, arabic=True),
            Line(ar._("About two minutes · your name is not asked"), 13, bold=True, arabic=True)])
        texts.below.append(Line(ar._("Scan with your phone's camera, or open:"), 12,
                                arabic=True, colour=GREY, gap=0.5))
        texts.foot.append(Line(_privacy(ar), 8.5, arabic=True, colour=GREY, gap=0))
    texts.below.extend([
        Line(link.url, 12, bold=True, gap=3),
        Line(f"{link.spec.label} · {link.spec.place}", 14, bold=True, colour=NAVY, gap=0)])
    return texts


def lay_out(document: Document, texts: PosterTexts, url: str) -> None:
    """The code takes the height the texts leave (within its limits), and what is left over
    is shared evenly above the code, below it and above the small print: the page has no
    empty band, whatever the language and however long the mahalle's name."""
    top, bottom = document.get_y(), PAGE_HEIGHT - MARGIN
    foot_height = document.height_of(texts.foot)
    room = (bottom - top - FOOTER_GAP - foot_height
            - document.height_of(texts.head) - document.height_of(texts.below))
    qr_size = max(QR_SMALLEST, min(QR_LARGEST, room))
    spare = max(0.0, room - qr_size) / 3
    for line in texts.head:
        document.write_line(line)
    document.set_y(document.get_y() + spare)
    document.qr(url, qr_size)
    document.set_y(document.get_y() + spare)
    for line in texts.below:
        document.write_line(line)
    document.set_y(bottom - foot_height)
    for line in texts.foot:
        document.write_line(line)


def muhtar_slip_pdf(link: CreatedLink) -> bytes:
    """The muhtar's own page: the stats code that shows how far the link reached."""
    tr = Texts("tr")
    document = Document(f"İZDES – {link.spec.label} – " + tr._("for the muhtar"))
    document.banner("İZDES · " + tr._("For the muhtar only: do not post"))
    document.line_of(link.spec.label, 20, bold=True, colour=NAVY)
    document.line_of(link.spec.place, 13, gap=8)
    document.line_of(tr._("Your stats code"), 14, colour=GREY, gap=0)
    document.line_of(link.stats_code, 30, bold=True, gap=6)
    document.line_of(tr._(
        "To see how many people your link reached, send this to the bot in Telegram:"), 12)
    document.line_of(f"/istatistik {link.stats_code}", 15, bold=True, gap=6)
    document.line_of(tr._(
        "You will see how many people opened the link, agreed to take part and completed "
        "the survey, month by month and roughly: fewer than ten is shown as such. Nobody, "
        "you included, can see what a person answered."), 11, gap=6)
    document.line_of(tr._("Your link for WhatsApp groups and messages:"), 11, colour=GREY,
                     gap=0)
    document.line_of(link.url, 12, bold=True, gap=6)
    if link.spec.valid_until:
        document.line_of(tr._("The link works until {date}.").format(
            date=tr.date(link.spec.valid_until)), 11)
    return bytes(document.output())


def _readable(line: Line) -> str:
    """The text as the PDF must shape it: commands isolated left to right in Arabic."""
    return _COMMAND.sub(lambda m: f"{LRI}{m.group()}{PDI}", line.text) if line.arabic \
        else line.text


def _purpose(t: Texts) -> str:
    return t._(
        "The Ministry of Interior asks citizens how satisfied they are with police, "
        "gendarmerie, traffic, 112, civil registry and migration services, so that the "
        "services in your province improve.")


def _privacy(t: Texts) -> str:
    return t._(
        "We never ask for your name, phone number or identity number. Answers are used only "
        "for statistics (KVKK, Law No. 6698). In the bot, /sil erases everything linked "
        "to you.")
