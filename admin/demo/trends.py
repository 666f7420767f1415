"""What the demo's figures show, in one place: the level of each service, the regions' and
provinces' differences, the seasons, and the named cells that clearly worsen or improve over
the last months (printed at the end of `izdes demo`; tests/test_demo.py looks for them).

Every effect is on the 1-5 scale of the overall score, before a person's own variation.
"""

from __future__ import annotations

from dataclasses import dataclass

# Where a service's mean sits nationally (hizmet): 112 and the gendarmerie are liked, a
# traffic fine or a residence permit less so.
SERVICE_LEVELS = {"nufus": 3.85, "trafik": 3.4, "emniyet": 3.6, "jandarma": 3.9,
                  "acil112": 4.0, "goc": 3.35}
SURVEY_LEVELS = {"mahalle": 3.5, "okul_servis": 3.7}  # night safety; the school bus overall

# By NUTS-1 region: crowded İstanbul a little below, the Black Sea coast a little above.
REGION_EFFECTS = {"TR1": -0.15, "TR2": 0.1, "TR3": 0.05, "TR4": 0.0, "TR5": 0.1,
                  "TR6": -0.05, "TR7": 0.1, "TR8": 0.15, "TR9": 0.15, "TRA": 0.0,
                  "TRB": -0.05, "TRC": -0.1}
PROVINCE_SPREAD = 0.15  # each province's own effect, drawn once per seed (standard deviation)
CELL_SPREAD = 0.15  # each province and service's own effect, the same way
DISTRICT_SPREAD = 0.1

# By calendar month: summer holidays on the roads and in the passport queues, residence
# permits renewed at the turn of the year, snow and flu for 112.
SEASONS: dict[str, dict[int, float]] = {
    "trafik": {7: -0.3, 8: -0.35},
    "nufus": {6: -0.25, 7: -0.3, 8: -0.3, 9: -0.2},
    "goc": {1: -0.25, 2: -0.2},
    "acil112": {12: -0.25, 1: -0.3, 2: -0.25},
    "jandarma": {7: -0.15, 8: -0.15},
    "mahalle": {11: -0.15, 12: -0.2, 1: -0.2},  # long nights
}

TREND_MONTHS = 4  # a named trend builds up over the last four months


@dataclass(frozen=True)
class NamedTrend:
    """A province and service whose score moves by ``change`` over the last TREND_MONTHS
    months, its ``drivers`` most; ``why`` is the story an analyst would find."""

    province: str  # plate code
    service: str
    change: float  # on the 1-5 scale, reached in the last month
    drivers: tuple[str, ...]
    why: str

    @property
    def worsens(self) -> bool:
        return self.change < 0


# Large cells, so that they stay visible in a small demo too.
NAMED_TRENDS = (
    NamedTrend("34", "nufus", -1.2, ("timeliness", "information"),
               "İstanbul nüfus: randevular geç veriliyor, bekleme süreleri uzadı"),
    NamedTrend("35", "trafik", -1.0, ("timeliness", "courtesy"),
               "İzmir trafik: kaza tespitinde ekipler geç geliyor"),
    NamedTrend("16", "trafik", -0.9, ("fairness", "information"),
               "Bursa trafik: ceza işlemlerinde açıklama yapılmıyor"),
    NamedTrend("06", "nufus", 1.0, ("timeliness", "outcome"),
               "Ankara nüfus: yeni randevu düzeni, kısa bekleme"),
    NamedTrend("34", "goc", 0.9, ("information", "equal_treatment"),
               "İstanbul göç: Arapça ve İngilizce tercüman desteği başladı"),
    NamedTrend("07", "trafik", 0.8, ("courtesy", "timeliness"),
               "Antalya trafik: turizm sezonu için ek ekipler"),
)
WORSENING = tuple(trend for trend in NAMED_TRENDS if trend.worsens)
IMPROVING = tuple(trend for trend in NAMED_TRENDS if not trend.worsens)
DRIVER_PULL = 0.5  # how much more than the overall a trend's own drivers move


def trend_weight(month_index: int, months: int) -> float:
    """How far a named trend has got in month ``month_index`` (0 = the first of ``months``):
    0 before the last TREND_MONTHS, then a quarter more each month, 1 in the last."""
    into = month_index - (months - TREND_MONTHS) + 1
    return min(1.0, max(0.0, into / TREND_MONTHS))


def named_trend(province: str | None, service: str | None) -> NamedTrend | None:
    return next((t for t in NAMED_TRENDS if (t.province, t.service) == (province, service)),
                None)


def season(key: str, calendar_month: int) -> float:
    """The seasonal effect on a service (or a survey without services) in a calendar month."""
    return SEASONS.get(key, {}).get(calendar_month, 0.0)
