"""The report laid out on A4 in Turkish: the title block, the headline figures by service,
the drivers, the significant changes and how the figures were made. Fonts, embedding and
shaping as on the posters (admin.posters.poster)."""

from __future__ import annotations

from fpdf.fonts import FontFace

from admin.pdf_report.content import ReportContent
from admin.posters.poster import GREY, MARGIN, NAVY, Document
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
    "oranında anlamlı bulunan iyileşme ve kötüleşmeler gösterilir.")


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
        self.set_font("NotoSans", "", 8.5)
        # Rows striped in a light grey: the banner's navy must not carry over into the cells.
        self.set_fill_color(255, 255, 255)
        with self.table(headings_style=_bold(), line_height=5, text_align="LEFT",
                        cell_fill_color=(244, 246, 250), cell_fill_mode="ROWS",
                        col_widths=widths) as table:
            for values in [headers, *body]:
                row = table.row()
                for value in values:
                    row.cell(value)


def _bold() -> FontFace:
    return FontFace(emphasis="BOLD", fill_color=(225, 230, 240))


def report_pdf(content: ReportContent) -> bytes:
    """The whole report as PDF bytes."""
    t = Texts("tr")
    document = ReportDocument(f"İZDES – {content.scope} – {content.period}")
    document.banner("İZDES · Vatandaş memnuniyeti raporu")
    _title(document, content, t)
    _headline(document, content, t)
    _drivers(document, content, t)
    _changes(document, content, t)
    _findings(document, content, t)
    document.heading("Rakamlar nasıl üretildi")
    document.paragraph(METHOD.format(min_cell=content.min_cell))
    return bytes(document.output())


def _title(document: ReportDocument, content: ReportContent, t: Texts) -> None:
    document.line_of(content.scope, 22, bold=True, colour=NAVY)
    document.line_of(f"Dönem: {content.period}", 13)
    document.line_of(f"Hazırlanma tarihi: {t.date(content.made)}", 10, colour=GREY, gap=4)


def _fewer(content: ReportContent) -> str:
    return f"{content.min_cell} kişiden az"


def _service(content: ReportContent, t: Texts, row: dict) -> str:
    value = row.get("service")
    return "Tüm hizmetler" if not value else service_label(content.survey, t, value)


def _interval(t: Texts, bounds: list[float] | None, share: bool = False) -> str:
    if not bounds:
        return "-"
    if share:
        return f"{t.percent(bounds[0])}–{t.percent(bounds[1])}"
    return f"{t.decimal(bounds[0], 2)}–{t.decimal(bounds[1], 2)}"


def _headline(document: ReportDocument, content: ReportContent, t: Texts) -> None:
    document.heading("Temel göstergeler")
    headers = ["Hizmet", "n", "Ortalama (1-5)", "%95 aralığı", "Memnun payı", "%95 aralığı"]
    body = []
    for row in content.rows:
        if row["suppressed"]:
            body.append([_service(content, t, row), _fewer(content), "", "", "", ""])
            continue
        share = row["satisfied_share"]
        body.append([_service(content, t, row), t.number(row["n"]),
                     "-" if row["mean"] is None else t.decimal(row["mean"], 2),
                     _interval(t, row["mean_ci95"]),
                     "-" if share is None else t.percent(share),
                     _interval(t, row["satisfied_ci95"], share=True)])
    document.grid(headers, body)


def _drivers(document: ReportDocument, content: ReportContent, t: Texts) -> None:
    drivers = list(content.survey.report.drivers) if content.survey.report else []
    if not drivers:
        return
    document.heading("Memnuniyeti belirleyen etkenler (0-100)")
    headers = ["Hizmet", *(t._(content.survey.question(d).short or d) for d in drivers)]
    body = []
    for row in content.rows:
        if row["suppressed"]:
            body.append([_service(content, t, row), _fewer(content),
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
    document.paragraph(f"{content.base} dönemine göre:")
    headers = ["Hizmet", "Gösterge", "Önce", "Sonra", "Fark (%95 aralığı)", "Sonuç"]
    body = []
    for row in content.changes:
        for key, name, share in (("mean", "Ortalama", False),
                                 ("satisfied_share", "Memnun payı", True)):
            found = row[key]
            if found["verdict"] not in VERDICT:
                continue
            body.append([_service(content, t, row), name, _value(t, found["before"], share),
                         _value(t, found["after"], share),
                         f"{_value(t, found['difference'], share)} "
                         f"({_interval(t, found['ci95'], share)})",
                         VERDICT[found["verdict"]]])
    document.grid(headers, body)


def _value(t: Texts, value: float | None, share: bool) -> str:
    if value is None:
        return "-"
    return t.percent(value) if share else t.decimal(value, 2)


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
