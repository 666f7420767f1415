"""Printable A4 PDFs for a muhtar's link: the poster for the notice board, and the slip with
the stats code that only the muhtar keeps.

fpdf2 embeds the Noto fonts (subset) so every printer shows İ, ş, ğ and Arabic alike; with
uharfbuzz installed it shapes Arabic (joined letter forms, right to left). The texts come from
the gettext catalogs like every other text of the bot.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fpdf import FPDF

from admin.links import CreatedLink
from admin.posters.qr import dark_runs
from conversations.i18n import Texts

NAVY = (18, 42, 84)
GREY = (90, 90, 90)
PAGE_WIDTH, MARGIN = 210, 18
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN


def _font_dir() -> Path:
    return Path(str(resources.files("admin.posters") / "fonts"))


class _Document(FPDF):
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
                colour: tuple[int, int, int] = (0, 0, 0), gap: float = 2) -> None:
        self.set_font("NotoSansArabic" if arabic else "NotoSans", "B" if bold else "", size)
        self.set_text_color(*colour)
        self.multi_cell(TEXT_WIDTH, size * 0.5, text, align="C",
                        new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)

    def banner(self, text: str) -> None:
        self.set_fill_color(*NAVY)
        self.rect(0, 0, PAGE_WIDTH, 24, style="F")
        self.set_xy(MARGIN, 7)
        self.set_font("NotoSans", "B", 16)
        self.set_text_color(255, 255, 255)
        self.cell(TEXT_WIDTH, 10, text, align="C")
        self.set_xy(MARGIN, 32)

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


def poster_pdf(link: CreatedLink, arabic: bool = False) -> bytes:
    """The notice-board poster: what the survey is for, the QR code, the link, privacy."""
    tr = Texts("tr")
    document = _Document(f"İZDES – {link.spec.label}")
    document.banner("İZDES · " + tr._("Public service satisfaction survey"))
    document.line_of(tr._("How was the public service you received?"), 26, bold=True,
                     colour=NAVY)
    document.line_of(_purpose(tr), 13)
    document.line_of(tr._("About two minutes · anonymous"), 16, bold=True, gap=4)
    document.qr(link.url, 95 if arabic else 120)
    document.line_of(tr._("Scan with your phone's camera, or open:"), 11, colour=GREY, gap=0)
    document.line_of(link.url, 11, bold=True, gap=3)
    document.line_of(f"{link.spec.label} · {link.spec.place}", 12, bold=True, colour=NAVY)
    if arabic:
        ar = Texts("ar")
        document.ln(2)
        document.line_of(ar._("How was the public service you received?"), 18, bold=True,
                         arabic=True, colour=NAVY)
        document.line_of(_purpose(ar), 11, arabic=True)
        document.line_of(ar._("About two minutes · anonymous"), 12, bold=True, arabic=True)
    document.set_y(297 - MARGIN - (22 if arabic else 14))
    document.line_of(_privacy(tr), 8.5, colour=GREY, gap=1)
    if arabic:
        document.line_of(_privacy(Texts("ar")), 8.5, arabic=True, colour=GREY, gap=0)
    return bytes(document.output())


def muhtar_slip_pdf(link: CreatedLink) -> bytes:
    """The muhtar's own page: the stats code that shows how far the link reached."""
    tr = Texts("tr")
    document = _Document(f"İZDES – {link.spec.label} – " + tr._("for the muhtar"))
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
        "the survey, month by month and roughly: fewer than ten is shown as such. Answers "
        "are anonymous: nobody, you included, can see what a person answered."), 11, gap=6)
    document.line_of(tr._("Your link for WhatsApp groups and messages:"), 11, colour=GREY,
                     gap=0)
    document.line_of(link.url, 12, bold=True, gap=6)
    if link.spec.valid_until:
        document.line_of(tr._("The link works until {date}.").format(
            date=tr.date(link.spec.valid_until)), 11)
    return bytes(document.output())


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
