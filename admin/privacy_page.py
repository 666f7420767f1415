"""The privacy notice on the web server (/gizlilik): the same full text as /gizlilik in the
bot, in the browser's language or the one asked for (?lang=tr|en|ar), for anyone who wants
to read it before or without opening Telegram; posters and the bot point here."""

from __future__ import annotations

import html

from aiohttp import web

from conversations.i18n import SUPPORTED_LOCALES, Texts, choose_locale
from conversations.notice import NoticeFacts, full_notice, staff_notice

FACTS_KEY = web.AppKey("notice_facts", NoticeFacts)
PATH = "/gizlilik"
LANGUAGE_NAMES = {"tr": "Türkçe", "en": "English", "ar": "العربية"}


def add_privacy_page(app: web.Application, facts: NoticeFacts) -> None:
    app[FACTS_KEY] = facts
    app.router.add_get(PATH, show_notice)


async def show_notice(request: web.Request) -> web.Response:
    asked = request.query.get("lang") or request.headers.get("Accept-Language", "")
    t = Texts(choose_locale(asked.split(",")[0].split(";")[0].strip()))
    paragraphs = full_notice(t, request.app[FACTS_KEY]).split("\n\n")
    title, body = paragraphs[0], paragraphs[1:]
    # What the staff of provincial units are told besides (İZDES1), under its own heading.
    staff_title, *staff_body = staff_notice(t, request.app[FACTS_KEY]).split("\n\n")
    others = " · ".join(f'<a href="{PATH}?lang={code}" lang="{code}">{LANGUAGE_NAMES[code]}</a>'
                        for code in SUPPORTED_LOCALES if code != t.locale)
    text = "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in body)
    text += f'<h2 id="staff" style="font-size:1.1rem">{html.escape(staff_title)}</h2>'
    text += "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in staff_body)
    page = f"""<!doctype html>
<html lang="{t.locale}" dir="{"rtl" if t.rtl else "ltr"}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>İZDES · {html.escape(title)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;
line-height:1.5}} header{{background:#122a54;color:#fff;padding:.8rem 1rem;border-radius:.4rem}}
nav{{margin:.8rem 0}}</style></head>
<body><header><h1 style="font-size:1.2rem;margin:0">{html.escape(title)}</h1></header>
<nav>{others}</nav>{text}</body></html>"""
    return web.Response(text=page, content_type="text/html")
