"""The welcome, the privacy notice (aydınlatma metni, KVKK Law No. 6698 Art. 10) and the
explicit consent question (açık rıza, Art. 5 and 9), kept apart as the Authority's communiqué
on the notice requires: the notice is information, shown at /start in brief and always
reachable in full (its button, /gizlilik, and the page /gizlilik on the web server); the
consent question is a message of its own, with its own act of consent.

Change NOTICE_VERSION whenever the notice or the consent text changes: everyone who consented
to an earlier version is asked again before their next answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from conversations.i18n import Texts

# 2: names the neighbourhood a muhtar's link records; 3: says what the stored code of the
# Telegram account is; 4: the notice (in brief and in full) apart from the consent question,
# with the data controller, legal basis, recipients, transfer abroad and every Art. 11 right
NOTICE_VERSION = 4


@dataclass(frozen=True)
class NoticeFacts:
    """What the notice names that a deployment decides (IZDES_CONTROLLER_*): the Ministry's
    own by default; its legal unit confirms them before launch (docs/operations.md)."""

    controller: str = "T.C. İçişleri Bakanlığı"
    address: str = "Bakanlıklar, Çankaya/Ankara"
    contact: str = "https://www.icisleri.gov.tr"
    retention_days: int = 730
    # The fewest staff of one kind of unit in a province whose figures are shown
    # (IZDES_STAFF_MIN_CELL): the staff are told it before they answer.
    staff_min_cell: int = 5


MINISTRY = NoticeFacts()


def welcome_with_notice(t: Texts, facts: NoticeFacts, about: str | None = None,
                        staff: bool = False) -> str:
    """The first message: who asks and why (``about``: the survey's own welcome), and the
    notice in brief; for the staff of a unit (who came through its invitation), what they
    must know before they answer."""
    if staff:
        return "\n\n".join([staff_welcome(t), language_line(t), staff_reassurance(t, facts),
                             staff_notice_in_brief(t, facts)])
    return "\n\n".join([welcome(t, about), language_line(t), emergency_line(t),
                         reassurance(t), notice_in_brief(t, facts)])


def welcome(t: Texts, about: str | None = None) -> str:
    """Who asks and why: the survey's own welcome (a msgid) or the service survey's."""
    if about:
        return t._(about)
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


def reassurance(t: Texts) -> str:
    return t._("Your answers will not affect any application you have made, or your residence "
               "or protection status, in any way.")


def retention(t: Texts, days: int) -> str:
    """How long linked data is kept, as people say it: "2 years", or days."""
    if days % 365 == 0:
        years = days // 365
        return t.ngettext("{count} year", "{count} years", years).format(
            count=t.number(years))
    return t.ngettext("{count} day", "{count} days", days).format(count=t.number(days))


def notice_in_brief(t: Texts, facts: NoticeFacts) -> str:
    return t._(
        "Privacy notice in brief (KVKK, Law No. 6698)\n"
        "• Data controller: {controller}.\n"
        "• Purpose: to measure and improve public services. Results are published only as "
        "statistics.\n"
        "• Kept: your answers, the service and province you rate (and the neighbourhood, if "
        "you came through a muhtar's link) and when you answered. No name, phone number or "
        "location. Your Telegram account is kept only as a code made with a secret key, so "
        "that /sil can find your answers.\n"
        "• Who sees it: the Ministry; a governor's office sees only figures for its own "
        "province.\n"
        "• Abroad: your messages pass through Telegram's servers outside Türkiye.\n"
        "• Kept for {retention} at most; /sil erases everything linked to you at any time.\n"
        "Your rights and how to use them: /gizlilik or the button below."
    ).format(controller=facts.controller, retention=retention(t, facts.retention_days))


def consent_question(t: Texts) -> str:
    return t._(
        "Explicit consent\n"
        "Do you agree to your answers being processed for the purpose described above and, "
        "because Telegram is used, transferred abroad? You can withdraw your consent at any "
        "time with /sil."
    )


def full_notice(t: Texts, facts: NoticeFacts) -> str:
    """The whole notice: /gizlilik, its button, and the web page."""
    return t._(
        "Privacy notice (KVKK, Law No. 6698, Article 10)\n\n"
        "Data controller: {controller}, {address}.\n\n"
        "Purpose: to measure the quality of the public services you rate and to improve "
        "them, within the Ministry of Interior's Monitoring and Evaluation System (İZDES). "
        "Results are published only as statistics that show no one's answers.\n\n"
        "Data processed: your answers; the service, province and district you rate (and the "
        "neighbourhood, if you came through a muhtar's link); when you answered; your "
        "language. Your Telegram account is not kept with your answers: only a code made "
        "from it with a secret key, kept apart from the data, so that /sil can find your "
        "answers. We never ask for your name, phone number or location; please do not write "
        "them in a comment.\n\n"
        "How and on what legal basis: collected through this Telegram bot by automated "
        "means, on the basis of your explicit consent (Article 5 and, for the transfer "
        "abroad, Article 9).\n\n"
        "Recipients: the Ministry of Interior; a governor's office sees only figures for its "
        "own province. Published statistics contain no personal data.\n\n"
        "Transfer abroad: messages on Telegram pass through Telegram's servers outside "
        "Türkiye, under Telegram's own privacy policy.\n\n"
        "Retention: data linked to you is deleted or made anonymous after {retention} at the "
        "latest; messages waiting to be processed are deleted within seven days.\n\n"
        "Your rights (Article 11): you may ask the data controller (a) whether personal data "
        "about you are processed; (b) for information about it; (c) for the purpose and "
        "whether they are used for it; (ç) which third parties in Türkiye or abroad receive "
        "them; (d) to correct them if they are incomplete or wrong; (e) to erase or destroy "
        "them; (f) that those who received them be told of (d) and (e); (g) to object to a "
        "result against you that comes solely from automated analysis; (ğ) for compensation "
        "of damage caused by unlawful processing.\n\n"
        "How to apply: /sil erases everything linked to you at once. For the other rights, "
        "apply in writing to {controller}, {address}, or through {contact}; you are answered "
        "within 30 days (Article 13). If your application is refused or not answered, you "
        "may complain to the Personal Data Protection Board (Kişisel Verileri Koruma Kurulu, "
        "Article 14)."
    ).format(controller=facts.controller, address=facts.address, contact=facts.contact,
             retention=retention(t, facts.retention_days))


def help_text(t: Texts) -> str:
    return t._(
        "This bot runs short surveys for the Ministry of Interior: on public services you "
        "used (police, gendarmerie, traffic, 112, civil registry, migration), on the safety "
        "of your neighbourhood and on school buses.\n"
        "• Answer with the buttons, or type when asked.\n"
        "• « Back » returns to the previous question.\n"
        "• /iptal cancels the survey in progress and deletes its answers.\n"
        "• /sil erases everything linked to you.\n"
        "• /start begins a new survey.\n"
        "• /dil changes the language.\n"
        "This is not an emergency line: in an emergency, call 112."
    )


# ---- the staff of provincial units (İZDES1): they tell the truth about their own unit only
# if they know that nobody above them can see what they said.

def staff_welcome(t: Texts) -> str:
    return t._(
        "Hello! As part of the Ministry of Interior's Monitoring and Evaluation System "
        "(İZDES), this bot asks the staff of provincial units what their unit lacks and "
        "what they propose, so that the Ministry can act on it.\n"
        "The survey takes about three minutes."
    )


def staff_reassurance(t: Texts, facts: NoticeFacts) -> str:
    """Who sees what: said before consent, and again before the first question."""
    return t._(
        "Who sees your answers: nobody sees what one person answered, neither your unit nor "
        "your superiors nor the governor's office. The Ministry, and the governor's office "
        "for its own province, see only figures for at least {count} staff of the same kind "
        "of unit in a province, by quarter, and proposals only from such groups. Your "
        "answers do not affect your career or assessment in any way."
    ).format(count=t.number(facts.staff_min_cell))


def staff_notice_in_brief(t: Texts, facts: NoticeFacts) -> str:
    return t._(
        "Privacy notice in brief (KVKK, Law No. 6698)\n"
        "• Data controller: {controller}.\n"
        "• Purpose: to learn what provincial units lack and what their staff propose, and "
        "to report it to the Ministry. Results are published only as statistics.\n"
        "• Kept: your answers, the kind of unit and the province (from your unit's link) "
        "and when you answered. No name, rank, registration number, phone number or "
        "location. Your Telegram account is kept only as a code made with a secret key, so "
        "that /sil can find your answers.\n"
        "• Who sees it: see above; no one's answers are shown to anyone.\n"
        "• Abroad: your messages pass through Telegram's servers outside Türkiye.\n"
        "• Kept for {retention} at most; /sil erases everything linked to you at any time.\n"
        "Your rights and how to use them: /gizlilik or the button below."
    ).format(controller=facts.controller, retention=retention(t, facts.retention_days))


def staff_notice(t: Texts, facts: NoticeFacts) -> str:
    """What the full notice adds for the staff of provincial units: the page /gizlilik
    shows it after the citizens' notice, the bot's /gizlilik to whoever came as staff."""
    return t._(
        "For the staff of provincial units (İZDES1)\n\n"
        "Purpose: to learn what the units of the governor's offices, police, gendarmerie, "
        "coast guard, AFAD, migration, civil registry and 112 emergency call centres lack "
        "in personnel, equipment and working conditions, and what their staff propose, and "
        "to report it with solutions to the Ministry.\n\n"
        "Data processed: your answers; the kind of unit and the province, taken from the "
        "link your unit received (never typed, never the unit's name in the results); when "
        "you answered. No question asks about you: not your age, sex, rank, post or years "
        "of service.\n\n"
        "Who sees what: figures and proposals are shown only for groups of at least "
        "{count} staff of the same kind of unit in a province (and for the whole country by "
        "kind of unit), by whole quarter; never for a single unit, never for a shorter "
        "time, never one person's answers. The Ministry sees every province; a governor's "
        "office only its own. Your unit and your superiors see no one's answers, and no "
        "one's answers are given out row by row."
    ).format(count=t.number(facts.staff_min_cell))
