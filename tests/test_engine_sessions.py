"""Engine rules over time, driven as a channel drives it (the terminal does the same), on the
store in memory (tests/test_survey_store.py holds the SQL stores to the same contract)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from conversations.engine import SurveyEngine
from conversations.memory_store import MemoryStores
from conversations.messages import Inbound, Press, Reply, Start, Text
from conversations.state import SessionState, Status
from conversations.survey import builtin_surveys, parse_survey


def the_response(stores: MemoryStores) -> SessionState:
    (only,) = stores.sessions()
    return only


def texts(reply: Reply) -> str:
    return "\n".join(a.text or "" for a in reply.actions)


def button(reply: Reply, label: str) -> str:
    for action in reply.actions:
        for row in action.keyboard:
            for b in row:
                if b.label == label:
                    return b.data
    raise AssertionError(f"no {label!r} in {reply}")


async def agree_and_pick(engine: SurveyEngine, who: str, service: str = "Trafik") -> Reply:
    notice = await engine.handle(Inbound(who, Start()))
    adult = await engine.handle(Inbound(who, Press(button(notice, "✅ Onaylıyorum")),
                                        message_ref="1"))
    first = await engine.handle(Inbound(who, Press(button(adult, "Evet")), message_ref="2"))
    return await engine.handle(Inbound(who, Press(button(first, service)), message_ref="3"))


async def rate_another(engine: SurveyEngine, who: str, closing: Reply) -> Reply:
    """"Rate another service": the service question (the age is not asked again)."""
    service = await engine.handle(Inbound(
        who, Press(button(closing, "Başka bir hizmeti değerlendir")), message_ref="6"))
    assert "Hangi hizmeti değerlendirmek istersiniz?" in texts(service)
    return service


async def test_an_abandoned_survey_expires_and_the_citizen_is_told():
    stores = MemoryStores()
    later = timedelta()
    engine = SurveyEngine(stores, session_ttl=timedelta(days=3),
                          clock=lambda: datetime.now(UTC) + later)
    await agree_and_pick(engine, "someone")
    later = timedelta(days=3, minutes=1)
    reply = await engine.handle(Inbound("someone", Text("merhaba")))
    assert "3 gün boyunca yanıt verilmediği için kapatıldı" in texts(reply)
    assert "Bir hizmeti değerlendir" in [b.label for a in reply.actions for r in a.keyboard
                                          for b in r]
    assert the_response(stores).status == "expired"
    again = await engine.handle(Inbound("someone", Start()))
    assert "Hangi hizmeti değerlendirmek istersiniz?" in texts(again)  # 18+ already said
    assert stores.sessions()[-1].answers["adult"] == "yes"


async def test_a_survey_within_its_time_continues():
    stores = MemoryStores()
    engine = SurveyEngine(stores, session_ttl=timedelta(days=3),
                          clock=lambda: datetime.now(UTC) + timedelta(days=2, hours=23))
    await agree_and_pick(engine, "someone")
    reply = await engine.handle(Inbound("someone", Start()))
    assert "Kaldığınız yerden devam edelim" in texts(reply)


async def test_a_changed_privacy_notice_is_agreed_again_and_answers_are_kept():
    stores = MemoryStores()
    await agree_and_pick(SurveyEngine(stores, notice_version=1), "someone")
    engine = SurveyEngine(stores, notice_version=2)
    notice = await engine.handle(Inbound("someone", Text("son 7 gün içinde")))
    assert "Aydınlatma metni" in texts(notice)
    resumed = await engine.handle(Inbound("someone", Press(button(notice, "✅ Onaylıyorum")),
                                          message_ref="9"))
    assert "Kaldığınız yerden devam edelim" in texts(resumed)
    assert "en son ne zaman aldınız?" in texts(resumed)
    assert the_response(stores).answers == {"adult": "yes", "service": "trafik"}
    respondent = stores.respondent("someone")
    assert respondent is not None and respondent.consent_version == "2"
    assert respondent.consented_at is not None


def stepping_clock(seconds: float, start: datetime | None = None):
    """Each input `seconds` after the previous one."""
    moments = itertools.count()
    origin = start or datetime.now(UTC)
    return lambda: origin + timedelta(seconds=seconds * next(moments))


async def complete_112(engine: SurveyEngine, who: str, after: Reply | None = None) -> Reply:
    """The 112 path, pressing the first choice everywhere and skipping what can be skipped."""
    reply = after or await agree_and_pick(engine, who, service="112 Acil Çağrı")
    while "Teşekkür ederiz!" not in texts(reply):
        offered = [b for row in reply.actions[-1].keyboard for b in row]
        if "Hizmeti hangi ilde" in texts(reply):
            event = Text("Ankara")
        else:
            skip = [b for b in offered if b.label == "Geç"]
            event = Press((skip or offered)[0].data)
        reply = await engine.handle(Inbound(who, event, message_ref="5"))
    return reply


async def test_answers_faster_than_a_person_reads_are_flagged():
    stores = MemoryStores()
    engine = SurveyEngine(stores, clock=stepping_clock(0.3))
    await complete_112(engine, "bot-like")
    assert the_response(stores).flagged_automated is True


async def test_answers_at_a_human_pace_are_not_flagged():
    stores = MemoryStores()
    engine = SurveyEngine(stores, clock=stepping_clock(4))
    await complete_112(engine, "person")
    response = the_response(stores)
    assert response.status == "completed" and response.flagged_automated is False


async def test_one_response_per_service_per_repeat_period():
    stores = MemoryStores()
    start = datetime(2026, 11, 1, 10, tzinfo=UTC)
    clock = stepping_clock(3, start)
    engine = SurveyEngine(stores, clock=clock, repeat_after=timedelta(days=30))
    closing = await complete_112(engine, "someone")
    service = await rate_another(engine, "someone", closing)
    refused = await engine.handle(Inbound(
        "someone", Press(button(service, "112 Acil Çağrı")), message_ref="8"))
    assert "Bu hizmeti 1 Kasım 2026 tarihinde değerlendirdiniz" in texts(refused)
    assert "1 Aralık 2026 tarihinden itibaren" in texts(refused)
    assert "Hangi hizmeti değerlendirmek istersiniz?" in texts(refused)
    other = await engine.handle(Inbound(
        "someone", Press(button(refused, "Nüfus")), message_ref="9"))
    assert "en son ne zaman aldınız?" in texts(other)


async def test_the_repeat_period_passes():
    stores = MemoryStores()
    late = timedelta()
    base = stepping_clock(3)
    engine = SurveyEngine(stores, clock=lambda: base() + late,
                          repeat_after=timedelta(days=30))
    closing = await complete_112(engine, "someone")
    late = timedelta(days=30, minutes=1)
    service = await rate_another(engine, "someone", closing)
    again = await engine.handle(Inbound(
        "someone", Press(button(service, "112 Acil Çağrı")), message_ref="8"))
    assert "en son ne zaman aldınız?" in texts(again)


async def test_back_goes_back_on_a_channel_that_does_not_say_which_message_was_tapped():
    stores = MemoryStores()
    engine = SurveyEngine(stores)
    recency = await agree_and_pick(engine, "someone")
    back = await engine.handle(Inbound("someone", Press(button(recency, "« Geri"))))
    assert "Hangi hizmeti değerlendirmek istersiniz?" in texts(back)
    assert the_response(stores).step == "service"


async def test_a_survey_changed_since_it_was_begun_starts_again():
    """A deploy changes hizmet while someone is half way: they are not asked a question that
    may no longer exist, nor are their answers mixed with the new version's."""
    stores = MemoryStores()
    await agree_and_pick(SurveyEngine(stores), "someone")
    surveys = dict(builtin_surveys())
    surveys["hizmet"] = surveys["hizmet"].model_copy(
        update={"version": surveys["hizmet"].version + 1})
    engine = SurveyEngine(stores, surveys)
    reply = await engine.handle(Inbound("someone", Text("son 7 gün içinde")))
    assert "anket değişti" in texts(reply)
    assert the_response(stores).status == Status.EXPIRED
    again = await engine.handle(Inbound("someone", Start()))
    # The new version, from its start (being 18 or over, said already, is not asked again).
    assert "Hangi hizmeti değerlendirmek istersiniz?" in texts(again)


