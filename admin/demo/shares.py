"""Who answers what in the demo: the surveys, services, channels and languages, and the
shares of the choices that carry no score. Scores come from admin.demo.people."""

from __future__ import annotations

from conversations.places import province_by_plate

# Of the responses that do not come through a muhtar's link (those answer the link's survey).
SURVEY_SHARES = {"hizmet": 0.93, "mahalle": 0.03, "okul_servis": 0.04}
# The school-bus survey is piloted in five provinces, the neighbourhood survey mostly through
# muhtars' links: both are asked where the campaigns run, not everywhere.
PILOT_PROVINCES = {"okul_servis": ("34", "06", "35", "16", "42"),
                   "mahalle": ("34", "06", "35", "26", "27", "63")}
LINK_SHARES = {"hizmet": 0.05, "mahalle": 0.75, "okul_servis": 0.0}  # come through a link
DISTRICT_NAMED = 0.65  # the district question can be skipped
FLAGGED = 0.01  # answered faster than anyone reads: kept, flagged, left out of scores
COMMENTED = 0.22
MONTHLY_GROWTH = 0.6  # the last month brings this much more than the first (the campaign grows)

SERVICE_SHARES = {"trafik": 28.0, "nufus": 24.0, "emniyet": 16.0, "acil112": 12.0,
                  "jandarma": 10.0, "goc": 10.0}
# Migration offices are busiest where many foreigners live; the gendarmerie serves the
# countryside, the police the cities.
GOC_WEIGHTS = {"34": 1.5, "27": 3.0, "31": 3.0, "63": 2.5, "79": 3.0, "33": 2.0, "01": 1.5,
               "07": 2.0, "48": 1.8, "16": 1.3, "35": 1.3, "06": 1.2}
# More traffic and passports in summer, more 112 calls in winter.
VOLUME_SEASONS = {"trafik": {6: 1.2, 7: 1.4, 8: 1.4}, "nufus": {6: 1.3, 7: 1.3, 8: 1.2, 9: 1.2},
                  "acil112": {12: 1.2, 1: 1.3, 2: 1.2}}

# The languages respondents read the survey in: Arabic where Syrians live, English on the
# tourist coast, and most of all at the migration offices.
ARABIC_PROVINCES = frozenset({"27", "31", "63", "79", "33", "01", "34"})
ENGLISH_PROVINCES = frozenset({"34", "07", "48"})


def service_weights(plate: str, calendar_month: int) -> dict[str, float]:
    metropolitan = (province := province_by_plate(plate)) is not None and province.is_metropolitan
    weights = dict(SERVICE_SHARES)
    weights["goc"] *= GOC_WEIGHTS.get(plate, 0.6)
    weights["jandarma"] *= 0.4 if plate == "34" else 0.8 if metropolitan else 1.6
    for service, months in VOLUME_SEASONS.items():
        weights[service] *= months.get(calendar_month, 1.0)
    return weights


def language_weights(plate: str, service: str | None) -> dict[str, float]:
    migration = service == "goc"
    arabic = (0.45 if migration else 0.06) if plate in ARABIC_PROVINCES else (
        0.2 if migration else 0.01)
    english = (0.25 if migration else 0.02) if plate in ENGLISH_PROVINCES else (
        0.08 if migration else 0.003)
    return {"tr": 1 - arabic - english, "ar": arabic, "en": english}


# Choices without a score, by (survey, question): their shares. A question not listed takes
# its choices that do not end the survey, alike.
CHOICES: dict[tuple[str, str], dict[str, float]] = {
    ("hizmet", "recency"): {"d7": 0.55, "d30": 0.45},
    ("hizmet", "help_time"): {"lt10": 0.35, "m10_20": 0.3, "m20_30": 0.12, "gt30": 0.07,
                              "never": 0.03, "not_needed": 0.08, "unknown": 0.05},
    ("hizmet", "nufus_purpose"): {"id_card": 0.3, "passport": 0.2, "licence": 0.15,
                                  "address": 0.12, "civil_event": 0.1, "document": 0.08,
                                  "other": 0.05},
    ("hizmet", "appointment"): {"yes": 0.7, "no": 0.3},
    ("hizmet", "wait_time"): {"lt15": 0.45, "m15_30": 0.3, "m30_60": 0.15, "gt60": 0.1},
    ("hizmet", "traffic_purpose"): {"accident": 0.2, "fine": 0.35, "check": 0.2,
                                    "registration": 0.1, "report": 0.1, "other": 0.05},
    ("hizmet", "police_purpose"): {"crime": 0.3, "complaint": 0.3, "document": 0.3,
                                   "other": 0.1},
    ("mahalle", "main_problem"): {"theft": 0.22, "drugs": 0.18, "violence": 0.06,
                                  "harassment": 0.05, "traffic": 0.15, "dark_places": 0.1,
                                  "stray_dogs": 0.14, "other": 0.03, "none": 0.07},
    ("mahalle", "drugs_seen"): {"yes": 0.35, "no": 0.55, "prefer_not": 0.1},
    ("mahalle", "drugs_report"): {"yes": 0.6, "no": 0.4},
    ("okul_servis", "school_level"): {"preschool": 0.1, "primary": 0.45, "middle": 0.3,
                                      "high": 0.15},
    ("okul_servis", "sign"): {"yes": 0.8, "no": 0.1, "unknown": 0.1},
    ("okul_servis", "knows_complaint"): {"yes": 0.4, "no": 0.6},
}
# By service, for everyone: how the service was used.
CHANNELS = {"nufus": {"in_person": 0.7, "online": 0.2, "phone": 0.1},
            "trafik": {"in_person": 0.55, "online": 0.3, "phone": 0.15},
            "emniyet": {"in_person": 0.6, "phone": 0.3, "online": 0.1},
            "jandarma": {"in_person": 0.65, "phone": 0.3, "online": 0.05},
            "goc": {"in_person": 0.6, "online": 0.3, "phone": 0.1}}


def interpreter_weights(language: str) -> dict[str, float]:
    """Language support: most Turkish readers at the migration office need none."""
    if language == "tr":
        return {"not_needed": 0.6, "yes": 0.25, "no": 0.15}
    return {"yes": 0.45, "no": 0.3, "not_needed": 0.25}


# "Don't know" (or "not concluded yet") instead of a score, by question; 4 % otherwise.
UNSCORED = {"equal_treatment": 0.08, "knowledge": 0.05, "trust_jandarma": 0.25,
            "school_area": 0.1, "driver_phone": 0.2, "escort": 0.1}
UNSCORED_DEFAULT = 0.04
# An outcome still pending: residence permits and investigations take longer than a visit.
PENDING = {"goc": 0.25, "emniyet": 0.15, "jandarma": 0.12, "nufus": 0.06, "trafik": 0.05,
           "acil112": 0.02}
