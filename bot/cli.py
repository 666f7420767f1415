"""The `izdes` command: run, chat, report, db upgrade."""

from __future__ import annotations

import argparse
import asyncio
import inspect
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import TYPE_CHECKING

from pydantic import ValidationError

from bot.command_tools import CommandTools
from bot.findings_cli import add_findings_commands
from bot.link_commands import add_links_commands
from bot.logs import configure_logging
from bot.settings import Settings
from bot.token_commands import add_token_commands
from bot.unit_commands import add_units_commands

if TYPE_CHECKING:
    from conversations.survey import Survey
    from storage.database import Database


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings: Settings | None = None
    try:
        settings = Settings()
        configure_logging(settings.log_level)
        outcome = args.command(settings, args)  # a coroutine, but for `chat`
        return (asyncio.run(outcome) if inspect.iscoroutine(outcome) else outcome) or 0
    except KeyboardInterrupt:
        return 130  # Ctrl-C: the operator stopped it and wants no traceback
    except Exception as error:
        told = _told(error, settings)
        if told is None:
            raise  # not a mistake or an outage we know: its traceback is for a developer
        message, exit_code = told
        print(f"izdes: {message}", file=sys.stderr)
        return exit_code


def _told(error: Exception, settings: Settings | None) -> tuple[str, int] | None:
    """An operator's mistake or an outage as one line that says what to check, with the exit
    code; None for anything else. The one place where the commands' failures are recognised."""
    from telegram.error import BadRequest, InvalidToken, NetworkError

    from admin.changes import NotReleased
    from admin.pdf_report.content import NoReport
    from bot.runner import CannotListen, WebhookRefused
    from stats.periods import BadPeriod
    from storage.database import DatabaseUnreachable
    from storage.finding_status import FindingConflict, FindingError
    from storage.keys import KeyMismatch

    if isinstance(error, ValidationError) and error.title == Settings.__name__:
        return _invalid_settings(error), 2
    if isinstance(error, InvalidToken):  # its text holds the token: never shown
        return "the Bot API refused the token: check IZDES_BOT_TOKEN", 1
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest) and settings:
        return (f"cannot reach the Bot API at {settings.api_root}: check the network or "
                "IZDES_BOT_API_URL"), 1
    if isinstance(error, WebhookRefused):
        return (f"the Bot API refused the webhook ({error}): check IZDES_WEBHOOK_URL, a "
                "public https URL"), 1
    if isinstance(error, CannotListen):
        return (f"cannot listen on {error.where} ({error.reason}): check IZDES_HTTP_HOST and "
                "IZDES_HTTP_PORT"), 1
    if isinstance(error, KeyMismatch):
        return ("IZDES_SECRET_KEY is not the key this database's codes were made with: set "
                "that key (a deliberate change of key: docs/operations.md)"), 1
    if isinstance(error, DatabaseUnreachable):
        return (f"cannot reach the database at {error.where} ({error.reason}): check the "
                "network or IZDES_DATABASE_URL"), 1
    if isinstance(error, FindingError):  # izdes findings: a refusal, said in a sentence
        return str(error), 1 if isinstance(error, FindingConflict) else 2
    # A --period of the wrong form or kind, or one with nothing to compare or report.
    if isinstance(error, BadPeriod | NotReleased | NoReport):
        return str(error), 2
    return None


def _invalid_settings(error: ValidationError) -> str:
    """Which variables are wrong and why; never their values, which may be secrets."""
    problems = []
    for problem in error.errors():
        name = "IZDES_" + "_".join(str(part) for part in problem["loc"]).upper()
        # Our own validators' words, without pydantic's "Value error, " before them.
        why = (str(problem["ctx"]["error"]) if problem["type"] == "value_error"
               else problem["msg"])
        # A problem of no one field (IZDES_<NAME>_FILE) names its variables itself.
        problems.append(f"{name}: {why}" if problem["loc"] else why)
    return ("invalid setting " if len(problems) == 1 else "invalid settings ") + "; ".join(
        problems)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="izdes", description="İZDES citizen feedback bot")
    commands = parser.add_subparsers(required=True, metavar="command")
    # What the command modules (tokens, links, units) borrow from here.
    tools = CommandTools(_migrated_database, _bot_username)

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
    report.add_argument("--period", default=None,
                        help="a released period, e.g. 2026-11 (default: the latest)")
    report.set_defaults(command=_report)
    tables = report.add_subparsers(required=False)
    changes = tables.add_parser(
        "changes", help="what changed: a period against the one before or a year earlier")
    changes.add_argument("--format", choices=("table", "csv", "json"), default="table")
    changes.add_argument("--survey", default=None, help="survey key (default: hizmet)")
    changes.add_argument("--period", default=None,
                         help="a released period, e.g. 2026-11 (default: the latest)")
    changes.add_argument("--against", choices=("previous", "year"), default="previous",
                         help="the period before (default) or the same period a year earlier")
    changes.add_argument("--province", default=None, help="a plate code, e.g. 34")
    changes.set_defaults(command=_report_changes)
    pdf = tables.add_parser("pdf", help="the report to the centre as a Turkish A4 PDF")
    pdf.add_argument("--survey", default=None, help="survey key (default: hizmet)")
    pdf.add_argument("--period", default=None,
                     help="a released period, e.g. 2026-11 (default: the latest)")
    pdf.add_argument("--province", default=None, help="a plate code, e.g. 34 (default: "
                                                      "Türkiye)")
    pdf.add_argument("--out", default=None,
                     help="the PDF file (default: izdes-<province or tr>-<period>.pdf)")
    pdf.set_defaults(command=_report_pdf)

    stats = commands.add_parser("stats", help="published statistics")
    stats.add_subparsers(required=True, metavar="action").add_parser(
        "publish", help="release every period that has ended (the running bot does it hourly)"
    ).set_defaults(command=_stats_publish)

    admin = commands.add_parser("admin", help="administrators' access")
    add_token_commands(admin.add_subparsers(required=True, metavar="what"), tools)

    add_links_commands(commands, tools)
    add_findings_commands(commands, _migrated_database)
    add_units_commands(commands, tools)
    _add_demo_command(commands)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(required=True, metavar="action")
    db_commands.add_parser("upgrade", help="apply migrations").set_defaults(command=_db_upgrade)
    db_commands.add_parser(
        "purge", help="apply retention now (the running bot does it hourly)"
    ).set_defaults(command=_db_purge)
    db_commands.add_parser(
        "forget-key", help="after a deliberate change of IZDES_SECRET_KEY: accept the new one"
    ).set_defaults(command=_db_forget_key)
    return parser


