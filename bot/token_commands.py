"""`izdes admin token`: administrators' API tokens at the command line: creating one (its
secret printed once), listing them (never their secrets) and revoking one. The migrated
database comes from bot.cli as CommandTools."""

from __future__ import annotations

import argparse
import sys
from functools import partial

from bot.command_tools import CommandTools
from bot.settings import Settings


def add_token_commands(admin_commands: argparse._SubParsersAction, tools: CommandTools
                       ) -> None:
    token = admin_commands.add_parser("token", help="API tokens").add_subparsers(
        required=True, metavar="action")
    create = token.add_parser("create", help="create a token (printed once)")
    create.add_argument("--scope", required=True,
                        help="national, province:<plate> for a governor's office, or "
                             "microdata (national, and responses row by row)")
    create.add_argument("--name", default="", help="who or what the token is for")
    create.add_argument("--purpose", default=None,
                        help="what a microdata token is for (required with --scope microdata)")
    create.set_defaults(command=partial(_token_create, tools))
    token.add_parser("list", help="list tokens (never their secrets)").set_defaults(
        command=partial(_token_list, tools))
    revoke = token.add_parser("revoke", help="revoke a token by its id")
    revoke.add_argument("token_id", type=int)
    revoke.set_defaults(command=partial(_token_revoke, tools))


async def _token_create(tools: CommandTools, settings: Settings, args: argparse.Namespace
                        ) -> int:
    from admin.tokens import create_token, parse_scope

    try:
        scope = parse_scope(args.scope)
        if scope.microdata and not (args.name.strip() and (args.purpose or "").strip()):
            raise ValueError("izdes: a microdata token needs --name (who) and --purpose "
                             "(what for)")
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    async with tools.migrated_database(settings) as db:
        token = await create_token(db, settings.admin_token_key(), scope, args.name,
                                   args.purpose)
    print(token)
    print(f"scope {scope}. Keep it safe: it is shown only now and cannot be recovered.",
          file=sys.stderr)
    return 0


async def _token_list(tools: CommandTools, settings: Settings, _: argparse.Namespace) -> int:
    from storage.admin_store import list_tokens

    async with tools.migrated_database(settings) as db, db.transaction() as session:
        tokens = await list_tokens(session)
    for token in tokens:
        state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
        used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
        print(f"{token.id}\t{token.scope}\t{state}\tlast used {used}\t{token.name}")
    return 0


async def _token_revoke(tools: CommandTools, settings: Settings, args: argparse.Namespace
                        ) -> int:
    from storage.admin_store import revoke_token

    async with tools.migrated_database(settings) as db, db.transaction() as session:
        revoked = await revoke_token(session, args.token_id)
    if revoked:
        print(f"token {args.token_id} revoked")
        return 0
    print(f"no active token {args.token_id}", file=sys.stderr)
    return 1
