"""The demo's muhtar links: real neighbourhoods of large districts, as a campaign would start,
some with the neighbourhood survey, some with the service survey (three in Arabic-speaking
areas, where the poster would be bilingual)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from conversations.links import PAYLOAD_LENGTH, PAYLOAD_PREFIX, STATS_ALPHABET
from conversations.places import districts_of


@dataclass(frozen=True)
class DemoLink:
    plate: str
    district: str  # its name, as on the sign
    mahalle: str
    survey_key: str  # hizmet, mahalle, okul_servis

    @property
    def label(self) -> str:
        return f"{self.mahalle} Muhtarlığı (demo)"

    @property
    def district_id(self) -> str:
        return next(str(d.district_id) for d in districts_of(self.plate)
                    if d.name == self.district)


DEMO_LINKS = (
    DemoLink("34", "Kadıköy", "Caferağa", "hizmet"),
    DemoLink("34", "Üsküdar", "Kuzguncuk", "mahalle"),
    DemoLink("34", "Esenyurt", "Pınar", "mahalle"),
    DemoLink("06", "Çankaya", "Kızılay", "hizmet"),
    DemoLink("06", "Keçiören", "Etlik", "mahalle"),
    DemoLink("35", "Konak", "Alsancak", "hizmet"),
    DemoLink("35", "Karşıyaka", "Bostanlı", "mahalle"),
    DemoLink("16", "Osmangazi", "Hamitler", "hizmet"),
    DemoLink("07", "Muratpaşa", "Güzeloba", "hizmet"),
    DemoLink("26", "Odunpazarı", "Vişnelik", "mahalle"),
    DemoLink("27", "Şahinbey", "Karataş", "hizmet"),
    DemoLink("31", "Antakya", "Armutlu", "hizmet"),
    DemoLink("63", "Haliliye", "Bamyasuyu", "mahalle"),
)


def payload(rng: random.Random) -> str:
    """A start payload of the shape real ones have (conversations.links), from the seed."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return PAYLOAD_PREFIX + "".join(rng.choice(alphabet) for _ in range(PAYLOAD_LENGTH - 1))


def stats_code(rng: random.Random) -> str:
    """A muhtar's stats code, grouped as on the slip."""
    code = "".join(rng.choice(STATS_ALPHABET) for _ in range(12))
    return "-".join(code[i:i + 4] for i in range(0, 12, 4))