def _add_demo_command(commands: argparse._SubParsersAction) -> None:
    demo = commands.add_parser(
        "demo", help="fill a database of its own with synthetic responses (./izdes-demo.db)")
    from admin.demo.size import DemoSize

    size = DemoSize()
    demo.add_argument("--months", type=_positive, default=size.months,
                      help=f"whole months up to the last one (default {size.months})")
    demo.add_argument("--responses", type=_positive, default=size.responses,
                      help=f"completed responses in all (default {size.responses})")
    demo.add_argument("--seed", type=int, default=size.seed,
                      help="the same seed, the same figures")
    demo.add_argument("--database", default=None,
                      help="an empty database, or one an earlier run filled (default "
                           "sqlite+aiosqlite:///./izdes-demo.db; never IZDES_DATABASE_URL)")
    demo.add_argument("--serve", action="store_true",
                      help="then serve the dashboard on it, without Telegram, until Ctrl-C")
    demo.set_defaults(command=_demo)


def _positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return number


async def _run(settings: Settings, _: argparse.Namespace) -> int:
    from bot.runner import serve

    await serve(settings)
    return 0


@asynccontextmanager
async def _migrated_database(settings: Settings, check_key: bool = True
                             ) -> AsyncIterator[Database]:
    """The configured database, migrated to the newest schema, checked to be used with the
    key it was made with (not for a migration alone); closed afterwards."""
    from conversations.survey import builtin_surveys
    from storage.database import Database
    from storage.migrate import prepare

    db = Database(settings.database_address())
    try:
        await prepare(db, builtin_surveys(), settings.key_fingerprint() if check_key else None)
        yield db
    finally:
        await db.close()


def _chat(settings: Settings, args: argparse.Namespace) -> int:
    """Not a coroutine, unlike the other commands: the terminal is read in the main thread
    (bot.terminal), and each step runs on one event loop kept for the whole chat."""
    from bot.terminal import TerminalChat, chat_in_terminal, default_user
    from conversations.engine import SurveyEngine
    from conversations.pseudonym import Pseudonymizer
    from conversations.survey import builtin_surveys
    from storage.repository import survey_stores

    surveys = builtin_surveys()
    with asyncio.Runner() as runner:
        opened = AsyncExitStack()
        db = runner.run(opened.enter_async_context(_migrated_database(settings)))
        try:
            engine = SurveyEngine(survey_stores(db, surveys), surveys,
                                  **settings.engine_options())
            chat = TerminalChat(engine, Pseudonymizer(settings.secret_key_bytes()),
                                args.user or default_user())
            chat_in_terminal(runner, chat, args.language)
        finally:
            runner.run(opened.aclose())
    return 0


def _reported_survey(key: str | None) -> Survey | None:
    """The survey a report command names (default: the service survey), or None after telling
    the operator in one line that no survey with a report has that key."""
    from conversations.survey import DEFAULT_SURVEY, builtin_surveys

    survey = builtin_surveys().get(key or DEFAULT_SURVEY)
    if survey is None or survey.report is None:
        print(f"izdes: no survey with a report is called {key!r}", file=sys.stderr)
        return None
    return survey


async def _report(settings: Settings, args: argparse.Namespace) -> int:
    from admin.report import load_scores, render
    from conversations.i18n import DEFAULT_LOCALE, Texts

    survey = _reported_survey(args.survey)
    if survey is None:
        return 2
    async with _migrated_database(settings) as db:
        period, rows = await load_scores(db, survey, settings.publication(), args.period)
    text = render(rows, survey, args.format, Texts(DEFAULT_LOCALE),
                  settings.publication().of(survey).min_cell, period)
    sys.stdout.write(text + "\n")
    return 0


