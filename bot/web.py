"""Our aiohttp server: health checks, the admin API, and the webhook receiver in webhook mode."""

from __future__ import annotations

from urllib.parse import urlparse

from aiohttp import web

from admin.api import build_admin_api
from bot.intake import UpdateIntake
from bot.settings import Settings
from storage.database import Database


def build_web_app(
    settings: Settings, intake: UpdateIntake | None, db: Database | None = None
) -> web.Application:
    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_get("/healthz", healthz)
    if db is not None:
        app.add_subapp("/api/v1", build_admin_api(db, settings.min_cell))
    if settings.webhook_mode and intake is not None:
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        app.router.add_post(webhook_path(settings), intake.webhook_handler(secret))
    return app


def webhook_path(settings: Settings) -> str:
    return urlparse(settings.webhook_url or "").path or "/telegram/webhook"


async def healthz(_: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})
