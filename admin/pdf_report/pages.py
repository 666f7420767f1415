"""The report laid out on A4 in Turkish: the title block, the headline figures by service,
the map of the provinces (national report), the trend, the drivers and the key drivers, the
significant changes, a sample of published comments, the findings and how the figures were
made. Fonts, embedding and
shaping as on the posters (admin.posters.poster)."""

from __future__ import annotations

from fpdf.fonts import FontFace

from admin.pdf_report.content import ReportContent
from admin.pdf_report.drawings import (
    CLASSES,
    HIDDEN,
    NO_FIGURE,
    Colour,
    draw_map,
    draw_trend,
    map_height,
    share_colour,
)
from admin.posters.poster import GREY, MARGIN, NAVY, TEXT_WIDTH, Document
from admin.report import service_label
from conversations.i18n import Texts
from conversations.places import province_by_plate

VERDICT = {"better": "iyileşme", "worse": "kötüleşme"}
STATUS = {"open": "açık", "action_taken": "önlem alındı", "re_evaluated": "yeniden "
          "değerlendirildi", "closed": "kapatıldı"}
RE_EVALUATION = {"improved": "iyileşti", "no_measurable_change": "ölçülebilir değişim yok",
                 "worse": "kötüleşti", "not_enough_answers": "yanıt yetersiz"}
METHOD = (
    "Rakamlar, dönem bittikten sonra yayımlanan (ifşa denetiminden geçmiş) hücrelerden "
    "alınmıştır; API'nin sunduğu rakamların aynısıdır. Ortalama 1-5 ölçeğinde genel "
    "memnuniyettir; memnun payı 4 veya 5 verenlerin oranıdır. Aralıklar yalnızca "
    "göstergedir: yanıtlayanlar afiş ve bağlantılarla gönüllü olarak katılır, rastgele "
    "seçilmiş bir örneklem değildir; %95 aralığı rakamın yalnızca bu kişiler arasındaki "
    "kesinliğini gösterir. İfşa denetimi: {min_cell} kişiden az yanıtı olan bir hücre ve "
    "başka hücrelerden çıkarılabilecek hücreler gizlenir, rakamı verilmez. Değişimler bir "
    "önceki dönemle karşılaştırılır; yalnızca Benjamini-Hochberg yöntemiyle %5 yanlış keşif "
    "oranında anlamlı bulunan iyileşme ve kötüleşmeler gösterilir. Öncelikli etkenler, "
    "her etkenin puanıyla genel memnuniyet arasındaki ilişkidir (Pearson r, iki soruyu da "
    "yanıtlayanlar arasında); yalnızca yayımlanan hücrelerde verilir. Yorum örnekleri "
    "yalnızca rakamı yayımlanan il ve hizmet hücrelerinden, yazıldıkları sıraya göre değil "
    "metin sırasıyla alınır; içlerindeki telefon ve kimlik numarası gibi kişisel veriler "
    "kaydedilmeden önce yer tutucuyla değiştirilir.")
# The minus sign: the embedded Noto Sans has no U+2212, and its en dash is the typographic
# stand-in (as wide as a digit nearly, unlike the short hyphen). Ranges are written "a ile b",
# so a dash in a figure is always a minus.
MINUS = "\u2013"
HIDDEN_MARK = "gizli*"
# Why a cell is hidden is not said cell by cell: that alone would tell whether it had fewer
# respondents than the smallest cell.
HIDDEN_NOTE = (
    "* gizli: rakamı verilmez; ya {min_cell} kişiden az yanıtı vardır ya da rakamı, başka "
    "bir gizli hücrenin rakamı ondan çıkarılamasın diye saklanmıştır (ikincil gizleme).")
# A staff report's cells are hidden for one reason more (largest_unit_share).
ONE_UNIT_NOTE = (" Personel rakamlarında bir hücre, yanıtların çoğu tek bir birimden "
                 "geldiğinde de gizlenir: tek birimin rakamı hiçbir yerde gösterilmez.")
NO_COMMENTS = "Bu dönem yayımlanabilir yorum yok"
COMMENTS_LEFT_OUT = ("Vatandaş yorumları Telegram ile gönderilen bu kopyada yer almaz; "
                     "panelden indirilen raporda ve panelde okunabilir.")
HEADING_ROOM = 30  # mm: the heading, a line and a table's first rows
TREND_ROOM = 44  # mm: the trend's chart with its labels


