"""Engine rules over time, driven as a channel drives it (the terminal does the same)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from conversations.engine import SurveyEngine
from conversations.messages import Inbound, Press, Reply, Start, Text
from storage.models import Respondent
from tests.stored import answers_of, the_response


def texts(reply: Reply) -> str:
    return "\n".join(a.text or "" for a in reply.actions)


def button(reply: Reply, label: str) -> str:
    for action in reply.actions:
        for row in action.keyboard:
            for b in row:
                if b.label == label:
                    return b.data
    raise AssertionError(f"no {label!r} in {reply}")


async def agree_and_pick(engine: SurveyEngine, who: str) -> Reply:
    notice = await engine.handle(Inbound(who, Start()))
    first = await engine.handle(Inbound(who, Press(button(notice, "✅ Onaylıyorum")),
                                        message_ref="1"))
    return await engine.handle(Inbound(who, Press(button(first, "Trafik")), message_ref="2"))


async def test_an_abandoned_survey_expires_and_the_citizen_is_told(db):
    later = timedelta()
    engine = SurveyEngine(db.survey_store, session_ttl=timedelta(days=3),
                          clock=lambda: datetime.now(UTC) + later)
    await agree_and_pick(engine, "someone")
    later = timedelta(days=3, minutes=1)
    reply = await engine.handle(Inbound("someone", Text("merhaba")))
    assert "3 gün boyunca yanıt verilmediği için kapatıldı" in texts(reply)
    assert "Bir hizmeti değerlendir" in [b.label for a in reply.actions for r in a.keyboard
                                          for b in r]
    assert (await the_response(db)).status == "expired"
    again = await engine.handle(Inbound("someone", Start()))
    assert "Hangi hizmeti değerlendirmek istersiniz?" in texts(again)


async def test_a_survey_within_its_time_continues(db):
    engine = SurveyEngine(db.survey_store, session_ttl=timedelta(days=3),
                          clock=lambda: datetime.now(UTC) + timedelta(days=2, hours=23))
    await agree_and_pick(engine, "someone")
    reply = await engine.handle(Inbound("someone", Start()))
    assert "Kaldığınız yerden devam edelim" in texts(reply)


async def test_a_changed_privacy_notice_is_agreed_again_and_answers_are_kept(db):
    await agree_and_pick(SurveyEngine(db.survey_store, notice_version=1), "someone")
    engine = SurveyEngine(db.survey_store, notice_version=2)
    notice = await engine.handle(Inbound("someone", Text("son 7 gün içinde")))
    assert "Aydınlatma metni" in texts(notice)
    resumed = await engine.handle(Inbound("someone", Press(button(notice, "✅ Onaylıyorum")),
                                          message_ref="9"))
    assert "Kaldığınız yerden devam edelim" in texts(resumed)
    assert "Bu hizmeti en son ne zaman aldınız?" in texts(resumed)
    response = await the_response(db)
    assert await answers_of(db, response.id) == {"service": "trafik"}
    async with db.transaction() as session:
        respondent = await session.get(Respondent, response.respondent_id)
    assert respondent.consent_version == "2" and respondent.consented_at is not None
