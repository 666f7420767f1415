"""`izdes findings ...`: the findings register at the command line.

The command line is the ministry's operators' on the server: it sees every province, and
who acts is said with --by NAME on every change (kept in the finding's history as made at
the command line). Refusals (storage.finding_status.FindingError) reach the operator as one
line through bot.cli._told. Analysts' text is printed with control characters made visible,
and on one line in the list, so that no text can move the terminal's cursor or split a row.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.settings import Settings
    from storage.database import Database
    from storage.finding_status import Actor

# bot.cli's: the configured database, migrated and checked against the key.
OpenDatabase = Callable[["Settings"], AbstractAsyncContextManager["Database"]]

NOT_FOUND = 1  # the exit code when there is no such finding


def add_findings_commands(commands: argparse._SubParsersAction,
                          open_database: OpenDatabase) -> None:
    findings = commands.add_parser("findings", help="the findings register: problems found "
                                   "in published figures, what is done about them")
    findings.set_defaults(open_database=open_database)
    actions = findings.add_subparsers(required=True, metavar="action")

    listing = actions.add_parser("list", help="findings, the most recent first")
    listing.add_argument("--province", help="only this province (plate code)")
    listing.add_argument("--service", help="only this service (e.g. trafik)")
    listing.add_argument("--status", choices=("open", "action_taken", "re_evaluated",
                                              "closed"))
    listing.add_argument("--overdue", action=argparse.BooleanOptionalAction, default=None,
                         help="only overdue findings (due date passed, not closed), or with "
                              "--no-overdue only the others")
    listing.add_argument("--reported", action=argparse.BooleanOptionalAction, default=None,
                         help="only findings reported to the centre (--no-reported: not yet)")
    listing.add_argument("--due-reevaluation", action="store_true",
                         help="only re-evaluations due: action taken, and a whole period "
                              "released since the action's")
    listing.set_defaults(command=_list)

    show = actions.add_parser("show", help="one finding: evidence, proposals, history")
    show.add_argument("finding_id", type=int)
    show.set_defaults(command=_show)

    create = actions.add_parser("create", help="make a finding about a published cell")
    create.add_argument("--province", required=True, help="plate code or name")
    create.add_argument("--district", help="district name (its figures cover all services)")
    create.add_argument("--service", help="the service (default: all services)")
    create.add_argument("--survey", default=None, help="survey key (default: hizmet)")
    create.add_argument("--period", help="a released period, e.g. 2026-11 (default: the "
                                         "latest)")
    create.add_argument("--driver", action="append", default=[], dest="drivers",
                        help="a driver concerned (repeat for more), e.g. timeliness")
    create.add_argument("--problem", required=True, help="the problem, in words")
    create.add_argument("--proposal", action="append", required=True, dest="proposals",
                        help="a proposed solution (repeat for more)")
    create.add_argument("--unit", required=True, help="the responsible unit")
    create.add_argument("--due", required=True, help="due date, YYYY-MM-DD")
    _by(create)
    create.set_defaults(command=_create)

    proposal = actions.add_parser("proposal", help="add a proposed solution: typed, or a "
                                  "published staff proposal (--staff REF)")
    proposal.add_argument("finding_id", type=int)
    what = proposal.add_mutually_exclusive_group(required=True)
    what.add_argument("text", nargs="?", help="the proposed solution")
    what.add_argument("--staff", metavar="REF", help="a published staff proposal's reference "
                      "(izdes report comments, /api/v1/comments?survey=personel)")
    proposal.add_argument("--period", default=None,
                          help="the staff proposal's quarter, e.g. 2026-Q3 (default: the "
                          "latest released)")
    _by(proposal)
    proposal.set_defaults(command=_proposal)

    status = actions.add_parser("status", help="move a finding on: action_taken (with "
                                "--action-date and --action), re_evaluated (--note), closed, "
                                "or open again (--note)")
    status.add_argument("finding_id", type=int)
    status.add_argument("status", help="open, action_taken, re_evaluated or closed")
    status.add_argument("--action-date", help="when the action was taken, YYYY-MM-DD")
    status.add_argument("--action", help="what was done")
    status.add_argument("--note", help="a re-evaluation's finding, why it is closed or "
                                       "reopened")
    _by(status)
    status.set_defaults(command=_status)

    reported = actions.add_parser("reported", help="mark a finding reported to the centre")
    reported.add_argument("finding_id", type=int)
    _by(reported)
    reported.set_defaults(command=_reported)


def _by(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--by", required=True, metavar="NAME",
                        help="who does this (kept in the finding's history)")


def _actor(args: argparse.Namespace) -> Actor:
    from storage.finding_status import Actor

    return Actor(args.by)


def _missing(finding_id: int) -> int:
    print(f"izdes: no finding {finding_id}", file=sys.stderr)
    return NOT_FOUND


async def _list(settings: Settings, args: argparse.Namespace) -> int:
    from admin.findings import province_plate
    from storage.findings import Filters, list_findings

    filters = Filters(province=province_plate(args.province) if args.province else None,
                      service=args.service, status=args.status, overdue=args.overdue,
                      reported=args.reported,
                      due="reevaluation" if args.due_reevaluation else None)
    async with args.open_database(settings) as db, db.transaction() as session:
        _, records = await list_findings(session, filters)
    print("id\tstatus\tdue\toverdue\treported\tprovince\tservice\tperiod\tunit\tproblem")
    for record in records:
        f = record.fields
        print("\t".join([str(f["id"]), f["status"], f["due_date"].isoformat(),
                         "overdue" if record.overdue else "-",
                         _day(f["reported_at"]) if f["reported_at"] else "-",
                         f["province"] + (f"/{f['district']}" if f["district"] else ""),
                         f["service"] or "all", f["period"], _line(f["responsible_unit"]),
                         _line(f["problem"], 80)]))
    return 0


async def _show(settings: Settings, args: argparse.Namespace) -> int:
    from admin.findings import finding_json
    from admin.reevaluation import re_evaluation_of
    from storage.findings import find

    async with args.open_database(settings) as db, db.transaction() as session:
        record = await find(session, args.finding_id)
        if record is None:
            return _missing(args.finding_id)
        shown = finding_json(record, full=True)
        shown["re_evaluation"], shown["re_evaluation_reason"] = await re_evaluation_of(
            session, record.fields, _kind_of(settings, record.fields))
    print("\n".join(finding_lines(shown)))
    return 0


def _kind_of(settings: Settings, fields: dict[str, Any]) -> str:
    """The kind of period a finding's survey is published by (the staff's: a quarter)."""
    from conversations.survey import builtin_surveys

    return settings.publication().kind_of(builtin_surveys(), fields["survey_key"])


async def _create(settings: Settings, args: argparse.Namespace) -> int:
    from admin.findings import new_finding, survey_of
    from admin.publish import latest_period
    from conversations.survey import builtin_surveys
    from storage.finding_status import FindingError
    from storage.findings import create_finding

    survey = survey_of(builtin_surveys(), args.survey)
    async with args.open_database(settings) as db:
        period = args.period or await latest_period(db, survey, settings.publication())
        if period is None:
            raise FindingError(f"{survey.key} has no released period yet: findings are made "
                               "about published figures")
        new = new_finding(survey, settings.publication().of(survey).kind, period=period,
                          province=args.province, district=args.district,
                          service=args.service, drivers=args.drivers, problem=args.problem,
                          proposals=args.proposals, responsible_unit=args.unit,
                          due_date=args.due)
        async with db.transaction() as session:
            finding_id = await create_finding(session, new, _actor(args))
    print(f"finding {finding_id} created: {new.survey_key} {new.period} "
          f"{new.province}{'/' + new.district if new.district else ''} "
          f"{new.service or 'all services'}, due {new.due_date}")
    return 0


async def _proposal(settings: Settings, args: argparse.Namespace) -> int:
    from admin.proposals import proposal_in
    from admin.publish import latest_period
    from admin.units import staff_survey
    from conversations.survey import builtin_surveys
    from storage.findings import ANALYST, STAFF, add_proposal, find

    text, source = args.text, ANALYST
    async with args.open_database(settings) as db:
        if args.staff:
            survey = staff_survey(builtin_surveys())
            period = await latest_period(db, survey, settings.publication(), args.period)
            async with db.transaction() as session:
                record = await find(session, args.finding_id)
                if record is None:
                    return _missing(args.finding_id)
                # Only a proposal of the finding's own province (see the API's).
                found = period and await proposal_in(session, survey, period, args.staff,
                                                     record.fields["province"])
            if not found:
                print(f"izdes: no published staff proposal {args.staff!r} in "
                      f"{period or 'any released period'}", file=sys.stderr)
                return NOT_FOUND
            text, source = found["text"], STAFF
        async with db.transaction() as session:
            proposal_id = await add_proposal(session, args.finding_id, text, _actor(args),
                                             source, args.staff)
    if proposal_id is None:
        return _missing(args.finding_id)
    print(f"proposal {proposal_id} added to finding {args.finding_id}")
    return 0


async def _status(settings: Settings, args: argparse.Namespace) -> int:
    from admin.findings import parse_day
    from admin.reevaluation import with_result
    from storage.finding_status import StatusChange
    from storage.findings import change_status, find

    change = StatusChange(
        status=args.status, action=args.action, note=args.note,
        action_date=parse_day(args.action_date, "--action-date") if args.action_date else None)
    async with args.open_database(settings) as db, db.transaction() as session:
        record = await find(session, args.finding_id)
        if record is not None:  # the computed re-evaluation is kept as its result
            change = await with_result(session, record.fields, change,
                                       _kind_of(settings, record.fields))
        moved = await change_status(session, args.finding_id, change, _actor(args))
    if not moved:
        return _missing(args.finding_id)
    print(f"finding {args.finding_id} is now {args.status}")
    return 0


async def _reported(settings: Settings, args: argparse.Namespace) -> int:
    from storage.findings import mark_reported

    async with args.open_database(settings) as db, db.transaction() as session:
        marked = await mark_reported(session, args.finding_id, _actor(args))
    if not marked:
        return _missing(args.finding_id)
    print(f"finding {args.finding_id} marked reported to the centre")
    return 0


# ----------------------------------------------------------------------------- printing


def _visible(text: str) -> str:
    """Control characters as escapes (\\x1b), so that text cannot drive the terminal."""
    return "".join(c if c in "\n\t" or (c.isprintable() and c != "\x7f")
                   else ascii(c)[1:-1] for c in text)


def _line(text: str | None, longest: int = 0) -> str:
    """Text on one line (for the list's columns), shortened to ``longest`` if given."""
    one = " ".join(_visible(text or "").split())
    return one if not longest or len(one) <= longest else one[:longest - 1] + "…"


def _block(label: str, text: str | None) -> list[str]:
    lines = _visible(text or "-").splitlines() or ["-"]
    return [f"{label}: {lines[0]}", *(f"    {line}" for line in lines[1:])]


def finding_lines(shown: dict[str, Any]) -> list[str]:
    """A finding (as the API shows it) for the terminal."""
    place = ", ".join(filter(None, (shown["district_name"], shown["province_name"])))
    figures = shown["evidence"]["figures"]
    lines = [
        f"finding {shown['id']}: {shown['status']}"
        + (" (overdue)" if shown["overdue"] else "")
        + (f", reported to the centre {_moment(shown['reported_at'])} by "
           f"{_line(shown['reported_by'])}" if shown["reported_at"] else ""),
        f"cell: {shown['survey']} {shown['period']}, {place}, "
        f"{shown['service'] or 'all services'} (raised by {shown['raised_by']}, "
        f"{_line(shown['created_by'])}, {_moment(shown['created_at'])})",
        f"evidence as published: n {figures.get('n')}, mean {_interval(figures, 'mean')}, "
        f"satisfied {_interval(figures, 'satisfied_share', 'satisfied_ci95', percent=True)}",
        *(f"  {driver}: {_number(figures.get('drivers', {}).get(driver), 0)} (0-100)"
          for driver in shown["drivers"]),
        *_block("problem", shown["problem"]),
        f"responsible: {_line(shown['responsible_unit'])}, due {shown['due_date']}",
    ]
    if shown["action_date"]:
        lines += _block(f"action taken {shown['action_date']}", shown["action"])
    if shown["re_evaluated_at"]:
        lines += _block(f"re-evaluated {_moment(shown['re_evaluated_at'])}",
                        shown["re_evaluation_note"] or str(shown["re_evaluation_result"]))
    lines += re_evaluation_lines(shown.get("re_evaluation"),
                                 shown.get("re_evaluation_reason"))
    if shown["closed_at"]:
        lines += _block(f"closed {_moment(shown['closed_at'])} as {shown['closed_as']}",
                        shown["closing_note"])
    lines.append("proposals:")
    lines += [line for p in shown["proposals"] for line in _block(
        f"  {p['id']}. ({p['source']}, {_line(p['added_by'])})", p["text"])]
    lines.append("history:")
    lines += [f"  {_moment(e['at'])} {_line(e['actor'])} ({e['via']}) "
              f"{e['action']}: {', '.join(e['changes'])}" for e in shown["history"]]
    return lines


VERDICTS = {"improved": "improved", "worse": "worse",
            "no_measurable_change": "no measurable change",
            "not_enough_answers": "not enough answers yet"}


def re_evaluation_lines(shown: dict[str, Any] | None, reason: str | None) -> list[str]:
    """The re-evaluation computed now (admin.reevaluation), or why there is none."""
    if shown is None:
        return [f"re-evaluation: none yet, {reason}"] if reason else []
    windows = [f"{side} {', '.join(w['periods'])} (n {w['n'] if w['n'] is not None else '-'}"
               + (f"; left out, hidden or absent: {', '.join(w['left_out'])}"
                  if w["left_out"] else "") + ")"
               for side, w in shown["windows"].items()]
    lines = [f"re-evaluation (action in {shown['action_period']}): "
             f"{VERDICTS[shown['verdict']]}", f"  windows: {'; '.join(windows)}",
             _change_line("satisfied", shown["satisfied_share"], 100.0, "points"),
             _change_line("mean (1-5)", shown["mean"], 1.0, "")]
    lines += [_change_line(f"{name} (0-100)", change, 1.0, "")
              for name, change in shown["drivers"].items()]
    if shown["answers_needed"]:
        lines.append(f"  answers needed: {shown['answers_needed']} more after the action to "
                     f"detect a {shown['detectable_change']:.0%} change in the share satisfied "
                     f"({shown['needed_per_window']} per window)")
    return lines


def _change_line(label: str, change: dict[str, Any] | None, factor: float, unit: str) -> str:
    if change is None:
        return f"  {label}: not compared (too few published answers)"
    scaled = [change["before"] * factor, change["after"] * factor,
              change["difference"] * factor]
    ci = change["ci95"]
    text = (f"  {label}: {scaled[0]:.1f} -> {scaled[1]:.1f}, difference {scaled[2]:+.1f}"
            f"{' ' + unit if unit else ''}")
    if ci:
        text += f" (95% CI {ci[0] * factor:+.1f} to {ci[1] * factor:+.1f})"
    if change["p_value"] is not None:
        text += f", p {change['p_value']:.4f} ({change['test']})"
    return text


def _number(value: float | None, digits: int = 2, percent: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:.0%}" if percent else f"{value:.{digits}f}"


def _interval(figures: dict[str, Any], name: str, interval: str | None = None,
              percent: bool = False) -> str:
    bounds = figures.get(interval or f"{name}_ci95")
    shown = _number(figures.get(name), percent=percent)
    if not bounds:
        return shown
    return f"{shown} ({_number(bounds[0], percent=percent)}-{_number(bounds[1], percent=percent)})"


def _moment(value: str | datetime) -> str:
    """A moment in Turkish time, to the minute: when operators read it, where they are."""
    from conversations.links import TURKEY

    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return f"{moment.astimezone(TURKEY):%Y-%m-%d %H:%M}"


def _day(moment: datetime) -> str:
    from conversations.links import turkish_day

    return turkish_day(moment).isoformat()
