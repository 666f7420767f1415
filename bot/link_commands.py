"""`izdes links`: muhtars' links, one at a time or from a CSV, with each one's poster, slip
and QR code; their list with their reach, stopping one, and one link's reach by month. What
the other commands share (the migrated database, the bot's username) comes from bot.cli as
CommandTools."""

from __future__ import annotations

import argparse
import sys
from functools import partial

from bot.command_tools import CommandTools, specs_of_csv
from bot.settings import Settings


def add_links_commands(commands: argparse._SubParsersAction, tools: CommandTools) -> None:
    links = commands.add_parser("links", help="muhtars' links, QR codes and posters")
    actions = links.add_subparsers(required=True, metavar="action")
    out_help = "folder for the posters, QR codes and slips (default: ./links)"

    create = actions.add_parser("create", help="create one link with its poster")
    create.add_argument("--province", required=True, help="plate code or name")
    create.add_argument("--district", help="district (ilçe) name")
    create.add_argument("--mahalle", help="neighbourhood (mahalle) name")
    create.add_argument("--service", help="fix the service (e.g. trafik, goc)")
    create.add_argument("--survey", help="survey key (default: the service survey)")
    create.add_argument("--label", help='name on the poster (default: "<mahalle> Muhtarlığı")')
    create.add_argument("--valid-until", help="last day the link works, YYYY-MM-DD")
    create.add_argument("--arabic", action="store_true", help="poster in Turkish and Arabic")
    create.add_argument("--out", default="links", help=out_help)
    create.add_argument("--bot-username", help="the bot's @username (default: asked of Telegram)")
    create.set_defaults(command=partial(_links_create, tools))

    bulk = actions.add_parser("bulk", help="create links from a CSV, one row per muhtarlık")
    bulk.add_argument("csv_file", help="CSV with columns as in `izdes links template`")
    bulk.add_argument("--out", default="links", help=out_help)
    bulk.add_argument("--bot-username", help="the bot's @username (default: asked of Telegram)")
    bulk.set_defaults(command=partial(_links_bulk, tools))

    actions.add_parser("template", help="print the bulk CSV template").set_defaults(
        command=partial(_links_template, tools))
    listing = actions.add_parser("list", help="list links with their reach")
    listing.add_argument("--province", help="only this province (plate code)")
    listing.set_defaults(command=partial(_links_list, tools))
    disable = actions.add_parser("disable", help="stop a link (it starts the normal survey)")
    disable.add_argument("link_id", type=int)
    disable.set_defaults(command=partial(_links_disable, tools))
    stats = actions.add_parser("stats", help="a link's reach by month (what its muhtar sees)")
    stats.add_argument("link_id", type=int)
    stats.set_defaults(command=partial(_links_stats, tools))


async def _links_create(tools: CommandTools, settings: Settings, args: argparse.Namespace
                        ) -> int:
    from admin.links import LinkSpecError, check_spec
    from conversations.survey import builtin_surveys

    try:
        spec = check_spec(args.province, args.district, args.mahalle, args.label,
                          args.service, args.survey, args.valid_until, args.arabic,
                          surveys=builtin_surveys())
    except LinkSpecError as error:
        print(error, file=sys.stderr)
        return 2
    return await _create_and_write(tools, settings, [spec], args, bulk=False)


async def _links_bulk(tools: CommandTools, settings: Settings, args: argparse.Namespace
                      ) -> int:
    from admin.links import parse_csv

    specs = await specs_of_csv(args.csv_file, parse_csv)
    if specs is None:
        return 2
    return await _create_and_write(tools, settings, specs, args, bulk=True)


async def _create_and_write(tools: CommandTools, settings: Settings, specs: list,
                            args: argparse.Namespace, bulk: bool) -> int:
    from pathlib import Path

    from admin.links import create_links
    from admin.posters.files import write_link_files, write_links_csv

    username = await tools.bot_username(settings, args.bot_username)
    out = Path(args.out)
    async with tools.migrated_database(settings) as db:
        created = await create_links(db, specs, username)
    written = [(link, write_link_files(link, out)) for link in created]
    for link, files in written:
        print(f"link {link.id}\t{link.spec.label}\t{link.url}")
        if not bulk:
            print(f"  stats code (give it to the muhtar; shown only now): {link.stats_code}")
            for path in (files.poster, files.slip, files.qr_png, files.qr_svg):
                print(f"  {path}")
    if bulk:
        write_links_csv(written, out / "links.csv")
        print(f"{len(written)} links; posters, slips and QR codes in {out}/, all links with "
              f"their stats codes in {out / 'links.csv'} (keep it safe)")
    return 0


async def _links_template(tools: CommandTools, settings: Settings, args: argparse.Namespace
                          ) -> int:
    from admin.links import CSV_TEMPLATE

    sys.stdout.write(CSV_TEMPLATE)
    return 0


async def _links_list(tools: CommandTools, settings: Settings, args: argparse.Namespace
                      ) -> int:
    from admin.links import district_name
    from admin.publish import reach_shown
    from conversations.survey import builtin_surveys
    from storage.links import list_links

    async with tools.migrated_database(settings) as db, db.transaction() as session:
        links = await list_links(session, province=args.province)
    # Units' invitations are listed by `izdes units list`, without any count of their staff.
    links = [link for link in links if reach_shown(builtin_surveys(), link.survey_key)]
    print("id\tstate\tprovince\tdistrict\tmahalle\tservice\topened\tconsented\tcompleted"
          "\tlabel")
    for link in links:
        state = ("disabled" if link.disabled_at else
                 f"until {link.valid_until}" if link.valid_until else "active")
        print(f"{link.id}\t{state}\t{link.province}\t{district_name(link.district) or '-'}\t"
              f"{link.mahalle or '-'}\t{link.service or '-'}\t{link.opened}\t"
              f"{link.consented}\t{link.completed}\t{link.label}")
    return 0


async def _links_disable(tools: CommandTools, settings: Settings, args: argparse.Namespace
                         ) -> int:
    from storage.links import disable_link

    async with tools.migrated_database(settings) as db, db.transaction() as session:
        disabled = await disable_link(session, args.link_id)
    if disabled:
        print(f"link {args.link_id} disabled: it now starts the normal survey")
        return 0
    print(f"no enabled link {args.link_id}", file=sys.stderr)
    return 1


async def _links_stats(tools: CommandTools, settings: Settings, args: argparse.Namespace
                       ) -> int:
    from admin.publish import reach_shown
    from conversations.i18n import DEFAULT_LOCALE, Texts
    from conversations.reach import reach_text
    from conversations.survey import builtin_surveys
    from storage.links import reach_of_link

    async with tools.migrated_database(settings) as db, db.transaction() as session:
        reach = await reach_of_link(session, args.link_id)
    if reach is None or not reach_shown(builtin_surveys(), reach.survey_key):
        print(f"no muhtar's link {args.link_id}", file=sys.stderr)
        return 1
    print(reach_text(Texts(DEFAULT_LOCALE), reach))
    return 0
