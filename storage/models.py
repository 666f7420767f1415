"""Database tables. Respondents are known only by a keyed hash of their channel id."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeEngine

from conversations.state import Status
from conversations.survey import MAX_REPORT_DRIVERS

# Stable constraint names, so Alembic migrations (and SQLite batch mode) can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# BIGINT on PostgreSQL; SQLite only auto-increments a column declared exactly INTEGER.
Id = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    if TYPE_CHECKING:
        # Every model here is mapped to a Table (SQLAlchemy types it as any FromClause): the
        # Core statements built on Model.__table__ need its columns and a table to insert into.
        __table__: ClassVar[Table]


class Respondent(Base):
    __tablename__ = "respondents"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    # HMAC-SHA256 (hex) of "channel:user id" under IZDES_SECRET_KEY; never the raw id. Those
    # `izdes demo` makes start with "demo-", which no hex digest does (storage.demo).
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(8))
    consent_version: Mapped[str | None] = mapped_column(String(16))
    consented_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Response(Base):
    """One respondent's answers to one survey, and where they are in it."""

    __tablename__ = "responses"
    __table_args__ = (
        # At most one survey in progress per respondent, whatever process handles them.
        Index(
            "uq_responses_active_respondent",
            "respondent_id",
            unique=True,
            postgresql_where=text("status = 'active'"),
            sqlite_where=text("status = 'active'"),
        ),
        Index("ix_responses_report", "survey_key", "status", "province", "service"),
        # Date ranges: the hours (and, below the province grain, days) the rollup leaves
        # to the answers, and exports of a period.
        Index("ix_responses_completed_at", "completed_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    # NULL once the response is anonymised (retention): it still counts in statistics, but
    # nothing links it to a person any more.
    respondent_id: Mapped[int | None] = mapped_column(
        ForeignKey("respondents.id", ondelete="SET NULL"), index=True
    )
    survey_key: Mapped[str] = mapped_column(String(32))
    survey_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=Status.ACTIVE.value)
    step: Mapped[str | None] = mapped_column(String(32))
    turn: Mapped[int] = mapped_column(Integer, default=0)
    message_ref: Mapped[str | None] = mapped_column(String(32))
    service: Mapped[str | None] = mapped_column(String(32))
    channel: Mapped[str | None] = mapped_column(String(32))
    province: Mapped[str | None] = mapped_column(String(2))
    district: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Started from a muhtar's link: the link, and the neighbourhood it names.
    link_id: Mapped[int | None] = mapped_column(ForeignKey("links.id"), index=True)
    mahalle: Mapped[str | None] = mapped_column(String(100))
    # Answered faster than a person reads (median under a second a question): kept, shown to
    # admins, left out of scores unless asked for.
    flagged_automated: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # Synthetic, made by `izdes demo` (admin/demo): no one's answers. The demo refuses a
    # database holding any response without it.
    demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Link(Base):
    """A muhtar's deep link: the place (and optionally service or survey) it attributes
    answers to. Links are disabled, never deleted: responses keep pointing at them."""

    __tablename__ = "links"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    payload: Mapped[str] = mapped_column(String(64), unique=True)  # the ?start= value
    # SHA-256 of the muhtar's stats code (conversations.links.stats_code_digest).
    stats_digest: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    province: Mapped[str] = mapped_column(String(2))
    district: Mapped[str | None] = mapped_column(String(64))
    mahalle: Mapped[str | None] = mapped_column(String(100))
    service: Mapped[str | None] = mapped_column(String(32))
    survey_key: Mapped[str | None] = mapped_column(String(32))
    valid_until: Mapped[date | None] = mapped_column(Date)  # last valid day, Turkish time
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # izdes demo


class LinkWeek(Base):
    """How many people a link reached in a week: counted as it happens, so a muhtar's
    figures hold no trace of who they were (and do not shrink when someone erases their
    answers)."""

    __tablename__ = "link_weeks"

    link_id: Mapped[int] = mapped_column(ForeignKey("links.id"), primary_key=True)
    week: Mapped[date] = mapped_column(Date, primary_key=True)  # the Monday, Turkish time
    opened: Mapped[int] = mapped_column(Integer, default=0)
    consented: Mapped[int] = mapped_column(Integer, default=0)
    completed: Mapped[int] = mapped_column(Integer, default=0)


class Answer(Base):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(Text)
    score: Mapped[float | None] = mapped_column(Float)
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


DRIVER_SLOTS = MAX_REPORT_DRIVERS  # six columns per driver a report may name
# The sums kept per cell, in this order everywhere (storage.cell_totals.TOTALS).
# Per driver: its count and sum, and over its respondents the sums a correlation with the
# overall score needs (x², x·overall, overall, overall²).
DRIVER_SUMS = ("n", "sum", "sumsq", "cross", "osum", "osumsq")
SCORE_SUMS = ("n", "overall_sum", "overall_sumsq", "satisfied", "effort_n", "effort_sum",
              *(f"d{slot}_{part}" for slot in range(DRIVER_SLOTS) for part in DRIVER_SUMS))
# Cell keys of the grains, coarsest first: per month by province and service (the headline
# table: about twenty thousand rows for two years), the same by channel too, per day by channel
# (for the days at the ends of a date range), and per month down to the district, link and
# mahalle (hundreds of thousands). The period is YYYY-MM or YYYY-MM-DD, UTC.
PROVINCE_CELL_KEYS = ("survey_key", "period", "province", "service", "flagged")
CHANNEL_CELL_KEYS = ("survey_key", "period", "province", "service", "channel", "flagged")
LOCAL_CELL_KEYS = (*CHANNEL_CELL_KEYS[:-1], "district", "link_id", "mahalle", "flagged")
CELL_KEY_TYPES: dict[str, TypeEngine[Any]] = {
    "survey_key": String(32), "period": String(10), "province": String(2),
    "service": String(32), "channel": String(32), "district": String(64),
    "link_id": Id, "mahalle": String(100), "flagged": Boolean()}


def _score_cells(name: str, keys: tuple[str, ...]) -> Table:
    """The published figures' sufficient statistics, summed per period and cell.

    Kept up to date in the transaction that completes a response (and the one that erases
    it), so scores read tens of thousands of rows instead of every answer. The driver
    columns follow the order of the survey's report definition; ``ScoreRollup`` records
    which definition the rows were summed under. Empty strings and link 0 stand for "none":
    a primary key cannot hold NULL.
    """
    return Table(
        name, Base.metadata,
        *(Column(key, CELL_KEY_TYPES[key], primary_key=True) for key in keys),
        *(Column(total, Integer if total == "n" or total.endswith("_n")
                 or total == "satisfied" else Float, nullable=False) for total in SCORE_SUMS),
    )


province_score_cells = _score_cells("score_cells", PROVINCE_CELL_KEYS)
channel_score_cells = _score_cells("score_cells_channel", CHANNEL_CELL_KEYS)
daily_score_cells = _score_cells("score_cells_daily", CHANNEL_CELL_KEYS)
local_score_cells = _score_cells("score_cells_local", LOCAL_CELL_KEYS)


class ScoreRollup(Base):
    """Which report definition each survey's score cells were summed under: the scores
    read the cells only while it matches the survey as loaded, and a changed definition
    has them rebuilt from the answers (storage.rollups.ensure_rollup)."""

    __tablename__ = "score_rollups"

    survey_key: Mapped[str] = mapped_column(String(32), primary_key=True)
    definition: Mapped[str] = mapped_column(String(500))
    built_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ProcessedEvent(Base):
    """Incoming updates: the key makes handling idempotent; the payload waits here when a
    webhook stored it before answering Telegram, and is cleared once handled. One that could
    not be parsed or handled is quarantined: closed, with its reason, its payload kept for
    the operator until retention deletes it."""

    __tablename__ = "processed_events"
    __table_args__ = (Index("ix_processed_events_waiting", "respondent_key", "sequence",
                            postgresql_where=text("processed_at IS NULL"),
                            sqlite_where=text("processed_at IS NULL")),)

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Whose update it is (the same keyed hash as respondents.key_hash) and its place in
    # Telegram's order: a worker handles a person's update only after their earlier ones.
    respondent_key: Mapped[str | None] = mapped_column(String(64))
    sequence: Mapped[int | None] = mapped_column(BigInteger)
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    quarantined: Mapped[str | None] = mapped_column(String(120))
    # Handling failed on a database that answered (a step that keeps failing is quarantined
    # after a few; one that fails because the database is down cannot count, and waits).
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class KeyFingerprint(Base):
    """A keyed hash of a fixed text under the secret key the codes were made with (storage.keys):
    tells a wrong key from the right one without telling anything of either."""

    __tablename__ = "key_fingerprints"

    purpose: Mapped[str] = mapped_column(String(40), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))


