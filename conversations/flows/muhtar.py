"""A muhtar's link (a start payload that places the answers in a mahalle) and /istatistik,
the muhtar's question how far their link reached."""

from __future__ import annotations

from conversations.conversation import Conversation
from conversations.flows.survey_step import step_of
from conversations.links import LinkPlace, is_link_payload, normalize_stats_code, stats_code_digest
from conversations.reach import reach_text


async def start_target(c: Conversation, payload: str | None) -> tuple[str, LinkPlace | None]:
    """The survey a start payload asks for, and the muhtar's link it came through.
    An unknown, tampered, disabled or expired link starts the normal survey."""
    surveys, default = c.settings.surveys, c.settings.default_survey
    link = await c.store.find_link(payload, c.now) if (
        payload is not None and is_link_payload(payload)) else None
    if link and link.survey_key in surveys:
        return link.survey_key, link
    if link:
        return default, link
    if payload in surveys:
        return payload, None
    return default, None


async def on_stats_code(c: Conversation, typed: str | None) -> None:
    code = normalize_stats_code(typed or "")
    reach = await c.store.link_reach(stats_code_digest(code)) if code else None
    survey = c.settings.surveys.get(reach.survey_key or "") if reach else None
    if reach is not None and survey is not None and not survey.link_reach_shown:
        reach = None  # a unit's invitation: its stats code is never printed, nor answered
    if reach is None:
        c.say(c.t._(
            "Please send /istatistik followed by the stats code printed on your muhtar "
            "slip, for example: /istatistik ABCD-EFGH-JKMN"
        ) if not typed else c.t._(
            "No link has this stats code. Please check it against your muhtar slip."))
    else:
        c.say(reach_text(c.t, reach))
    if (step := step_of(c)) is not None:
        step.reshow()
