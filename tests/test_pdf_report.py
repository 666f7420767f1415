"""`izdes report pdf`: the report to the centre as a Turkish A4 PDF, read back as a reader
sees it (every page rendered, its text extracted)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from tests.cli import izdes, run_izdes
from tests.snapshots import built_once
from tests.stored import insert_completed, last_month, publish
from tests.test_admin_api import get
from tests.test_changes_api import (  # noqa: F401 (fixtures)
    _month,
    month_before,
    tokens,
    two_months,
)

# Where the rendered pages are kept for a person to look at (IZDES_PDF_PAGES=folder).
PAGES = os.environ.get("IZDES_PDF_PAGES")


def read_pdf(path: Path) -> list[str]:
    """Each page's text; every page is rendered too (and saved where PAGES says)."""
    document = pdfium.PdfDocument(path.read_bytes())
    texts = []
    for number, page in enumerate(document, start=1):
        image = page.render(scale=1.5).to_pil()
        assert image.getextrema() != ((255, 255), (255, 255), (255, 255))  # not blank
        if PAGES:
            Path(PAGES).mkdir(parents=True, exist_ok=True)
            image.save(Path(PAGES) / f"{path.stem}-{number}.png")
        texts.append(page.get_textpage().get_text_range())
    return texts


async def test_national_report_has_figures_changes_and_method(db, two_months, tmp_path):  # noqa: F811
    after = sorted(two_months)[1]
    out = tmp_path / "tr.pdf"
    izdes(db.url, "report", "pdf", "--period", after, "--out", str(out))
    text = "\n".join(read_pdf(out))
    for expected in ("Türkiye", f"Dönem: {after}", "Temel göstergeler", "Trafik", "Nüfus",
                     "Memnuniyeti belirleyen etkenler", "Anlamlı değişimler",
                     "Rakamlar nasıl üretildi", "Benjamini-Hochberg", "gönüllü"):
        assert expected in text, expected
    # Nationally the changes are by province and service: the cell to turn into a finding.
    assert "İstanbul · Trafik" in text and "kötüleşme" in text


async def test_province_report_hides_a_small_cell(db, two_months, tmp_path):  # noqa: F811
    after = sorted(two_months)[1]
    out = tmp_path / "ankara.pdf"
    izdes(db.url, "report", "pdf", "--period", after, "--province", "06", "--out", str(out))
    text = "\n".join(read_pdf(out))
    assert "Ankara" in text
    # Nüfus had 3 respondents, Trafik 16: Trafik is hidden too, or Ankara's total would give
    # Nüfus away. Neither shows a figure, in the headline table or the drivers', and neither
    # says why: "fewer than 10" would be untrue of Trafik, and would tell Nüfus from it.
    rows = [line.strip() for line in text.splitlines() if line.startswith(("Nüfus", "Trafik"))]
    assert rows == ["Nüfus gizli*", "Trafik gizli*"] * 2
    note = " ".join(text.split())
    assert "* gizli: rakamı verilmez; ya 10 kişiden az yanıtı vardır ya da" in note
    assert "ikincil gizleme" in note


async def test_istanbul_reads_worse_with_its_finding(db, two_months, tmp_path):  # noqa: F811
    after = sorted(two_months)[1]
    izdes(db.url, "findings", "create", "--province", "34", "--service", "trafik",
          "--period", after, "--problem", "Trafik şubesinde bekleme uzadı",
          "--proposal", "Randevu sistemi", "--unit", "İl Emniyet Müdürlüğü",
          "--due", "2030-01-31", "--by", "Analist")
    izdes(db.url, "findings", "create", "--province", "16", "--service", "nufus",
          "--period", after, "--problem", "Bursa sorunu", "--proposal", "Bir öneri",
          "--unit", "Bursa Emniyet", "--due", "2030-01-31", "--by", "Analist")
    out = tmp_path / "istanbul.pdf"
    izdes(db.url, "report", "pdf", "--period", after, "--province", "34", "--out", str(out))
    text = "\n".join(read_pdf(out))
    assert "kötüleşme" in text
    text = " ".join(text.split())  # a long problem wraps in its cell
    assert "Trafik şubesinde bekleme uzadı" in text and "açık" in text
    assert "Bursa sorunu" not in text  # another province's finding is not in its scope


async def test_an_unknown_province_is_one_line(db, two_months):  # noqa: F811
    result = run_izdes(db.url, "report", "pdf", "--province", "99")
    assert result.returncode == 2
    assert result.stderr.strip() == "izdes: no province has the plate code '99'"


async def test_the_dashboard_download_keeps_to_the_token_s_province(bot, tokens, two_months,  # noqa: F811
                                                                    tmp_path):
    status, body, headers = await get(bot, "/report.pdf", tokens["national"])
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"].startswith('attachment; filename="izdes-tr-')
    (tmp_path / "api-tr.pdf").write_bytes(body)
    assert "Türkiye" in read_pdf(tmp_path / "api-tr.pdf")[0]
    status, body, _ = await get(bot, "/report.pdf", tokens["istanbul"])
    assert status == 200
    (tmp_path / "api-34.pdf").write_bytes(body)
    assert "İstanbul" in read_pdf(tmp_path / "api-34.pdf")[0]
    status, problem, _ = await get(bot, "/report.pdf?province=06", tokens["istanbul"])
    assert status == 403 and problem["status"] == 403


