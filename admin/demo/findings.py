"""The demo's findings register: what an analyst would have made of the named trends
(admin.demo.trends), so that a newcomer sees the evaluation loop working on the first run.

Each worsening cell is an open finding on the latest released period, with a proposal and a
due date; each improving cell is a finding made before its trend began, whose action is
recorded at the trend's start, so its re-evaluation (computed when it is shown) finds the
improvement. A cell hidden in its period makes no finding: evidence must be published.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from admin.demo.trends import IMPROVING, TREND_MONTHS, WORSENING, NamedTrend
from stats import periods
from storage.finding_status import ACTION_TAKEN, Actor, FindingError, StatusChange
from storage.findings import NewFinding, change_status, create_finding

ANALYST = Actor("İZDES demo analisti")  # the ministry's, as an operator at the command line
UNITS = {"nufus": "İl Nüfus ve Vatandaşlık Müdürlüğü", "trafik": "İl Emniyet Müdürlüğü "
         "(Trafik Denetleme Şube)", "goc": "İl Göç İdaresi Müdürlüğü"}
PROPOSALS = {
    ("34", "nufus"): "Akşam ve cumartesi randevusu; e-Devlet'te boş randevu bildirimi",
    ("35", "trafik"): "Kaza tespitinde yoğun saatlere ek ekip; sigorta tutanağı hatırlatması",
    ("16", "trafik"): "Ceza tutanağında gerekçenin sözlü ve yazılı açıklanması",
    ("06", "nufus"): "Randevu düzeninin gün içine yayılması",
    ("34", "goc"): "Arapça ve İngilizce tercüman desteği",
    ("07", "trafik"): "Turizm sezonunda ek trafik ekipleri",
}
# The improving cells' findings were made before their trend began: the problem as it was
# then (NamedTrend.why tells what changed since).
PROBLEMS_BEFORE = {
    ("06", "nufus"): "Ankara nüfus: randevu için bekleme uzun, memnuniyet düşük",
    ("34", "goc"): "İstanbul göç: başvuru sahipleri Arapça ve İngilizce bilgi alamıyor",
    ("07", "trafik"): "Antalya trafik: turizm sezonunda ekipler yetişemiyor",
}


async def make_findings(session: AsyncSession, survey_key: str, released: list[str],
                        now: datetime) -> list[int]:
    """The demo's findings, in the caller's transaction; their ids."""
    if not released:
        return []
    made = []
    for trend in WORSENING:
        finding = await _finding(session, survey_key, trend, released[-1], now.date())
        made += [finding] if finding else []
    before = released[max(0, len(released) - TREND_MONTHS - 1)]
    for trend in IMPROVING:
        finding = await _finding(session, survey_key, trend, before, now.date(),
                                 PROBLEMS_BEFORE[(trend.province, trend.service)])
        if finding is None:
            continue
        acted = periods.end_of(before).date()  # the day the trend's first month began
        await change_status(session, finding, StatusChange(
            ACTION_TAKEN, action_date=acted, action=PROPOSALS[(trend.province,
                                                               trend.service)]), ANALYST)
        made.append(finding)
    return made


async def _finding(session: AsyncSession, survey_key: str, trend: NamedTrend, period: str,
                   today: date, problem: str | None = None) -> int | None:
    new = NewFinding(
        survey_key=survey_key, period=period, province=trend.province, district=None,
        service=trend.service, drivers=trend.drivers, problem=problem or trend.why,
        proposals=(PROPOSALS[(trend.province, trend.service)],),
        responsible_unit=UNITS[trend.service], due_date=today + timedelta(days=60))
    try:
        return await create_finding(session, new, ANALYST)
    except FindingError:  # its cell is hidden in that period (a small demo)
        return None
