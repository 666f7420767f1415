"""/rapor in Telegram for administrators: a short summary, a PNG chart and the CSV, with the
same statistics, scope and suppression as the API."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from admin.publish import Publication, latest_period
from admin.scores import ScoreRequest, score_rows
from admin.tokens import Scope, parse_scope
from conversations.i18n import Texts
from conversations.places import province_by_plate
from conversations.survey import Survey
from storage.database import Database

SUMMARY_ROWS = 15  # a phone screen; the CSV has them all


def parse_admin_ids(text: str) -> dict[int, Scope]:
    """IZDES_ADMIN_TELEGRAM_IDS: "111:national,222:province:34" -> {111: national, ...}."""
    admins: dict[int, Scope] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        user_id, _, scope = item.partition(":")
        admins[int(user_id)] = parse_scope(scope or "national")
    return admins


@dataclass(frozen=True)
class TelegramReport:
    text: str
    chart_png: bytes | None
    csv_bytes: bytes | None


class Refused(Exception):
    """The admin asked for a province outside their scope, or for something unknown."""


async def build_report(
    db: Database, survey: Survey, scope: Scope, argument: str | None, publication: Publication,
    t: Texts,
) -> TelegramReport:
    min_cell = publication.of(survey).min_cell
    province, service = _read_argument(argument, survey)
    if scope.province is not None:
        if province is not None and province != scope.province:
            raise Refused(t._("This account may only see its own province."))
        province = scope.province
    period = await latest_period(db, survey, publication)
    title = _title(t, province, service, survey)
    if period is None:
        return TelegramReport(f"{title}\n" + t._(
            "No period has been published yet: figures appear once a period has ended."),
            None, None)
    title = f"{title} ({period})"
    # By service within a province; otherwise by province.
    group_by = ("service",) if province else ("province",)
    rows = await score_rows(db, ScoreRequest(survey, group_by, (period,), province, service))
    if not rows:
        return TelegramReport(f"{title}\n{t._('No completed responses yet.')}", None, None)
    label = _labeller(survey, t, by_service=province is not None)
    ranked = sorted(rows, key=lambda r: (r["suppressed"], -(r["mean"] or 0)))
    lines = [title, t._("Mean satisfaction 1-5 (95 percent interval; indicative: respondents "
                        "volunteer), share satisfied, n:")]
    for row in ranked[:SUMMARY_ROWS]:
        lines.append(f"• {label(row)}: {_figures(row, t, min_cell)}")
    if len(ranked) > SUMMARY_ROWS:
        more = len(ranked) - SUMMARY_ROWS
        lines.append(t.ngettext("…and {count} more row in the CSV.",
                                "…and {count} more rows in the CSV.", more).format(
            count=t.number(more)))
    return TelegramReport(t.paragraphs("\n".join(lines)), _chart(ranked, label, t),
                          _csv(ranked, label))


def _read_argument(argument: str | None, survey) -> tuple[str | None, str | None]:
    if not argument:
        return None, None
    province = province_by_plate(argument.strip())
    if province is not None:
        return province.plate, None
    service = survey.question("service").choice(argument.strip().lower())
    if service is not None:
        return None, service.value
    raise Refused("")


def _title(t: Texts, province: str | None, service: str | None, survey) -> str:
    parts = [t._("İZDES satisfaction report")]
    if province:
        parts.append(province_by_plate(province).name)
    if service:
        parts.append(t._(survey.question("service").choice(service).label))
    return " - ".join(parts)


def _labeller(survey, t: Texts, by_service: bool):
    services = survey.question("service")

    def label(row: dict) -> str:
        if not by_service:
            return row["province_name"] or "-"
        choice = services.choice(row.get("service") or "")
        return t._(choice.label) if choice else "-"

    return label


def _figures(row: dict, t: Texts, min_cell: int) -> str:
    if row["suppressed"]:
        return t._("fewer than {count}").format(count=t.number(min_cell))
    mean = t.decimal(row["mean"], 1)
    interval = ""
    if row["mean_ci95"]:
        low, high = row["mean_ci95"]
        interval = f" ({t.decimal(low, 1)}–{t.decimal(high, 1)})"
    return f"{mean}{interval}, {t.percent(row['satisfied_share'])}, n={t.number(row['n'])}"


def _chart(rows: list[dict], label, t: Texts) -> bytes | None:
    """Horizontal bars of mean satisfaction; suppressed rows drawn hatched, without a value."""
    shown = rows[:SUMMARY_ROWS]
    width, bar_height, left = 900, 34, 260
    image = Image.new("RGB", (width, 40 + bar_height * len(shown)), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=18)
    for index, row in enumerate(shown):
        top = 20 + index * bar_height
        draw.text((10, top + 6), label(row)[:24], fill="#222222", font=font)
        if row["suppressed"] or row["mean"] is None:
            for x in range(left, left + 120, 10):
                draw.line([(x, top + 28), (x + 10, top + 4)], fill="#9e9e9e", width=2)
            continue
        length = int((row["mean"] - 1) / 4 * (width - left - 80))
        draw.rectangle([left, top + 4, left + max(length, 2), top + 28], fill="#1f6fb2")
        draw.text((left + length + 8, top + 6), t.decimal(row["mean"], 1), fill="#222222",
                  font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _csv(rows: list[dict], label) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["name", "n", "mean", "mean_low", "mean_high", "satisfied_share",
                     "suppressed"])
    for row in rows:
        low, high = row["mean_ci95"] or (None, None)
        writer.writerow([label(row), row["n"], row["mean"], low, high, row["satisfied_share"],
                         row["suppressed"]])
    return ("\ufeff" + buffer.getvalue()).encode()
