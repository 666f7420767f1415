"""Reference 3 (scenario g only): the echo bot with PTB tuned the way İZDES tunes it.

    IZDES_BOT_TOKEN=... IZDES_BOT_API_URL=http://127.0.0.1:PORT python -m bench.reference_echo_tuned

The stock echo bot of reference 1, with İZDES's aiohttp request class instead of httpx, 64
updates handled at once and getUpdates asked again at once. Not a target: it tells what PTB
and one Bot API call cost per update when tuned, so the rest of an İZDES step (two more calls,
the durable transaction, the survey) can be read off the difference.
"""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import Application, MessageHandler, filters

from bench.reference_echo import echo
from bot.aiohttp_request import AiohttpRequest


def main() -> None:
    root = os.environ["IZDES_BOT_API_URL"].rstrip("/")
    application = (
        Application.builder().token(os.environ["IZDES_BOT_TOKEN"]).base_url(f"{root}/bot")
        .request(AiohttpRequest(connection_pool_size=64))
        .get_updates_request(AiohttpRequest(connection_pool_size=1, read_timeout=30.0))
        .concurrent_updates(64)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    application.run_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0.0)


if __name__ == "__main__":
    main()
