"""`izdes report pdf`: the report to the centre as a Turkish A4 PDF, read back as a reader
sees it (every page rendered, its text extracted)."""

from __future__ import annotations

import os
from pathlib import Path

import pypdfium2 as pdfium

from tests.cli import izdes, run_izdes
from tests.test_admin_api import get
from tests.test_changes_api import tokens, two_months  # noqa: F401 (fixtures)

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


async def test_province_report_hides_a_small_cell(db, two_months, tmp_path):  # noqa: F811
    after = sorted(two_months)[1]
    out = tmp_path / "ankara.pdf"
    izdes(db.url, "report", "pdf", "--period", after, "--province", "06", "--out", str(out))
    text = "\n".join(read_pdf(out))
    assert "Ankara" in text
    # Nüfus had 3 respondents, Trafik 16: Trafik is hidden too, or Ankara's total would give
    # Nüfus away. Neither shows a figure, in the headline table or the drivers'.
    rows = [line.strip() for line in text.splitlines() if line.startswith(("Nüfus", "Trafik"))]
    assert rows == ["Nüfus 10 kişiden az", "Trafik 10 kişiden az"] * 2


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
