"""What a citizen does in Telegram, step by step, in the Turkish the bot speaks."""

from __future__ import annotations

from tests.telegram_double import BotMessage, Citizen

AGREE = "✅ Onaylıyorum"
DECLINE = "Hayır, teşekkürler"
BACK = "« Geri"
SKIP = "Geç"


ADULT_QUESTION = "18 yaşını doldurdunuz mu?"
ADULT = "Evet"


async def read_notice(citizen: Citizen) -> tuple[BotMessage, BotMessage]:
    """The two messages /start brings before consent: the notice (information, with its
    button to the full text) and the consent question."""
    notice = await citizen.next_message()
    question = await citizen.next_message()
    assert len(question.labels()) == 2, citizen.transcript()
    return notice, question


async def agree(citizen: Citizen) -> BotMessage:
    """/start, read the notice, agree: returns the first question (are you 18 or older?)."""
    await citizen.send("/start")
    _, question = await read_notice(citizen)
    assert AGREE in question.labels(), citizen.transcript()
    await citizen.press(AGREE)
    return await citizen.next_message()


async def consent(citizen: Citizen) -> BotMessage:
    """/start, agree, say you are 18 or older: returns the service question."""
    first = await agree(citizen)
    assert ADULT_QUESTION in first.text, citizen.transcript()
    return await tap(citizen, ADULT)


async def reach_the_province_by_position(citizen: Citizen) -> BotMessage:
    """/start, agree, 18 or older, police, last 7 days, in person: the province question,
    whatever the citizen's language (buttons are pressed by position)."""
    await citizen.send("/start")
    _, question = await read_notice(citizen)
    adult = await tap(citizen, question.labels()[0])
    service = await tap(citizen, adult.labels()[0])
    recency = await tap(citizen, service.labels()[0])
    channel = await tap(citizen, recency.labels()[0])
    return await tap(citizen, channel.labels()[0])


async def tap(citizen: Citizen, label: str) -> BotMessage:
    """Press a button on the current question; returns the next message the bot sends."""
    await citizen.press(label)
    return await citizen.next_message()


async def answer_until_province(citizen: Citizen, service: str = "Trafik") -> BotMessage:
    await consent(citizen)
    await tap(citizen, service)
    question = await tap(citizen, "Son 7 gün içinde")
    if "Hizmeti nasıl aldınız?" in question.text:
        question = await tap(citizen, "Yüz yüze")
    assert "Hizmeti hangi ilde aldınız?" in question.text, citizen.transcript()
    return question


# timeliness, information, knowledge, courtesy, fairness, equal treatment, outcome
DRIVER_ANSWERS = ["Katılıyorum", "Katılıyorum", "Kesinlikle katılıyorum",
                  "Ne katılıyorum ne katılmıyorum", "Katılıyorum", "Kesinlikle katılıyorum",
                  "Bilmiyorum / Durumuma uymuyor"]


async def type_province(citizen: Citizen, name: str) -> BotMessage:
    """Type the province; the question shows the answer; returns the next (district) question."""
    await citizen.send(name)
    await citizen.next_edit()
    return await citizen.next_message()


OVERALL_QUESTION = "ne kadar memnunsunuz"
DISTRICT_QUESTION = "Hangi ilçede?"


async def answer_until_overall(citizen: Citizen) -> BotMessage:
    """From the district question: skip it, take the first choice of any service-specific
    question; returns the overall-satisfaction question."""
    question = citizen.last
    while OVERALL_QUESTION not in question.text:
        if DISTRICT_QUESTION in question.text:
            question = await tap(citizen, SKIP)
        else:
            question = await tap(citizen, question.labels()[0])
    return question


async def answer_until_comment(
    citizen: Citizen, overall: str = "Memnunum", effort: str = "6",
    drivers: list[str] = DRIVER_ANSWERS,
) -> BotMessage:
    """Answer the overall question, the drivers and the effort (after province: district
    skipped); returns the comment question."""
    await answer_until_overall(citizen)
    await tap(citizen, overall)
    for label in drivers:
        await tap(citizen, label)
    question = await tap(citizen, effort)
    assert "Hizmeti nasıl iyileştirebiliriz?" in question.text, citizen.transcript()
    return question


async def answer_after_province(
    citizen: Citizen, overall: str = "Memnunum", effort: str = "6", comment: str | None = None,
    drivers: list[str] = DRIVER_ANSWERS,
) -> BotMessage:
    """Answer everything after the province (district skipped); returns the closing message."""
    await answer_until_comment(citizen, overall, effort, drivers)
    if comment is None:
        return await tap(citizen, SKIP)
    await citizen.send(comment)
    return await citizen.next_message()
