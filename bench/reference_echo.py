"""Reference 1: the stock python-telegram-bot echo bot, as PTB's examples write it.

    IZDES_BOT_TOKEN=... IZDES_BOT_API_URL=http://127.0.0.1:PORT python -m bench.reference_echo
    (+ IZDES_WEBHOOK_URL, IZDES_WEBHOOK_SECRET, IZDES_HTTP_PORT for run_webhook)

Nothing tuned: run_polling / run_webhook with their defaults, updates handled one at a time,
no database. It is the ceiling of what PTB itself costs per update.
"""

from __future__ import annotations

import os
from urllib.parse import urlparse

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text(update.message.text)


def main() -> None:
    root = os.environ["IZDES_BOT_API_URL"].rstrip("/")
    application = (
        Application.builder().token(os.environ["IZDES_BOT_TOKEN"]).base_url(f"{root}/bot").build()
    )
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    webhook_url = os.environ.get("IZDES_WEBHOOK_URL")
    if webhook_url:
        application.run_webhook(
            listen="127.0.0.1", port=int(os.environ["IZDES_HTTP_PORT"]),
            url_path=urlparse(webhook_url).path.lstrip("/"), webhook_url=webhook_url,
            secret_token=os.environ.get("IZDES_WEBHOOK_SECRET"),
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
