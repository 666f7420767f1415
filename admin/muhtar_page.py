"""The muhtar's page on the admin server: type the stats code, see the link's reach.

The same counts and words as /istatistik in the bot (conversations.reach), in the browser's
language. The code travels in a POST body, not in the address, so it stays out of access
logs and browser history. No token is needed: the stats code is the key, and it opens
counts only.
"""

from __future__ import annotations

import html

from aiohttp import web

from admin.bodies import read_in_time
from conversations.i18n import Texts, choose_locale
from conversations.links import normalize_stats_code, stats_code_digest
from conversations.reach import reach_text
from storage.database import Database
from storage.links import reach_by_digest

DB_KEY = web.AppKey("muhtar_db", Database)
PATH = "/istatistik"


def add_muhtar_page(app: web.Application, db: Database) -> None:
    app[DB_KEY] = db
    app.router.add_get(PATH, show_form)
    app.router.add_post(PATH, show_reach)


def _texts(request: web.Request) -> Texts:
    language = request.query.get("lang") or request.headers.get("Accept-Language", "")
    return Texts(choose_locale(language.split(",")[0].strip()))


async def show_form(request: web.Request) -> web.Response:
    return _page(_texts(request), "")


async def show_reach(request: web.Request) -> web.Response:
    t = _texts(request)
    form = await read_in_time(request, request.post)
    typed = str(form.get("kod", ""))
    code = normalize_stats_code(typed)
    reach = None
    if code:
        async with request.app[DB_KEY].transaction() as session:
            reach = await reach_by_digest(session, stats_code_digest(code))
    if reach is None:
        message = t._("No link has this stats code. Please check it against your muhtar slip.")
        return _page(t, f'<p class="problem" role="alert">{html.escape(message)}</p>',
                     status=404 if code else 400)
    lines = "".join(f"<p>{html.escape(line)}</p>" if line else "<hr>"
                    for line in reach_text(t, reach).split("\n"))
    return _page(t, f'<section class="reach">{lines}</section>')


def _page(t: Texts, body: str, status: int = 200) -> web.Response:
    direction = "rtl" if t.rtl else "ltr"
    title = html.escape(t._("Your stats code"))
    action = html.escape(t._("Show"))
    page = f"""<!doctype html>
<html lang="{t.locale}" dir="{direction}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>İZDES · {title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem}}
header{{background:#122a54;color:#fff;padding:.8rem 1rem;border-radius:.4rem}}
input{{font-size:1.4rem;letter-spacing:.1em;width:100%;box-sizing:border-box;padding:.4rem}}
button{{font-size:1.1rem;margin-top:.6rem;padding:.4rem 1.2rem}}
.problem{{color:#a00}} .reach p{{margin:.3rem 0}}</style></head>
<body><header>İZDES · {title}</header>
<form method="post"><p><label for="kod">{title}</label></p>
<input id="kod" name="kod" autocomplete="off" autocapitalize="characters"
 placeholder="ABCD-EFGH-JKMN" required><button type="submit">{action}</button></form>
{body}</body></html>"""
    return web.Response(text=page, content_type="text/html", status=status,
                        headers={"Cache-Control": "no-store"})
