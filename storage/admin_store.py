"""Admin tokens and the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AdminToken, AuditEntry, utcnow
from storage.statements import rowcount


@dataclass(frozen=True)
class TokenRecord:
    id: int
    lookup: str
    secret_hash: str
    name: str
    scope: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
    purpose: str | None = None


def _record(row: AdminToken) -> TokenRecord:
    return TokenRecord(row.id, row.lookup, row.secret_hash, row.name, row.scope, row.created_at,
                       row.revoked_at, row.last_used_at, row.purpose)


async def add_token(session: AsyncSession, lookup: str, secret_hash: str, name: str, scope: str,
                    purpose: str | None = None) -> int:
    row = AdminToken(lookup=lookup, secret_hash=secret_hash, name=name, scope=scope,
                     purpose=purpose)
    session.add(row)
    await session.flush()
    return row.id


async def token_by_lookup(session: AsyncSession, lookup: str) -> TokenRecord | None:
    row = await session.scalar(select(AdminToken).where(AdminToken.lookup == lookup))
    return _record(row) if row else None


async def list_tokens(session: AsyncSession) -> list[TokenRecord]:
    rows = await session.scalars(select(AdminToken).order_by(AdminToken.id))
    return [_record(row) for row in rows]


async def revoke_token(session: AsyncSession, token_id: int) -> bool:
    result = await session.execute(
        update(AdminToken)
        .where(AdminToken.id == token_id, AdminToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return bool(rowcount(result))


async def rehash_token(session: AsyncSession, token_id: int, secret_hash: str) -> None:
    """Keep a token under another hash of the same secret (admin.tokens upgrades old ones)."""
    await session.execute(
        update(AdminToken).where(AdminToken.id == token_id).values(secret_hash=secret_hash))


async def record_access(session: AsyncSession, token_id: int, action: str,
                        parameters: dict[str, Any]) -> None:
    """Audit one data access and note when the token was last used."""
    session.add(AuditEntry(token_id=token_id, action=action, parameters=parameters))
    await session.execute(
        update(AdminToken).where(AdminToken.id == token_id).values(last_used_at=utcnow()))


async def audit_entries(session: AsyncSession
                        ) -> list[tuple[int | None, str, dict[str, Any] | None]]:
    rows = await session.execute(
        select(AuditEntry.token_id, AuditEntry.action, AuditEntry.parameters)
        .order_by(AuditEntry.id))
    return [tuple(row) for row in rows]