async def _report_changes(settings: Settings, args: argparse.Namespace) -> int:
    from admin.change_report import load_changes, render_changes
    from conversations.i18n import DEFAULT_LOCALE, Texts
    from conversations.places import province_by_plate

    survey = _reported_survey(args.survey)
    if survey is None:
        return 2
    province = province_by_plate(args.province) if args.province else None
    if args.province and province is None:
        print(f"izdes: no province has the plate code {args.province!r}", file=sys.stderr)
        return 2
    async with _migrated_database(settings) as db:
        table = await load_changes(db, survey, settings.publication(), args.period,
                                   args.against, province.plate if province else None)
    text = render_changes(table, args.against, survey, args.format, Texts(DEFAULT_LOCALE),
                          settings.publication().of(survey).min_cell)
    sys.stdout.write(text + "\n")
    return 0


async def _report_pdf(settings: Settings, args: argparse.Namespace) -> int:
    from pathlib import Path

    from admin.pdf_report.content import load_content
    from admin.pdf_report.pages import report_pdf

    survey = _reported_survey(args.survey)
    if survey is None:
        return 2
    async with _migrated_database(settings) as db:
        content = await load_content(db, survey, settings.publication(), args.period,
                                     args.province)
    out = Path(args.out or f"izdes-{content.province or 'tr'}-{content.period}.pdf")
    await asyncio.to_thread(out.write_bytes, report_pdf(content))
    print(out)
    return 0


async def _stats_publish(settings: Settings, _: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from admin.publish import publish_due
    from conversations.survey import builtin_surveys

    async with _migrated_database(settings) as db:
        released = await publish_due(db, builtin_surveys(), settings.publication(),
                                     datetime.now(UTC))
    print("released: " + (", ".join(released) if released else "nothing new"))
    return 0


async def _demo(settings: Settings, args: argparse.Namespace) -> int:
    import os
    from datetime import UTC, datetime

    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from admin.demo.fill import Refused, fill_demo
    from admin.demo.size import DemoSize
    from admin.demo.summary import filled_text
    from bot.settings import DEMO_DATABASE_URL
    from conversations.survey import builtin_surveys
    from storage.database import Database

    url = args.database or DEMO_DATABASE_URL
    try:
        where = make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        print(f"izdes: --database {url!r} is not a database URL", file=sys.stderr)
        return 2
    settings = settings.model_copy(update={"database_url": url})
    size = DemoSize(args.months, args.responses, args.seed)
    db = Database(url)
    try:
        filled = await fill_demo(
            db, builtin_surveys(), size, datetime.now(UTC), settings.publication(),
            settings.key_fingerprint(), settings.admin_token_key(),
            workers=os.cpu_count() or 1, told=lambda news: print(news, flush=True))
    except Refused as error:
        print(f"izdes: {where} holds {error}: the demo fills only an empty database or one it "
              f"filled (by default {DEMO_DATABASE_URL})", file=sys.stderr)
        return 2
    finally:
        await db.close()
    print(filled_text(filled, size, where, serving=args.serve))
    if args.serve:
        from bot.runner import serve_dashboard

        await serve_dashboard(settings)
    return 0


async def _db_upgrade(settings: Settings, _: argparse.Namespace) -> int:
    async with _migrated_database(settings, check_key=False):
        pass
    print("database is up to date")
    return 0


async def _db_forget_key(settings: Settings, _: argparse.Namespace) -> int:
    """The database forgets which key it was made with; the next start records the new one.
    Only after the steps of docs/operations.md: every respondent is unlinked by the change."""
    from storage.database import Database
    from storage.keys import SECRET_KEY, forget_fingerprint
    from storage.migrate import upgrade

    db = Database(settings.database_address())
    try:
        await upgrade(db.engine)
        async with db.transaction() as session:
            await forget_fingerprint(session, SECRET_KEY)
    finally:
        await db.close()
    print("the database now takes the key it is next started with")
    return 0


async def _db_purge(settings: Settings, _: argparse.Namespace) -> int:
    from datetime import UTC, datetime, timedelta

    from storage.retention import apply_retention

    async with _migrated_database(settings) as db, db.transaction() as session:
        result = await apply_retention(session, now=datetime.now(UTC),
                                       keep=timedelta(days=settings.retention_days))
    print(f"anonymised responses: {result.responses_anonymised}, "
          f"deleted respondents: {result.respondents_deleted}, "
          f"deleted raw updates: {result.raw_updates_deleted}")
    return 0


async def _bot_username(settings: Settings, given: str | None) -> str:
    if given or settings.bot_username:
        return (given or settings.bot_username or "").lstrip("@")
    if settings.bot_token is None:
        raise SystemExit("give --bot-username or set IZDES_BOT_USERNAME (or IZDES_BOT_TOKEN, "
                         "to ask Telegram)")
    from telegram import Bot

    async with Bot(settings.bot_token.get_secret_value(),
                   base_url=f"{settings.api_root}/bot") as bot:
        return bot.username
