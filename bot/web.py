"""Our aiohttp server: health checks now; the webhook receiver in webhook mode."""

from __future__ import annotations

from urllib.parse import urlparse

from aiohttp import web

from bot.intake import UpdateIntake
from bot.settings import Settings


def build_web_app(settings: Settings, intake: UpdateIntake | None) -> web.Application:
    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_get("/healthz", healthz)
    if settings.webhook_mode and intake is not None:
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        app.router.add_post(webhook_path(settings), intake.webhook_handler(secret))
    return app


def webhook_path(settings: Settings) -> str:
    return urlparse(settings.webhook_url or "").path or "/telegram/webhook"


async def healthz(_: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})
