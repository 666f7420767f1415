"""Which secret key a database's codes were made with: only a fingerprint of it (a keyed hash
of a fixed text), which says nothing of the key. A process started with another key would
find no returning respondent, and make admin tokens that never work; it is refused instead."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import KeyFingerprint
from storage.statements import insert_ignoring_duplicates

SECRET_KEY = "secret_key"


class KeyMismatch(Exception):
    """The key given is not the one the database was made with."""


async def check_fingerprint(session: AsyncSession, purpose: str, fingerprint: str) -> None:
    """Remember the fingerprint the first time (of workers starting together, the first to
    write); KeyMismatch when it differs."""
    await session.execute(insert_ignoring_duplicates(
        session, KeyFingerprint, [{"purpose": purpose, "fingerprint": fingerprint}]))
    known = await session.scalar(select(KeyFingerprint.fingerprint)
                                 .where(KeyFingerprint.purpose == purpose))
    if known != fingerprint:
        raise KeyMismatch(purpose)


async def forget_fingerprint(session: AsyncSession, purpose: str) -> None:
    """After a deliberate change of key (docs/operations.md): the next start records it."""
    await session.execute(delete(KeyFingerprint).where(KeyFingerprint.purpose == purpose))
