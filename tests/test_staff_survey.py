"""İZDES1, the staff's survey, as a unit's staff member and a passing citizen take it, on the
engine with its store in memory (the same engine runs in Telegram: tests/test_staff_units.py):
the unit and province come from the invitation, a citizen is sent to the citizens' survey,
one response a quarter, and the staff are told who sees what before they answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from conversations.engine import SurveyEngine
from conversations.links import NewLink, new_payload
from conversations.memory_store import MemoryStores
from conversations.messages import Command, Inbound, Press, Reply, Start, Text
from conversations.survey import SurveyError, builtin_surveys, parse_survey
from tests.test_engine_sessions import button, texts

AGREE = "✅ Onaylıyorum"
WORKS_HERE = "Bu birimde mi çalışıyorsunuz?"
READINESS = "vatandaşa ne kadar iyi hizmet verebiliyor?"
NEEDS = "Biriminizin en çok neye ihtiyacı var?"
PROPOSAL = "Önerinizi yazabilir"
DONE = "Tamam ✓"
WHO_SEES = "hiç kimse tek bir kişinin yanıtlarını göremez"


def labels(reply: Reply) -> list[str]:
    return [b.label for a in reply.actions for row in a.keyboard for b in row]


def unit_link(stores: MemoryStores, unit: str = "emniyet", province: str = "34",
              name: str = "Kadıköy İlçe Emniyet Müdürlüğü", survey: str = "personel") -> str:
    payload = new_payload()
    stores.add_link(NewLink(payload=payload, stats_digest=new_payload(), label=name,
                            province=province, service=unit, survey_key=survey))
    return payload


class Person:
    """One Telegram user as the engine sees them: each press names the message it was on."""

    def __init__(self, engine: SurveyEngine, key: str) -> None:
        self.engine, self.key, self.message = engine, key, 0
        self.last = Reply()

    async def send(self, event) -> Reply:
        self.message += 1
        self.last = await self.engine.handle(Inbound(self.key, event,
                                                     message_ref=str(self.message)))
        return self.last

    async def press(self, label: str) -> Reply:
        return await self.send(Press(button(self.last, label)))

    async def start(self, payload: str | None) -> Reply:
        return await self.send(Start(payload))


async def staff_until_readiness(person: Person, payload: str) -> Reply:
    notice = await person.start(payload)
    assert WHO_SEES in texts(notice) and "amirleriniz" in texts(notice)
    first = await person.press(AGREE)
    assert WORKS_HERE in texts(first), texts(first)
    return await person.press("Evet, burada çalışıyorum")


async def answer_to_the_end(person: Person, proposal: str | None = None) -> Reply:
    """Readiness, the seven statements, the training need and what hinders (first choices),
    two needs, and the proposal."""
    reply = person.last
    for _ in range(12):
        if NEEDS in texts(reply):
            break
        reply = await person.press(labels(reply)[0])
    await person.press("Daha fazla personel")
    await person.press("Araçlar")
    reply = await person.press(DONE)
    assert PROPOSAL in texts(reply), texts(reply)
    if proposal is None:
        return await person.press("Geç")
    return await person.send(Text(proposal))


def test_the_staff_survey_asks_what_the_issue_lists_and_nothing_about_the_person():
    survey = builtin_surveys()["personel"]
    assert [q.id for q in survey.questions] == [
        "service", "province", "works_here", "readiness", "personnel", "equipment",
        "vehicles", "it_systems", "building", "training", "workload", "training_need",
        "hinders", "hinders_other", "needs", "proposal"]
    assert [c.value for c in survey.question("service").choices] == [
        "valilik", "emniyet", "jandarma", "sahil_guvenlik", "afad", "goc", "nufus", "acil112"]
    assert not any(q.carried for q in survey.questions)  # no age, nothing about the person
    assert survey.question("needs").max_choices == 3
    assert "Something else" in [c.label for c in survey.question("hinders").choices]
    assert "names" in survey.question("proposal").text
    # Every statement has "don't know"; every scale from its favourable end.
    for driver in survey.report.drivers:
        assert survey.question(driver).choices[-1].score is None
    # The cut that keeps a unit's staff from being found in the figures.
    report = survey.report
    assert (report.period, report.finest_place, report.min_cell, report.row_level) == (
        "quarter", "province", "staff", False)
    # The citizens' services the staff's units give.
    assert survey.counterpart.survey == "hizmet"
    assert survey.counterpart.services["trafik"] == "emniyet"
    assert set(survey.counterpart.services) == {
        c.value for c in builtin_surveys()["hizmet"].question("service").choices}


@pytest.mark.parametrize(("change", "message"), [
    (("    max_choices: 2\n", "    max_choices: 1\n"), "max_choices of 2 or more"),
    (("      - {value: b, label: \"B\"}", "      - {value: b, label: \"B\", ends: \"Bye\"}"),
     "ends nothing"),
    (("  - id: why\n    kind: text\n", "  - id: why\n    kind: text\n    when: {pick: [a]}\n"),
     "cannot name 'pick'"),
])
def test_several_choices_and_invitations_are_checked_when_loaded(change, message):
    source = """