async def test_consenting_again_does_not_bring_back_a_survey_that_has_changed():
    """A new notice and a new survey version in one deploy: the session consent brings back
    is settled too, not shown (its question may no longer exist)."""
    stores = MemoryStores()
    await agree_and_pick(SurveyEngine(stores, notice_version=3), "someone")
    surveys = dict(builtin_surveys())
    surveys["hizmet"] = surveys["hizmet"].model_copy(
        update={"version": surveys["hizmet"].version + 1})
    engine = SurveyEngine(stores, surveys, notice_version=4)
    notice = await engine.handle(Inbound("someone", Text("merhaba")))
    agreed = await engine.handle(Inbound("someone", Press(button(notice, "✅ Onaylıyorum")),
                                         message_ref="9"))
    assert "anket değişti" in texts(agreed)
    assert "Kaldığınız yerden devam edelim" not in texts(agreed)
    assert "Hangi hizmeti değerlendirmek istersiniz?" in texts(agreed)  # begun afresh
    assert [s.status for s in stores.sessions()] == [Status.EXPIRED, Status.ACTIVE]


async def test_declining_a_changed_notice_does_not_claim_nothing_is_stored():
    stores = MemoryStores()
    await agree_and_pick(SurveyEngine(stores, notice_version=3), "someone")
    engine = SurveyEngine(stores, notice_version=4)
    notice = await engine.handle(Inbound("someone", Text("merhaba")))
    declined = await engine.handle(Inbound("someone", Press(button(notice, "Hayır, teşekkürler")),
                                           message_ref="9"))
    assert "hiçbir bilgi kaydedilmedi" not in texts(declined)
    assert "/sil" in texts(declined) and "yeni bir bilgi kaydedilmedi" in texts(declined)


