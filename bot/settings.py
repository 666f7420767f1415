"""All configuration, from the environment (IZDES_*) or a .env file. One object, read once."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import re
import secrets
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from admin.publish import Publication
from admin.sign_in import trusted_networks
from admin.tokens import token_key
from conversations.notice import MINISTRY, NoticeFacts

log = logging.getLogger(__name__)

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./izdes.db"
# `izdes demo` fills this one unless told another: never the configured database.
DEMO_DATABASE_URL = "sqlite+aiosqlite:///./izdes-demo.db"
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram accepts as secret_token


# Settings that may be read from a file instead, named by IZDES_<NAME>_FILE (Docker secrets).
SECRET_SETTINGS = ("bot_token", "secret_key", "webhook_secret", "metrics_token",
                   "database_password")


class Settings(BaseSettings):
    # An empty variable is as good as unset: docker/env.example's blanks mean the default.
    model_config = SettingsConfigDict(env_prefix="IZDES_", env_file=".env", extra="ignore",
                                      env_ignore_empty=True)

    bot_token: SecretStr | None = None
    bot_api_url: str = "https://api.telegram.org"
    database_url: str = DEFAULT_DATABASE_URL
    # The database's password apart from the URL, where it needs no escaping (@ / : # %);
    # it takes the place of a password in the URL.
    database_password: SecretStr | None = None
    secret_key: SecretStr | None = None
    # Where the SQLite default keeps the key it generates (default ~/.config/izdes/secret):
    # never beside the database, whose copies would then carry the key with the codes.
    secret_file: Path | None = None
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=0, le=65535)
    # Several `izdes run` processes on one host may listen on the same port (Linux
    # SO_REUSEPORT): the kernel spreads connections among them, and one can be restarted
    # while the others keep serving.
    http_reuse_port: bool = False
    # Seconds a client has to send a request's headers (from connecting, or from the last
    # answer on the connection) and, separately, its body: a slow client cannot hold a
    # connection open for ever.
    http_read_timeout: float = Field(default=15.0, gt=0, le=300)
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    # Bearer token Prometheus sends for /metrics; without it /metrics is not served.
    metrics_token: SecretStr | None = None
    # How many chats are handled at once; each chat's updates stay in order.
    concurrent_chats: int = Field(default=64, ge=1, le=1024)
    db_pool_size: int = Field(default=10, ge=1, le=100)
    # Flood control: updates a respondent may send in a minute before being asked to slow down.
    max_updates_per_minute: int = Field(default=30, ge=1)
    # Outgoing pacing (Telegram: about 30 messages per second per bot); 0 switches it off.
    max_messages_per_second: float = Field(default=30, ge=0)
    # ...and in one private chat: short bursts, then about one message a second.
    private_chat_messages_per_second: float = Field(default=1.0, ge=0)
    private_chat_burst: int = Field(default=5, ge=1)
    log_level: str = "INFO"
    # One log line per HTTP request. Off: the webhook alone would write one for every update
    # (gigabytes a day at a few hundred a second), and errors are logged anyway.
    access_log: bool = False
    # Startup's objects left out of full garbage collections while serving (bot.runner):
    # short pauses under load. Off only where one process starts hundreds of bots (the tests).
    freeze_startup_objects: bool = True
    # Abandoned surveys are closed after this long (seconds, or ISO 8601 such as P3D).
    session_ttl: timedelta = timedelta(days=3)
    # One completed response per respondent and service (or survey) in this many days.
    repeat_days: int = Field(default=30, ge=0)
    # Responses answered faster than this (median seconds per question) are flagged.
    min_seconds_per_answer: float = Field(default=1.0, ge=0)
    # Linkable data older than this is anonymised or deleted (KVKK).
    retention_days: int = Field(default=730, ge=1)
    # The data controller the privacy notice names (KVKK Art. 10): the Ministry by default;
    # its legal unit confirms these before launch (docs/operations.md).
    controller_name: str = Field(default=MINISTRY.controller, min_length=1)
    controller_address: str = Field(default=MINISTRY.address, min_length=1)
    controller_contact: str = Field(default=MINISTRY.contact, min_length=1)
    # Cells with fewer respondents than this show no figures, only "fewer than N".
    min_cell: int = Field(default=10, ge=1)
    # The same for the staff of provincial units (a survey whose report says min_cell:
    # staff): their units are small; never below three, as in a cell of two each would
    # read the other's answers off the figures.
    staff_min_cell: int = Field(default=5, ge=3)
    # Figures are published by whole periods of this kind, once each has ended.
    period: Literal["month", "quarter", "year"] = "month"
    # Admin API requests one token may make in a minute (429 with Retry-After beyond).
    api_requests_per_minute: int = Field(default=120, ge=1)
    # The reverse proxies in front of us (addresses or networks, comma-separated): only their
    # X-Forwarded-For is believed, for the failed sign-in limit.
    trusted_proxies: str = ""

    @field_validator("trusted_proxies")
    @classmethod
    def _addresses(cls, text: str) -> str:
        trusted_networks(text)  # ValueError names the part that is no address
        return text
    # Telegram users who may send /rapor, with their scope: "111:national,222:province:34".
    admin_telegram_ids: str = ""
    # Each of them gets the latest released period's PDF report of their scope in Telegram,
    # once (bot.report_delivery); off: only on request (/rapor, the dashboard, izdes report).
    report_delivery: bool = True
    # The bot's @username, for muhtars' t.me links; asked of Telegram (getMe) when not set.
    bot_username: str | None = None
    # Each secret may come from a file instead of a variable (Docker secrets mount them in
    # /run/secrets): IZDES_<NAME>_FILE, read at start (_secrets_from_files).
    bot_token_file: Path | None = None
    secret_key_file: Path | None = None
    webhook_secret_file: Path | None = None
    metrics_token_file: Path | None = None
    database_password_file: Path | None = None

    @model_validator(mode="before")
    @classmethod
    def _secrets_from_files(cls, values: Any) -> Any:
        """IZDES_<NAME>_FILE's content as IZDES_<NAME>, without the line end a file usually
        has, checked like the variable. Errors name the variable, never a secret."""
        if not isinstance(values, dict):
            return values
        for name in SECRET_SETTINGS:
            path = values.get(f"{name}_file")
            if path is None:
                continue
            variable = f"IZDES_{name.upper()}"
            if values.get(name) is not None:
                raise ValueError(f"{variable} and {variable}_FILE are both set: set one")
            try:
                values[name] = Path(path).read_text("utf-8").rstrip("\r\n")
            except (OSError, UnicodeDecodeError) as error:
                why = getattr(error, "strerror", None) or "not UTF-8 text"
                raise ValueError(f"{variable}_FILE: cannot read {path} ({why})") from None
        return values

    @field_validator("secret_key")
    @classmethod
    def _a_long_secret_key(cls, key: SecretStr | None) -> SecretStr | None:
        """The pseudonymizer's floor, told as a setting rather than a traceback."""
        if key is not None and len(key.get_secret_value().encode()) < 16:
            raise ValueError("at least 16 characters: a long random value, for example from "
                             "python -c 'import secrets; print(secrets.token_urlsafe(32))'")
        return key

    @field_validator("database_url")
    @classmethod
    def _a_database_url(cls, url: str) -> str:
        """Checked here, so that a mistyped URL is told as a setting (bot.cli), not as a
        traceback from deep inside SQLAlchemy."""
        try:
            make_url(url)
        except ArgumentError:
            raise ValueError("not a database URL such as postgresql+asyncpg://user:pass@host/"
                             "izdes or sqlite+aiosqlite:///./izdes.db") from None
        return url

    def database_address(self) -> str:
        """IZDES_DATABASE_URL with IZDES_DATABASE_PASSWORD in it, escaped as a URL needs."""
        if self.database_password is None:
            return self.database_url
        url = make_url(self.database_url).set(password=self.database_password.get_secret_value())
        return url.render_as_string(hide_password=False)

    def publication(self) -> Publication:
        return Publication(self.min_cell, self.period, self.staff_min_cell)

    def engine_options(self) -> dict:
        """The survey engine's rules, as configured."""
        return {"session_ttl": self.session_ttl, "repeat_after": timedelta(days=self.repeat_days),
                "min_seconds_per_answer": self.min_seconds_per_answer,
                "notice": self.notice_facts()}

    def notice_facts(self) -> NoticeFacts:
        """What the privacy notice names (the bot's and the web page's)."""
        return NoticeFacts(self.controller_name, self.controller_address,
                           self.controller_contact, self.retention_days,
                           self.staff_min_cell)

    @field_validator("webhook_secret")
    @classmethod
    def _telegram_accepts(cls, secret: SecretStr | None) -> SecretStr | None:
        if secret is not None and not WEBHOOK_SECRET.fullmatch(secret.get_secret_value()):
            raise ValueError("must be 1 to 256 characters of A-Z, a-z, 0-9, _ and -")
        return secret

    @property
    def webhook_mode(self) -> bool:
        return bool(self.webhook_url)

    def key_fingerprint(self) -> str:
        """Which secret key this is, for the database to tell it from another (storage.keys);
        nothing of the key can be learnt from it."""
        return hmac.new(self.secret_key_bytes(), b"izdes: key fingerprint",
                        hashlib.sha256).hexdigest()[:32]

    def admin_token_key(self) -> bytes:
        """The key admin tokens are hashed under: kept out of the database with the secret
        key it comes from."""
        return token_key(self.secret_key_bytes())

    def webhook_secret_token(self) -> str:
        """IZDES_WEBHOOK_SECRET, or one derived from the secret key. A webhook never runs
        without one: whoever found its URL could otherwise post updates in anyone's name.
        Derived rather than random, so that every worker sharing the key (and the database)
        accepts Telegram's requests whichever of them called setWebhook last."""
        if self.webhook_secret is not None:
            return self.webhook_secret.get_secret_value()
        digest = hmac.new(self.secret_key_bytes(), b"izdes: Telegram webhook secret_token",
                          hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    @property
    def api_root(self) -> str:
        return self.bot_api_url.rstrip("/")

    def secret_key_bytes(self) -> bytes:
        """The key for pseudonymous respondent ids (see resolve_secret_key)."""
        return resolve_secret_key(self).encode()


def resolve_secret_key(settings: Settings) -> str:
    """IZDES_SECRET_KEY, or for the zero-setup SQLite default (and the demo's database beside
    it) a key generated once and kept in IZDES_SECRET_FILE (~/.config/izdes/secret): apart
    from the database, since with both a Telegram id is found from its code by trying them
    all. Losing the key unlinks every stored respondent from their Telegram account (answers
    stay; /sil and resuming stop working for old respondents)."""
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value()
    if settings.database_url not in (DEFAULT_DATABASE_URL, DEMO_DATABASE_URL):
        raise SystemExit(
            "IZDES_SECRET_KEY is not set. Set it to a long random value (for example the output "
            "of `python -c 'import secrets; print(secrets.token_urlsafe(32))'`) and keep it safe."
        )
    path = settings.secret_file or _config_home() / "izdes" / "secret"
    beside = _beside_database(settings.database_url)
    if path.exists() and beside.exists() and (
            path.read_text().strip() != beside.read_text().strip()):
        # Two databases, each with the key an earlier version kept beside it: this one's
        # must not be silently replaced by the other's.
        raise SystemExit(f"two secret keys: {beside} (kept beside this database by an earlier "
                         f"version) and {path}; set IZDES_SECRET_FILE to this database's key")
    if not path.exists() and beside.exists():  # where versions before 2026-12 kept it
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        shutil.move(beside, path)
        log.warning("moved the secret key from the database's folder to %s: keep it apart from "
                    "the database and its backups", path)
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:  # O_EXCL: of two processes starting together, one writes it, both read it
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_urlsafe(32))
            log.warning("IZDES_SECRET_KEY is not set: generated one in %s; back it up apart "
                        "from the database, or set IZDES_SECRET_KEY", path)
    return path.read_text().strip()


def _config_home() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")


def _beside_database(database_url: str) -> Path:
    database = make_url(database_url).database or "izdes.db"
    return Path(os.path.abspath(database)).with_suffix(".secret")