async def test_a_negative_difference_reads_with_minus_signs_low_to_high(db, two_months,  # noqa: F811
                                                                       tmp_path):
    after = sorted(two_months)[1]
    out = tmp_path / "istanbul.pdf"
    izdes(db.url, "report", "pdf", "--period", after, "--province", "34", "--out", str(out))
    text = " ".join("\n".join(read_pdf(out)).split())
    # İstanbul's Trafik fell from all satisfied to none: –%100, the interval from –%100 up,
    # with the minus the embedded font has (an en dash; ranges say "ile", never a dash).
    assert "\u2013%100 (\u2013%100 ile \u2013%" in text
    assert "\u20132,50 (\u20132,86 ile \u20132,14)" in text
    assert "-%" not in text and "-2" not in text and "–-" not in text


# Comments of last month, by cell: the published cells' in text order (ASCII, so that both
# databases sort them alike), and those of hidden cells, which no report may show. Ankara has
# only its 3 Nüfus respondents last month: Ankara is hidden, and İzmir with it (secondary).
PUBLISHED = {("34", "trafik"): ["Bekleme cok uzun surdu"],
             ("34", "nufus"): ["Kimlik kartim hizla geldi"],
             ("35", "trafik"): ["Memur cok nazikti"],
             # one text twice: the sample shows each text once
             ("16", "trafik"): ["Randevu bulmak zor"] * 2 + [f"Randevu bulmak zor {i}"
                                                            for i in range(1, 6)]}
HIDDEN = {("06", "nufus"): ["Ankara gizli yorum nufus"],
          ("35", "nufus"): ["Izmir gizli yorum nufus"]}


@pytest.fixture
async def with_comments(db):
    """two_months' answers, with comments last month and no Ankara Trafik respondent."""
    return await built_once(db, "test_pdf_report.with_comments", lambda: _with_comments(db))


async def _with_comments(db):
    moments = (month_before(last_month()), last_month())
    for index, moment in enumerate(moments):
        month = _month(index)
        if index == 1:
            month[("06", "trafik")] = []
            for cell, texts in {**PUBLISHED, **HIDDEN}.items():
                for answers, text in zip(month[cell], texts, strict=False):
                    answers["comment"] = text
        await insert_completed(db, "hizmet", [a for cell in month.values() for a in cell],
                               at=moment, prefix=f"commented-{index}")
    await publish(db)
    return [moment.strftime("%Y-%m") for moment in moments]


def _report(db, tmp_path: Path, period: str, province: str | None = None) -> str:
    out = tmp_path / f"{province or 'tr'}.pdf"
    where = ("--province", province) if province else ()
    izdes(db.url, "report", "pdf", "--period", period, *where, "--out", str(out))
    return " ".join("\n".join(read_pdf(out)).split())


def _hidden_texts() -> list[str]:
    return [text for texts in HIDDEN.values() for text in texts]


async def test_national_report_has_map_trend_key_drivers_and_comments(db, with_comments,
                                                                       tmp_path):
    before, after = with_comments
    text = _report(db, tmp_path, after)
    for heading in ("İllere göre memnun payı (tüm hizmetler)",
                    "Eğilim: son 2 yayımlanmış dönem (tüm hizmetler)",
                    "Öncelikli etkenler: genel memnuniyetle ilişki",
                    "Yayımlanan yorumlardan örnekler"):
        assert heading in text, heading
    assert "Gri iller gizlidir" in text and "OpenStreetMap" in text  # the map's legend
    assert before in text.split("Eğilim")[1]
    assert "Genel memnuniyetle ilişki (r)" in text and "Nezaket" in text
    # Eight of the ten published comments, the first in the order of their text, each text
    # once.
    published = sorted({t for texts in PUBLISHED.values() for t in texts})
    assert "yayımlanan 10 yorumundan ilk 8 farklı metin" in text
    positions = [text.find(comment) for comment in published[:8]]
    assert -1 not in positions and positions == sorted(positions)
    assert len(re.findall(r"Randevu bulmak zor(?! \d)", text)) == 1
    for absent in [*published[8:], *_hidden_texts()]:
        assert absent not in text, absent


async def test_province_report_shows_only_its_own_published_comments(db, with_comments,
                                                                    tmp_path):
    after = with_comments[1]
    text = _report(db, tmp_path, after, "34")
    assert "İllere göre" not in text  # the map is the national report's
    assert "Eğilim: son 2 yayımlanmış dönem" in text
    positions = [text.find(c) for c in ("Bekleme cok uzun surdu", "Kimlik kartim hizla geldi")]
    assert -1 not in positions and positions == sorted(positions)
    for absent in ["Memur cok nazikti", "Randevu bulmak zor 1", *_hidden_texts()]:
        assert absent not in text, absent


async def test_a_province_whose_cells_are_hidden_shows_no_comment(db, with_comments,
                                                                 tmp_path):
    after = with_comments[1]
    ankara = _report(db, tmp_path, after, "06")
    assert "Bu dönem yayımlanabilir yorum yok" in ankara
    assert not any(hidden in ankara for hidden in _hidden_texts())
    # Its last period is hidden: the trend says so without a figure, the key drivers too.
    before = with_comments[0]
    trend = ankara.split("Eğilim: son 2 yayımlanmış dönem (tüm hizmetler)")[1]
    assert trend.strip().startswith(f"Dönem n Memnun payı %95 aralığı {before} 32 ")
    assert f"{after} gizli*" in trend
    assert "Ankara bu dönem gizli olduğu için öncelikli etkenler verilmez." in ankara