class ReportDocument(Document):
    """A multi-page document: the poster's fonts, pages that break by themselves, numbered."""

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.set_auto_page_break(True, margin=MARGIN)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("NotoSans", "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 6, f"İZDES · {self.page_no()}", align="C")

    def heading(self, text: str) -> None:
        self.fits(HEADING_ROOM)  # a heading is not left alone at the foot of a page
        self.ln(4)
        self.set_font("NotoSans", "B", 13)
        self.set_text_color(*NAVY)
        self.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)

    def paragraph(self, text: str, size: float = 9.5) -> None:
        self.set_font("NotoSans", "", size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")

    def grid(self, headers: list[str], body: list[list[str]],
             widths: tuple[int, ...] | None = None) -> None:
        # Rows striped in a light grey: the banner's navy must not carry over into the cells.
        self.set_fill_color(255, 255, 255)
        heading_size = self._heading_size(headers, widths)
        self.set_font("NotoSans", "", 8.5)
        with self.table(headings_style=_bold(heading_size), line_height=5, text_align="LEFT",
                        cell_fill_color=(244, 246, 250), cell_fill_mode="ROWS",
                        col_widths=widths) as table:
            for values in [headers, *body]:
                row = table.row()
                for value in values:
                    row.cell(value)

    def _heading_size(self, headers: list[str], widths: tuple[int, ...] | None) -> float:
        """The largest size (8.5 pt at most) at which no heading's word is broken in two
        ("Bilgilendirm/e"): words wrap between them, never inside."""
        shares = widths or tuple(1 for _ in headers)
        columns = [TEXT_WIDTH * share / sum(shares) - 2.5 for share in shares]  # padding
        size = 8.5
        while size > 6:
            self.set_font("NotoSans", "B", size)
            if all(self.get_string_width(word) <= column
                   for header, column in zip(headers, columns, strict=True)
                   for word in header.split()):
                break
            size -= 0.5
        return size

    def fits(self, height: float) -> None:
        """A new page unless ``height`` mm fit on this one (a drawing is not cut in two)."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()


def _bold(size: float = 8.5) -> FontFace:
    return FontFace(emphasis="BOLD", fill_color=(225, 230, 240), size_pt=size)


def report_pdf(content: ReportContent) -> bytes:
    """The whole report as PDF bytes."""
    t = Texts("tr")
    document = ReportDocument(f"İZDES – {content.scope} – {content.period}")
    document.banner("İZDES · Vatandaş memnuniyeti raporu")
    _title(document, content, t)
    _headline(document, content, t)
    if content.provinces is not None:
        _map(document, content, t)
    _trend(document, content, t)
    _drivers(document, content, t)
    _key_drivers(document, content, t)
    _changes(document, content, t)
    _comments(document, content, t)
    _findings(document, content, t)
    document.heading("Rakamlar nasıl üretildi")
    document.paragraph(METHOD.format(min_cell=content.min_cell))
    return bytes(document.output())


def _title(document: ReportDocument, content: ReportContent, t: Texts) -> None:
    document.line_of(content.scope, 22, bold=True, colour=NAVY)
    document.line_of(f"Dönem: {content.period}", 13)
    document.line_of(f"Hazırlanma tarihi: {t.date(content.made)}", 10, colour=GREY, gap=4)


def _hidden_note(document: ReportDocument, content: ReportContent) -> None:
    one_unit = content.survey.report is not None and bool(
        content.survey.report.largest_unit_share)
    document.paragraph(HIDDEN_NOTE.format(min_cell=content.min_cell)
                       + (ONE_UNIT_NOTE if one_unit else ""), size=8)


def _service(content: ReportContent, t: Texts, row: dict) -> str:
    value = row.get("service")
    return "Tüm hizmetler" if not value else service_label(content.survey, t, value)


def _interval(t: Texts, bounds: list[float] | None, share: bool = False) -> str:
    """"2,44 ile 3,65", the lower bound first; "−2,86 ile −2,14" with true minus signs."""
    if not bounds:
        return "-"
    low, high = sorted(bounds)
    return f"{_value(t, low, share)} ile {_value(t, high, share)}"


def _headline(document: ReportDocument, content: ReportContent, t: Texts) -> None:
    document.heading("Temel göstergeler")
    headers = ["Hizmet", "n", "Ortalama (1-5)", "%95 aralığı", "Memnun payı", "%95 aralığı"]
    body = []
    for row in content.rows:
        if row["suppressed"]:
            body.append([_service(content, t, row), HIDDEN_MARK, "", "", "", ""])
            continue
        share = row["satisfied_share"]
        body.append([_service(content, t, row), t.number(row["n"]),
                     "-" if row["mean"] is None else t.decimal(row["mean"], 2),
                     _interval(t, row["mean_ci95"]),
                     "-" if share is None else t.percent(share),
                     _interval(t, row["satisfied_ci95"], share=True)])
    document.grid(headers, body)
    if any(row["suppressed"] for row in content.rows):
        _hidden_note(document, content)


def _drivers(document: ReportDocument, content: ReportContent, t: Texts) -> None:
    drivers = list(content.survey.report.drivers) if content.survey.report else []
    if not drivers:
        return
    document.heading("Memnuniyeti belirleyen etkenler (0-100)")
    headers = ["Hizmet", *(t._(content.survey.question(d).short or d) for d in drivers)]
    body = []
    for row in content.rows:
        if row["suppressed"]:
            body.append([_service(content, t, row), HIDDEN_MARK,
                         *["" for _ in drivers[1:]]])
            continue
        body.append([_service(content, t, row),
                     *("-" if row["drivers"].get(d) is None else t.decimal(row["drivers"][d], 0)
                       for d in drivers)])
    document.grid(headers, body)


def _changes(document: ReportDocument, content: ReportContent, t: Texts) -> None:
    document.heading("Anlamlı değişimler")
    if content.base is None:
        document.paragraph("Önceki dönem yayımlanmadığı için karşılaştırma yapılamadı.")
        return
    if not content.changes:
        document.paragraph(f"{content.base} dönemine göre anlamlı bir değişim yok.")
        return
    document.paragraph(f"{content.base} dönemine göre (yanlış keşif oranı %5, "
                       "Benjamini-Hochberg):")
    headers = ["İl · hizmet" if content.province is None else "Hizmet", "Gösterge", "Önce",
               "Sonra", "Fark (%95 aralığı)", "Sonuç"]
    body = []
    for row in content.changes:
        for key, name, share in (("mean", "Ortalama", False),
                                 ("satisfied_share", "Memnun payı", True)):
            found = row[key]
            if found["verdict"] not in VERDICT:
                continue
            body.append([_changed_cell(content, t, row), name,
                         _value(t, found["before"], share),
                         _value(t, found["after"], share),
                         f"{_value(t, found['difference'], share)} "
                         f"({_interval(t, found['ci95'], share)})",
                         VERDICT[found["verdict"]]])
    document.grid(headers, body, widths=(20, 22, 16, 16, 46, 20))


def _changed_cell(content: ReportContent, t: Texts, row: dict) -> str:
    """The service, and nationally the province before it."""
    service = _service(content, t, row) if "service" in row else ""
    if content.province is not None:
        return service
    return " · ".join(filter(None, (row["province_name"], service)))


def _value(t: Texts, value: float | None, share: bool) -> str:
    if value is None:
        return "-"
    return _minus(t.percent(value) if share else t.decimal(value, 2))


def _minus(text: str) -> str:
    return MINUS + text[1:] if text.startswith("-") else text


def _findings(document: ReportDocument, content: ReportContent, t: Texts) -> None:
    document.heading("Tespitler")
    if not content.findings:
        document.paragraph("Bu kapsamda kayıtlı tespit yok.")
        return
    if content.findings_total > len(content.findings):
        document.paragraph(f"{content.findings_total} tespitten en yeni "
                           f"{len(content.findings)} tanesi:")
    headers = ["No", "İl", "Hizmet", "Sorun", "Durum", "Son tarih", "Yeniden değerlendirme"]
    body = []
    for finding in content.findings:
        place = province_by_plate(finding["province"])
        due = t.date(finding["due_date"]) + (" (gecikmiş)" if finding["overdue"] else "")
        body.append([str(finding["id"]), place.name if place else finding["province"],
                     _service(content, t, finding), finding["problem"],
                     STATUS.get(finding["status"], finding["status"]), due,
                     RE_EVALUATION.get(finding["verdict"] or "", "-")])
    document.grid(headers, body, widths=(8, 18, 16, 52, 20, 22, 24))


def _map(document: ReportDocument, content: ReportContent, t: Texts) -> None:
    document.heading("İllere göre memnun payı (tüm hizmetler)")
    height = map_height(TEXT_WIDTH)
    document.fits(height + 26)
    rows = {row["province"]: row for row in content.provinces or []}

    def colour_of(plate: str) -> Colour:
        row = rows.get(plate)
        if row is None:
            return NO_FIGURE
        return HIDDEN if row["suppressed"] else share_colour(row["satisfied_share"])

    top = document.get_y() + 2
    draw_map(document, MARGIN, top, TEXT_WIDTH, colour_of)
    document.set_y(top + height + 3)
    _legend(document, t)
    document.set_text_color(*GREY)
    document.paragraph("Gri iller gizlidir: ya yanıtı az ya da başka bir gizli hücreyi "
                       "korumak için rakamı verilmez. Harita: © OpenStreetMap katkıcıları "
                       "(ODbL).", size=7.5)
    document.set_text_color(0, 0, 0)


def _legend(document: ReportDocument, t: Texts) -> None:
    entries: list[tuple[Colour, str]] = []
    lower = 0.0
    for upper, colour in CLASSES:
        entries.append((colour, f"{t.percent(lower)} ile {t.percent(min(upper, 1.0))}"))
        lower = upper
    entries += [(HIDDEN, "gizli"), (NO_FIGURE, "yanıt yok")]
    document.set_font("NotoSans", "", 7.5)
    x, y = MARGIN, document.get_y()
    for colour, label in entries:
        document.set_fill_color(*colour)
        document.set_draw_color(*GREY)
        document.set_line_width(0.1)
        document.rect(x, y + 0.8, 4, 3, style="DF")
        width = document.get_string_width(label) + 2
        document.set_xy(x + 5, y)
        document.cell(width, 4.6, label)
        x += 5 + width + 3
    document.set_xy(MARGIN, y + 6)


def _trend(document: ReportDocument, content: ReportContent, t: Texts) -> None:
    # The table and its chart on one page: the heading, a row a period, the note, the chart.
    document.fits(HEADING_ROOM + 6 * len(content.trend) + 10 + TREND_ROOM)
    document.heading(f"Eğilim: son {len(content.trend)} yayımlanmış dönem (tüm hizmetler)")
    body = []
    for row in content.trend:
        if row["suppressed"]:
            body.append([row["period"], HIDDEN_MARK, "", ""])
            continue
        body.append([row["period"], t.number(row["n"]),
                     _value(t, row["satisfied_share"], True),
                     _interval(t, row["satisfied_ci95"], share=True)])
    document.grid(["Dönem", "n", "Memnun payı", "%95 aralığı"], body)
    if any(row["suppressed"] for row in content.trend):
        _hidden_note(document, content)
    document.fits(TREND_ROOM)
    draw_trend(document, MARGIN + 12, document.get_y() + 4, TEXT_WIDTH - 12, 30,
               [(row["period"], None if row["suppressed"] else row["satisfied_share"],
                 row["satisfied_ci95"]) for row in content.trend], "gizli")


def _key_drivers(document: ReportDocument, content: ReportContent, t: Texts) -> None:
    if not (content.survey.report and content.survey.report.drivers):
        return
    document.heading("Öncelikli etkenler: genel memnuniyetle ilişki (tüm hizmetler)")
    key = content.key
    if key.n is None:
        document.paragraph(f"{content.scope} bu dönem gizli olduğu için öncelikli etkenler "
                           "verilmez.")
        return
    if not key.drivers:
        document.paragraph(f"{content.scope} için bu dönem yayımlanmış öncelikli etken yok "
                           "(yeterli yanıt yok).")
        return
    document.paragraph("Genel memnuniyetle en çok birlikte değişen etken, önce iyileştirilecek "
                       "olandır (Pearson r; 1'e yakın: güçlü ilişki).", size=8.5)
    body = [[t._(content.survey.question(item["driver"]).short or item["driver"]),
             _minus(t.decimal(item["correlation"], 2)),
             "-" if key.scores.get(item["driver"]) is None
             else t.decimal(key.scores[item["driver"]] or 0, 0)]
            for item in key.drivers]
    document.grid(["Etken", "Genel memnuniyetle ilişki (r)", "Puan (0-100)"], body)


def _comments(document: ReportDocument, content: ReportContent, t: Texts) -> None:
    document.heading("Yayımlanan yorumlardan örnekler")
    if content.comments_left_out:
        document.paragraph(COMMENTS_LEFT_OUT)
        return
    if not content.comments:
        document.paragraph(NO_COMMENTS)
        return
    which = (f"yayımlanan {content.comments_total} yorumundan ilk {len(content.comments)} "
             "farklı metin" if content.comments_total > len(content.comments)
             else f"yayımlanan {content.comments_total} yorumu")
    document.paragraph(f"Bu dönemin {which}, metin sırasıyla (yazıldıkları sıra değil); "
                       "yalnızca rakamı yayımlanan hücrelerden:", size=8.5)
    national = content.province is None
    headers = ["Hizmet", *(["İl"] if national else []), "Yorum"]
    body = []
    for item in content.comments:
        place = province_by_plate(item["province"])
        body.append([_service(content, t, item),
                     *([place.name if place else item["province"]] if national else []),
                     item["text"]])
    document.grid(headers, body, widths=(22, 20, 132) if national else (22, 152))
