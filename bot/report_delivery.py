"""The monthly report to administrators, sent as a PDF document in Telegram by the bot's
upkeep (bot.runner); what is sent to whom, and once, is admin.report_delivery's."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from telegram import Bot
from telegram.error import BadRequest, Forbidden

from admin.publish import Publication
from admin.report_delivery import Recipient, Send, Undeliverable, deliver_latest
from admin.tokens import Scope
from conversations.pseudonym import Pseudonymizer
from conversations.survey import Survey
from storage.database import Database

log = logging.getLogger(__name__)

# The keyed code's channel for administrators: not the respondents' ("tg"), so that a
# delivery's row cannot be joined to the answers an administrator may have given.
RECIPIENT_CHANNEL = "tg-admin-report"


@dataclass(frozen=True)
class Delivery:
    """What the upkeep needs to deliver the default survey's report."""

    db: Database
    survey: Survey
    publication: Publication
    recipients: tuple[Recipient, ...]
    send: Send

    async def run(self, now: datetime) -> None:
        outcome = await deliver_latest(self.db, self.survey, self.publication,
                                       self.recipients, self.send, now)
        if outcome:
            log.info("report delivery: %s", ", ".join(f"{n} {what}"
                                                      for what, n in sorted(outcome.items())))


def report_delivery(enabled: bool, admins: Mapping[int, Scope], pseudonymizer: Pseudonymizer,
                    db: Database, survey: Survey, publication: Publication,
                    bot: Bot) -> Delivery | None:
    """The delivery, or None when it is switched off or no administrator is configured.
    A microdata scope is national for the report."""
    if not enabled or not admins:
        return None
    recipients = tuple(Recipient(user_id, pseudonymizer.key_for(RECIPIENT_CHANNEL, user_id),
                                 Scope(scope.province))
                       for user_id, scope in admins.items())
    return Delivery(db, survey, publication, recipients, telegram_sender(bot))


def telegram_sender(bot: Bot) -> Send:
    async def send(user_id: int, pdf: bytes, filename: str, caption: str) -> None:
        try:
            await bot.send_document(user_id, pdf, filename=filename, caption=caption)
        except Forbidden as error:  # blocked the bot
            raise Undeliverable("Forbidden") from error
        except BadRequest as error:
            # "chat not found": never started the bot. Any other refusal (a file too
            # large, a caption refused) is ours to fix, and tried again after a while.
            if "chat not found" not in str(error).lower():
                raise
            raise Undeliverable("chat not found") from error

    return send