DEMO = """
key: demo
version: 1
title: "Demo"
questions:
  - id: language
    kind: context
  - id: colour
    text: "Which colour?"
    choices:
      - {value: red, label: "Red"}
  - id: help
    text: "Did you need help with the language?"
    choices:
      - {value: "yes", label: "Yes"}
  - id: size
    text: "Which size?"
    choices:
      - {value: small, label: "Small"}
"""


async def test_a_question_that_stopped_applying_is_passed_over_not_shown():
    """A survey changed under a session in progress (or the language changed with /dil):
    the question being asked no longer applies; the next one is shown instead, and the old
    buttons are stale."""
    stores = MemoryStores()
    before = parse_survey(DEMO)
    engine = SurveyEngine(stores, {"demo": before}, default_survey="demo")
    notice = await engine.handle(Inbound("someone", Start()))
    colour = await engine.handle(Inbound("someone", Press(button(notice, "✅ Onaylıyorum")),
                                         message_ref="1"))
    helped = await engine.handle(Inbound("someone", Press(button(colour, "Red")),
                                         message_ref="2"))
    assert "Did you need help with the language?" in texts(helped)
    after = parse_survey(DEMO.replace("  - id: help\n",
                                      "  - id: help\n    when: {language: [en, ar]}\n"))
    engine = SurveyEngine(stores, {"demo": after}, default_survey="demo")
    stale = await engine.handle(Inbound("someone", Press(button(helped, "Evet")),
                                        message_ref="3"))
    assert "Which size?" in texts(stale) and "Did you need help" not in texts(stale)
    assert the_response(stores).step == "size"
    assert "help" not in the_response(stores).answers
