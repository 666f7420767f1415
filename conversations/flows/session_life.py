"""A survey in progress that can no longer go on: abandoned for longer than the session's time
to live, or begun under a survey definition that has changed since. Settled before any input
is applied, and again right after a consent, which brings a session back."""

from __future__ import annotations

from datetime import timedelta

from conversations.conversation import Conversation
from conversations.messages import SurveyEvent
from conversations.state import Status


async def settle_session(c: Conversation) -> None:
    await expire_abandoned_session(c)
    await retire_outdated_session(c)


async def expire_abandoned_session(c: Conversation) -> None:
    session = c.session
    if session is None or session.updated_at is None:
        return
    if c.now - session.updated_at <= c.settings.session_ttl:
        return
    session.status, session.step = Status.EXPIRED, None
    await c.store.save_session(session, c.now)
    c.note_event(SurveyEvent.EXPIRED, session)
    c.session = None
    days = max(1, round(c.settings.session_ttl / timedelta(days=1)))
    c.say(c.t.ngettext(
        "Your earlier survey was closed after {days} day without an answer. "
        "You are welcome to start again.",
        "Your earlier survey was closed after {days} days without an answer. "
        "You are welcome to start again.",
        days,
    ).format(days=c.t.number(days)))


async def retire_outdated_session(c: Conversation) -> None:
    """A survey in progress under a survey definition that has changed since (a deploy): its
    questions and their values may no longer be the ones it was begun with, so it is closed
    (its answers never counted) and the citizen is asked to start again, rather than being
    asked a question that no longer exists."""
    session = c.session
    if session is None:
        return
    survey = c.settings.surveys.get(session.survey_key)
    if survey is not None and survey.version == session.survey_version:
        return
    session.status, session.step = Status.EXPIRED, None
    await c.store.save_session(session, c.now)
    c.note_event(SurveyEvent.EXPIRED, session)
    c.session = None
    c.say(c.t._("The survey has changed since you began it, so it has to start again."))