key: demo
version: 1
title: "Demo"
invitation_only: true
questions:
  - id: service
    dimension: service
    text: "Which unit?"
    choices:
      - {value: x, label: "X"}
  - id: pick
    kind: choices
    max_choices: 2
    text: "Pick two"
    choices:
      - {value: a, label: "A"}
      - {value: b, label: "B"}
  - id: why
    kind: text
    text: "Why?"
"""
    parse_survey(source)
    old, new = change
    with pytest.raises(SurveyError, match=message):
        parse_survey(source.replace(old, new, 1))
    with pytest.raises(SurveyError, match="invitation answers"):
        parse_survey(source.replace("    dimension: service\n", ""))


async def test_a_staff_member_answers_from_the_units_link_without_typing_unit_or_province():
    stores = MemoryStores()
    engine = SurveyEngine(stores)
    person = Person(engine, "staff-1")
    readiness = await staff_until_readiness(person, unit_link(stores))
    assert READINESS in texts(readiness)
    assert "Hangi tür birimde" not in texts(readiness) and "hangi ilde" not in texts(readiness)
    closing = await answer_to_the_end(person, "Vardiya başına iki kişi daha gerekir.")
    assert "Bakanlığa yalnızca ilinizde aynı türden birimlerde" in texts(closing)
    assert "Bir hizmeti değerlendir" in labels(closing)  # the citizens' survey, offered
    (response,) = stores.sessions()
    assert response.status == "completed"
    assert (response.dimensions["service"], response.dimensions["province"]) == ("emniyet",
                                                                                "34")
    assert response.answers["needs"] == "personnel,vehicles"
    assert "adult" not in response.answers


async def test_the_staff_are_told_who_sees_what_before_the_first_question_every_time():
    stores = MemoryStores()
    engine = SurveyEngine(stores)
    citizen_first = Person(engine, "staff-who-rated-a-service")
    await citizen_first.start(None)  # agreed to the citizens' notice before
    await citizen_first.press(AGREE)
    first = await citizen_first.start(unit_link(stores, name="Çankaya Nüfus Müdürlüğü",
                                                unit="nufus", province="06"))
    # The survey in progress continues; cancelled, the staff survey asks for consent under
    # the staff's notice (a purpose of its own; the citizens' consent does not cover it),
    # then starts with the note.
    await citizen_first.send(Command("cancel"))
    notice = await citizen_first.start(unit_link(stores, unit="nufus", province="06",
                                                 name="Çankaya Nüfus Müdürlüğü"))
    assert "amirleriniz" in texts(notice) and "birim türü ve il" in texts(notice)
    assert AGREE in labels(notice) and WORKS_HERE not in texts(notice)
    first = await citizen_first.press(AGREE)
    assert "Bu anket şu birimin personeli içindir: Çankaya Nüfus Müdürlüğü." in texts(first)
    assert WHO_SEES in texts(first) and WORKS_HERE in texts(first)
    notice = await citizen_first.send(Command("privacy"))
    assert "İl birimlerinin personeli için (İZDES1)" in texts(notice)


async def test_a_citizen_who_opens_a_staff_link_is_sent_to_the_citizens_survey():
    stores = MemoryStores()
    engine = SurveyEngine(stores)
    citizen = Person(engine, "citizen")
    await citizen.start(unit_link(stores))
    first = await citizen.press(AGREE)
    thanks = await citizen.press("Hayır")
    assert "yalnızca bağlantıyı paylaşan birimin personeli içindir" in texts(thanks)
    rating = await citizen.press("Bir hizmeti değerlendir")
    assert "18 yaşını doldurdunuz mu?" in texts(rating)
    assert stores.sessions()[0].status == "screened_out"
    assert stores.sessions()[1].survey_key == "hizmet"
    assert first  # (the screening question was the first)


@pytest.mark.parametrize("start", ["personel", None])
async def test_the_staff_survey_does_not_start_without_a_units_link(start):
    stores = MemoryStores()
    engine = SurveyEngine(stores)
    person = Person(engine, "someone")
    notice = await person.start(start)
    if start:
        assert "yalnızca birimlerine gönderilen bağlantıyla açılır" in texts(notice)
        assert WHO_SEES not in texts(notice)  # the citizens' notice: they are no staff here
    first = await person.press(AGREE)
    assert "18 yaşını doldurdunuz mu?" in texts(first)
    # Asked for by a button (a stale "rate" button, a forged one): told, and offered hizmet.
    from conversations import buttons
    await person.send(Command("cancel"))
    told = await person.send(Press(buttons.encode(buttons.NEW_SURVEY, arg="personel")))
    assert "yalnızca birimlerine gönderilen bağlantıyla açılır" in texts(told)
    assert labels(told) == ["Bir hizmeti değerlendir"]
    assert all(s.survey_key == "hizmet" for s in stores.sessions())
    # A muhtar's link (of another survey) does not open it either.
    assert "Hangi tür birimde" not in texts(await person.start(
        unit_link(stores, survey="hizmet", unit="trafik")))


async def test_one_response_per_person_and_quarter_whatever_the_unit():
    stores = MemoryStores()
    now = datetime(2027, 2, 10, 9, tzinfo=UTC)
    engine = SurveyEngine(stores, clock=lambda: now)
    person = Person(engine, "staff-1")
    await staff_until_readiness(person, unit_link(stores))
    await answer_to_the_end(person)
    now += timedelta(days=40)  # 22 March: the same quarter, another unit's link even
    again = await person.start(unit_link(stores, unit="jandarma"))
    assert "Bu anketi bu çeyrek yıl içinde, 10 Şubat 2027 tarihinde yanıtladınız" in texts(
        again)
    assert "1 Nisan 2027 tarihinden itibaren" in texts(again)
    assert AGREE not in labels(again)  # nothing to agree to, as nothing can start
    now = datetime(2027, 4, 1, 0, 5, tzinfo=UTC)
    notice = await person.start(unit_link(stores))  # a new quarter: the staff's notice again
    assert "amirleriniz" in texts(notice)
    first = await person.press(AGREE)
    assert WORKS_HERE in texts(first)


async def test_up_to_three_needs_are_picked_and_unpicked_before_done():
    stores = MemoryStores()
    engine = SurveyEngine(stores)
    person = Person(engine, "staff-1")
    reply = await staff_until_readiness(person, unit_link(stores))
    while NEEDS not in texts(reply):
        reply = await person.press(labels(reply)[0])
    assert DONE not in labels(reply)  # nothing picked yet: nothing to be done with
    for label in ("Daha fazla personel", "Araçlar", "Eğitim"):
        reply = await person.press(label)
    assert "✓ Daha fazla personel" in labels(reply) and DONE in labels(reply)
    assert reply.actions[0].__class__.__name__ == "Edit"  # the same message, its buttons new
    full = await person.press("Donanım ve ekipman")
    assert full.toast == "En fazla 3 seçenek seçebilirsiniz."
    await person.send(Press(button(reply, "✓ Araçlar")))  # unpicked: room for another
    typed = await person.send(Text("donanım ve ekipman"))  # a typed label picks it too
    assert "✓ Donanım ve ekipman" in labels(typed)
    proposal = await person.press(DONE)
    assert PROPOSAL in texts(proposal)
    assert "✅ Daha fazla personel, Donanım ve ekipman, Eğitim" in texts(proposal)
    back = await person.press("« Geri")
    assert "✓ Eğitim" in labels(back) and "Araçlar" in labels(back)
    assert stores.sessions()[0].answers["needs"] == "personnel,equipment,training"


@pytest.mark.parametrize(("language", "superiors", "works_here"), [
    ("en", "neither your unit nor your superiors", "Do you work in this unit?"),
    ("ar", "لا وحدتكم ولا رؤساؤكم", "هل تعملون في هذه الوحدة؟"),
])
async def test_staff_reading_english_or_arabic_are_told_the_same(language, superiors,
                                                                  works_here):
    stores = MemoryStores()
    engine = SurveyEngine(stores)
    payload = unit_link(stores)
    notice = await engine.handle(Inbound("staff", Start(payload), language_hint=language))
    assert superiors in texts(notice)
    agree = next(label for label in labels(notice) if label.startswith("✅"))
    first = await engine.handle(Inbound("staff", Press(button(notice, agree)),
                                        message_ref="1"))
    assert works_here in texts(first) and superiors in texts(first)