class AdminToken(Base):
    """An administrator's API token. Only a keyed hash of the secret is kept (admin.tokens)."""

    __tablename__ = "admin_tokens"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    # The public part of the token ("izdes_<lookup>_<secret>"), to find the row to verify.
    lookup: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(String(20))  # "national", "province:34", "microdata"
    # Why a microdata token was given (row-level exports): written in every download's audit.
    purpose: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    """Who read what, when: every admin data access. Never answer text."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    token_id: Mapped[int | None] = mapped_column(
        ForeignKey("admin_tokens.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(100))
    parameters: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Release(Base):
    """A period whose figures are published (admin.publish): decided once, when it ended."""

    __tablename__ = "releases"

    survey_key: Mapped[str] = mapped_column(String(32), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    min_cell: Mapped[int] = mapped_column(Integer)
    released_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReleasedCell(Base):
    """One cell of a released period (stats.disclosure): its place as a path ("TR5/06/1234"),
    its totals (never published as such; they are what the figures were made from) and, unless
    hidden, its figures as published."""

    __tablename__ = "released_cells"

    survey_key: Mapped[str] = mapped_column(String(32), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    place: Mapped[str] = mapped_column(String(160), primary_key=True)
    service: Mapped[str] = mapped_column(String(32), primary_key=True)
    depth: Mapped[int] = mapped_column(Integer)
    province: Mapped[str] = mapped_column(String(2))  # "" above the province
    listed: Mapped[bool] = mapped_column(Boolean)
    hidden: Mapped[bool] = mapped_column(Boolean)
    totals: Mapped[dict[str, Any]] = mapped_column(JSON)
    figures: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)

    __table_args__ = (Index("ix_released_cells_lookup", "survey_key", "period", "depth",
                            "province"),)


class Finding(Base):
    """An analyst's finding about one published cell (storage.findings): the problem, what is
    to be done and by whom, and how far it has got. The evidence is the cell's figures as they
    were published, copied when the finding was made: a later release changes none of it."""

    __tablename__ = "findings"
    __table_args__ = (Index("ix_findings_listing", "province", "status", "due_date"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    survey_key: Mapped[str] = mapped_column(String(32))
    period: Mapped[str] = mapped_column(String(7))
    province: Mapped[str] = mapped_column(String(2))
    district: Mapped[str | None] = mapped_column(String(64))
    service: Mapped[str] = mapped_column(String(32))  # "" for all services, as in the cells
    place: Mapped[str] = mapped_column(String(160))  # the evidence cell's path (released_cells)
    drivers: Mapped[list[Any]] = mapped_column(JSON)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    problem: Mapped[str] = mapped_column(Text)
    responsible_unit: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    # "province" (a governor's office) or "ministry": whose finding it is.
    raised_by: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    action_date: Mapped[date | None] = mapped_column(Date)
    action: Mapped[str | None] = mapped_column(Text)
    re_evaluated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    re_evaluation_note: Mapped[str | None] = mapped_column(Text)
    # What an automatic re-evaluation found (a later step fills it); None for a note alone.
    re_evaluation_result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_as: Mapped[str | None] = mapped_column(String(20))  # "done", "not_actionable"
    closing_note: Mapped[str | None] = mapped_column(Text)
    reopen_note: Mapped[str | None] = mapped_column(Text)  # why it was last reopened
    reported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reported_by: Mapped[str | None] = mapped_column(String(100))


class FindingProposal(Base):
    """A proposed solution to a finding, and where it came from: an analyst typed it, or
    (later) staff proposed it in a survey of their own (``source_ref`` says which)."""

    __tablename__ = "finding_proposals"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    finding_id: Mapped[int] = mapped_column(
        ForeignKey("findings.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(32))
    source_ref: Mapped[str | None] = mapped_column(String(100))
    added_by: Mapped[str] = mapped_column(String(100))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FindingEvent(Base):
    """One change to a finding: who (a token, or an operator at the command line), when,
    what, and each changed field's value before and after. Written with the change, in its
    transaction; never updated."""

    __tablename__ = "finding_history"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    finding_id: Mapped[int] = mapped_column(
        ForeignKey("findings.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    token_id: Mapped[int | None] = mapped_column(
        ForeignKey("admin_tokens.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(100))
    via: Mapped[str] = mapped_column(String(8))  # "api" (a token) or "cli" (izdes findings)
    action: Mapped[str] = mapped_column(String(32))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)


class ReportDelivery(Base):
    """The monthly PDF report sent to one administrator in Telegram (admin.report_delivery):
    claimed before it is sent, so that of several bot processes only one sends it. The
    administrator is kept as a keyed code of their Telegram id, never the id itself."""

    __tablename__ = "report_deliveries"

    survey_key: Mapped[str] = mapped_column(String(32), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    recipient: Mapped[str] = mapped_column(String(64), primary_key=True)
    scope: Mapped[str] = mapped_column(String(20))  # "national" or "province:34"
    # claimed (being sent, or to be tried again), sent, failed (given up), empty (the
    # scope had nothing released to report).
    status: Mapped[str] = mapped_column(String(8))
    attempts: Mapped[int] = mapped_column(Integer)
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
