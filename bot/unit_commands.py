"""`izdes units`: provincial units' invitations to the staff survey (İZDES1), one at a time
or from a CSV, with each unit's internal notice (kurum içi) and QR code; their list, and
stopping one. What the other commands share (the migrated database, the bot's username)
comes from bot.cli as CommandTools."""

from __future__ import annotations

import argparse
import sys
from functools import partial

from bot.command_tools import CommandTools, specs_of_csv
from bot.settings import Settings


def add_units_commands(commands: argparse._SubParsersAction, tools: CommandTools) -> None:
    units = commands.add_parser(
        "units", help="provincial units' invitations to the staff survey (İZDES1)")
    actions = units.add_subparsers(required=True, metavar="action")
    out_help = "folder for the internal notices and QR codes (default: ./units)"

    create = actions.add_parser("create", help="invite one unit: its link and internal notice")
    create.add_argument("--province", required=True, help="plate code or name")
    create.add_argument("--unit", required=True,
                        help="kind of unit: valilik, emniyet, jandarma, sahil_guvenlik, afad, "
                             "goc, nufus, acil112")
    create.add_argument("--name", required=True,
                        help='the unit as its staff know it, e.g. "Kadıköy İlçe Emniyet '
                             'Müdürlüğü"')
    create.add_argument("--valid-until", help="last day the link works, YYYY-MM-DD")
    create.add_argument("--out", default="units", help=out_help)
    create.add_argument("--bot-username", help="the bot's @username (default: asked of Telegram)")
    create.set_defaults(command=partial(_units_create, tools))

    bulk = actions.add_parser("bulk", help="invite units from a CSV, one row per unit")
    bulk.add_argument("csv_file", help="CSV with columns as in `izdes units template`")
    bulk.add_argument("--out", default="units", help=out_help)
    bulk.add_argument("--bot-username", help="the bot's @username (default: asked of Telegram)")
    bulk.set_defaults(command=partial(_units_bulk, tools))

    actions.add_parser("template", help="print the bulk CSV template").set_defaults(
        command=partial(_units_template, tools))
    listing = actions.add_parser("list", help="list the units' invitations (no counts: a "
                                              "unit's staff are never counted alone)")
    listing.add_argument("--province", help="only this province (plate code)")
    listing.add_argument("--bot-username", help="the bot's @username (default: asked of "
                                                "Telegram)")
    listing.set_defaults(command=partial(_units_list, tools))
    disable = actions.add_parser("disable", help="stop a unit's link")
    disable.add_argument("link_id", type=int)
    disable.set_defaults(command=partial(_units_disable, tools))


async def _units_create(tools: CommandTools, settings: Settings, args: argparse.Namespace
                        ) -> int:
    from admin.links import LinkSpecError
    from admin.units import check_unit
    from conversations.survey import builtin_surveys

    try:
        spec = check_unit(args.province, args.unit, args.name, args.valid_until,
                          surveys=builtin_surveys())
    except LinkSpecError as error:
        print(error, file=sys.stderr)
        return 2
    return await _invite_and_write(tools, settings, [spec], args, bulk=False)


async def _units_bulk(tools: CommandTools, settings: Settings, args: argparse.Namespace
                      ) -> int:
    from admin.units import parse_units_csv

    specs = await specs_of_csv(args.csv_file, parse_units_csv)
    if specs is None:
        return 2
    return await _invite_and_write(tools, settings, specs, args, bulk=True)


async def _invite_and_write(tools: CommandTools, settings: Settings, specs: list,
                            args: argparse.Namespace, bulk: bool) -> int:
    from pathlib import Path

    from admin.links import LinkSpecError
    from admin.posters.files import write_unit_files, write_units_csv
    from admin.units import create_invitations

    username = await tools.bot_username(settings, args.bot_username)
    out = Path(args.out)
    async with tools.migrated_database(settings) as db:
        try:
            created = await create_invitations(db, specs, username)
        except LinkSpecError as error:  # a unit invited already: nothing was made
            print(error, file=sys.stderr)
            return 2
    written = [(unit, write_unit_files(unit, out, settings.staff_min_cell))
               for unit in created]
    for unit, files in written:
        print(f"unit {unit.id}\t{unit.spec.label}\t{unit.url}")
        if not bulk:
            for path in (files.notice, files.qr_png, files.qr_svg):
                print(f"  {path}")
    if bulk:
        write_units_csv(written, out / "units.csv")
        print(f"{len(written)} units; internal notices and QR codes in {out}/, all links in "
              f"{out / 'units.csv'}")
    print("The notices are internal (kurum içi): for the units' own channels, not public "
          "notice boards.")
    return 0


async def _units_template(tools: CommandTools, settings: Settings, args: argparse.Namespace
                          ) -> int:
    from admin.units import UNIT_CSV_TEMPLATE

    sys.stdout.write(UNIT_CSV_TEMPLATE)
    return 0


async def _units_list(tools: CommandTools, settings: Settings, args: argparse.Namespace
                      ) -> int:
    from admin.units import invitations
    from conversations.survey import builtin_surveys
    from storage.links import list_links

    username = await tools.bot_username(settings, args.bot_username)
    async with tools.migrated_database(settings) as db, db.transaction() as session:
        links = await list_links(session, province=args.province)
    print("id\tstate\tprovince\tunit\tname\turl")
    for unit in invitations(links, builtin_surveys(), username):
        state = ("disabled" if unit.disabled else
                 f"until {unit.valid_until}" if unit.valid_until else "active")
        print(f"{unit.id}\t{state}\t{unit.province}\t{unit.unit}\t{unit.label}\t{unit.url}")
    return 0


async def _units_disable(tools: CommandTools, settings: Settings, args: argparse.Namespace
                         ) -> int:
    from admin.units import staff_survey
    from conversations.survey import builtin_surveys
    from storage.links import disable_link, link_place

    async with tools.migrated_database(settings) as db, db.transaction() as session:
        place = await link_place(session, args.link_id)
        is_unit = place is not None and place.survey_key == staff_survey(
            builtin_surveys()).key
        disabled = is_unit and await disable_link(session, args.link_id)
    if disabled:
        print(f"unit {args.link_id} disabled: its link now starts the citizens' survey")
        return 0
    print(f"no enabled unit {args.link_id}", file=sys.stderr)
    return 1
