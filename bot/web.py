"""Our aiohttp server: health checks, the admin API, and the webhook receiver in webhook mode."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Mapping
from urllib.parse import urlparse

from aiohttp import web

from admin.api import build_admin_api
from admin.bodies import READ_TIMEOUT_KEY
from admin.dashboard import add_dashboard_routes
from admin.muhtar_page import add_muhtar_page
from admin.privacy_page import add_privacy_page
from admin.problems import problem_details
from admin.sign_in import SignIn, trusted_networks
from admin.unit_api import add_unit_routes
from bot.intake import UpdateIntake
from bot.metrics import Metrics
from bot.settings import Settings
from conversations.survey import Survey
from storage.database import Database
from storage.migrate import is_current

log = logging.getLogger(__name__)

# What an operator opens, at the paths build_web_app serves them.
ENTRY_POINTS = (("dashboard", "/"), ("admin API", "/api/v1/"), ("health check", "/healthz"))

DB_KEY = web.AppKey("db", Database)
METRICS_KEY = web.AppKey("metrics", Metrics)
METRICS_TOKEN_KEY = web.AppKey("metrics_token", str)


def build_web_app(
    settings: Settings, intake: UpdateIntake | None, db: Database, metrics: Metrics,
    surveys: Mapping[str, Survey], bot_username: str = "",
) -> web.Application:
    app = web.Application(client_max_size=1024 * 1024, middlewares=[problem_details])
    app[READ_TIMEOUT_KEY] = settings.http_read_timeout
    app[DB_KEY] = db
    app[METRICS_KEY] = metrics
    app[METRICS_TOKEN_KEY] = (settings.metrics_token.get_secret_value()
                              if settings.metrics_token else "")
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics_page)
    sign_in = SignIn(db, settings.admin_token_key(), settings.api_requests_per_minute,
                     trusted_networks(settings.trusted_proxies))
    api = build_admin_api(db, surveys, settings.publication(), sign_in)
    add_unit_routes(api, (settings.bot_username or bot_username).lstrip("@"))
    app.add_subapp("/api/v1", api)
    add_dashboard_routes(app)  # the page at "/", its files under /dashboard/
    add_muhtar_page(app, db)  # /istatistik: a muhtar's reach, by stats code
    add_privacy_page(app, settings.notice_facts())  # /gizlilik: the privacy notice
    if settings.webhook_mode and intake is not None:
        app.router.add_post(webhook_path(settings),
                            intake.webhook_handler(settings.webhook_secret_token()))
    return app


def log_addresses(runner: web.AppRunner) -> None:
    """Where the dashboard, the admin API and the health check listen, one line each, at the
    address the server was bound to (the port the system chose when IZDES_HTTP_PORT is 0)."""
    for host, port, *_ in runner.addresses:
        origin = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
        for what, path in ENTRY_POINTS:
            log.info("%s: %s%s", what, origin, path)


def webhook_path(settings: Settings) -> str:
    return urlparse(settings.webhook_url or "").path or "/telegram/webhook"


async def healthz(_: web.Request) -> web.Response:
    """The process is up."""
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    """Ready to serve: the database answers and its schema is at the newest migration."""
    try:
        current = await is_current(request.app[DB_KEY].engine)
    except Exception as error:
        return web.json_response({"status": "unavailable", "database": type(error).__name__},
                                 status=503)
    if not current:
        return web.json_response({"status": "unavailable", "migrations": "behind"}, status=503)
    return web.json_response({"status": "ok", "database": "ok", "migrations": "current"})


async def metrics_page(request: web.Request) -> web.Response:
    """Prometheus metrics, for a scraper that sends IZDES_METRICS_TOKEN; not served without
    one (the port may face the internet, for the webhook)."""
    expected = request.app[METRICS_TOKEN_KEY]
    if not expected:
        raise web.HTTPNotFound(text="/metrics is served only when IZDES_METRICS_TOKEN is set")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    given_bytes = given.strip().encode("utf-8", "surrogateescape")  # no UTF-8: unequal
    if scheme.lower() != "bearer" or not hmac.compare_digest(given_bytes, expected.encode()):
        raise web.HTTPUnauthorized(text="a bearer token is required",
                                   headers={"WWW-Authenticate": "Bearer"})
    return web.Response(body=request.app[METRICS_KEY].exposition(),
                        content_type="text/plain", charset="utf-8")
