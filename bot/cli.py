"""The `izdes` command: run, chat, report, db upgrade."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from bot.logs import configure_logging
from bot.settings import Settings

if TYPE_CHECKING:
    from storage.database import Database


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings()
    configure_logging(settings.log_level)
    return asyncio.run(args.command(settings, args)) or 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="izdes", description="İZDES citizen feedback bot")
    commands = parser.add_subparsers(required=True, metavar="command")

    run = commands.add_parser("run", help="run the Telegram bot (long polling or webhook)")
    run.set_defaults(command=_run)

    chat = commands.add_parser("chat", help="take the survey in this terminal")
    chat.add_argument("--user", help="who you are in the terminal (default: your login)")
    chat.add_argument("--language", choices=("tr", "en", "ar"), default=None,
                      help="the language a new respondent starts in (default: Turkish)")
    chat.set_defaults(command=_chat)

    report = commands.add_parser("report", help="scores by province and service")
    report.add_argument("--format", choices=("table", "csv", "json"), default="table")
    report.add_argument("--survey", default=None, help="survey key (default: hizmet)")
    report.add_argument("--include-flagged", action="store_true",
                        help="count responses flagged as automated (left out by default)")
    report.set_defaults(command=_report)

    admin = commands.add_parser("admin", help="administrators' access")
    admin_commands = admin.add_subparsers(required=True, metavar="what")
    token = admin_commands.add_parser("token", help="API tokens").add_subparsers(
        required=True, metavar="action")
    create = token.add_parser("create", help="create a token (printed once)")
    create.add_argument("--scope", required=True,
                        help="national, or province:<plate> for a governor's office")
    create.add_argument("--name", default="", help="who or what the token is for")
    create.set_defaults(command=_token_create)
    token.add_parser("list", help="list tokens (never their secrets)").set_defaults(
        command=_token_list)
    revoke = token.add_parser("revoke", help="revoke a token by its id")
    revoke.add_argument("token_id", type=int)
    revoke.set_defaults(command=_token_revoke)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(required=True, metavar="action")
    db_commands.add_parser("upgrade", help="apply migrations").set_defaults(command=_db_upgrade)
    db_commands.add_parser(
        "purge", help="apply retention now (the running bot does it hourly)"
    ).set_defaults(command=_db_purge)
    return parser


async def _run(settings: Settings, _: argparse.Namespace) -> int:
    from bot.runner import serve

    await serve(settings)
    return 0


@asynccontextmanager
async def _migrated_database(settings: Settings) -> AsyncIterator[Database]:
    """The configured database, migrated to the newest schema; closed afterwards."""
    from storage.database import Database
    from storage.migrate import upgrade

    db = Database(settings.database_url)
    try:
        await upgrade(db.engine)
        yield db
    finally:
        await db.close()


async def _chat(settings: Settings, args: argparse.Namespace) -> int:
    from bot.terminal import TerminalChat, default_user
    from conversations.engine import SurveyEngine
    from conversations.pseudonym import Pseudonymizer

    async with _migrated_database(settings) as db:
        engine = SurveyEngine(db.survey_store, **settings.engine_options())
        pseudonymizer = Pseudonymizer(settings.secret_key_bytes())
        await TerminalChat(engine, pseudonymizer, args.user or default_user()).run(args.language)
    return 0


async def _report(settings: Settings, args: argparse.Namespace) -> int:
    from admin.report import load_scores, render
    from conversations.i18n import DEFAULT_LOCALE, Texts
    from conversations.survey import DEFAULT_SURVEY, builtin_surveys

    survey = builtin_surveys()[args.survey or DEFAULT_SURVEY]
    async with _migrated_database(settings) as db:
        rows = await load_scores(db, survey, settings.min_cell,
                                 include_flagged=args.include_flagged)
    text = render(rows, survey, args.format, Texts(DEFAULT_LOCALE), settings.min_cell)
    sys.stdout.write(text + "\n")
    return 0


async def _db_upgrade(settings: Settings, _: argparse.Namespace) -> int:
    async with _migrated_database(settings):
        pass
    print("database is up to date")
    return 0


async def _db_purge(settings: Settings, _: argparse.Namespace) -> int:
    from datetime import UTC, datetime, timedelta

    from storage.retention import apply_retention

    async with _migrated_database(settings) as db:
        result = await apply_retention(db, now=datetime.now(UTC),
                                       keep=timedelta(days=settings.retention_days))
    print(f"anonymised responses: {result.responses_anonymised}, "
          f"deleted respondents: {result.respondents_deleted}, "
          f"deleted raw updates: {result.raw_updates_deleted}")
    return 0


async def _token_create(settings: Settings, args: argparse.Namespace) -> int:
    from admin.tokens import create_token, parse_scope

    try:
        scope = parse_scope(args.scope)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    async with _migrated_database(settings) as db:
        token = await create_token(db, scope, args.name)
    print(token)
    print(f"scope {scope}. Keep it safe: it is shown only now and cannot be recovered.",
          file=sys.stderr)
    return 0


async def _token_list(settings: Settings, _: argparse.Namespace) -> int:
    from storage.admin_store import list_tokens

    async with _migrated_database(settings) as db:
        tokens = await list_tokens(db)
    for token in tokens:
        state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
        used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
        print(f"{token.id}\t{token.scope}\t{state}\tlast used {used}\t{token.name}")
    return 0


async def _token_revoke(settings: Settings, args: argparse.Namespace) -> int:
    from storage.admin_store import revoke_token

    async with _migrated_database(settings) as db:
        revoked = await revoke_token(db, args.token_id)
    if revoked:
        print(f"token {args.token_id} revoked")
        return 0
    print(f"no active token {args.token_id}", file=sys.stderr)
    return 1
