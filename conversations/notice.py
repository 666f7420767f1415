"""The welcome and the privacy notice (aydınlatma metni, KVKK Law No. 6698).

Change NOTICE_VERSION whenever the notice text changes: everyone who consented to an earlier
version is asked again before their next answer.
"""

from __future__ import annotations

from conversations.i18n import Texts

# 2: names the neighbourhood a muhtar's link records; 3: says what the stored code of the
# Telegram account is (a keyed code, not an irreversible one)
NOTICE_VERSION = 3


def welcome_with_notice(t: Texts) -> str:
    return "\n\n".join([welcome(t), language_line(t), emergency_line(t), privacy_notice(t)])


def welcome(t: Texts) -> str:
    return t._(
        "Hello! As part of the Ministry of Interior's Monitoring and Evaluation System "
        "(İZDES), this bot asks for your opinion of a public service you used in the last "
        "30 days.\n"
        "The survey takes about two minutes."
    )


def language_line(t: Texts) -> str:
    return t._("To change the language, send /dil.")


def emergency_line(t: Texts) -> str:
    return t._("⚠️ This is not an emergency line. In an emergency, call 112.")


def privacy_notice(t: Texts) -> str:
    return t._(
        "Privacy notice (KVKK, Law No. 6698)\n"
        "• Who: the Ministry of Interior of the Republic of Türkiye, İZDES programme, "
        "is the data controller.\n"
        "• Why: to measure and improve the quality of public services. Results are "
        "published only as statistics.\n"
        "• What is kept: your answers, the service and province you rate (and the "
        "neighbourhood, if you came through a muhtar's link), and when you answered. "
        "We never ask for your name, phone number or location. Your Telegram "
        "account is not kept with your answers: only a code made from it with a secret key, "
        "which is kept apart from the data, so that /sil can find your answers. Messages "
        "waiting to be processed are deleted within seven days.\n"
        "• Telegram: your messages pass through Telegram's servers, under Telegram's own "
        "privacy policy.\n"
        "• Retention: data linked to you is deleted after two years at the latest.\n"
        "• Your right: send /sil at any time to erase everything linked to you.\n\n"
        "Do you agree that your answers are processed for this purpose?"
    )


def help_text(t: Texts) -> str:
    return t._(
        "This bot asks a few short questions about a public service you used "
        "(police, gendarmerie, traffic, 112, civil registry, migration).\n"
        "• Answer with the buttons, or type when asked.\n"
        "• « Back » returns to the previous question.\n"
        "• /iptal cancels the survey in progress and deletes its answers.\n"
        "• /sil erases everything linked to you.\n"
        "• /start begins a new survey.\n"
        "• /dil changes the language.\n"
        "This is not an emergency line: in an emergency, call 112."
    )
