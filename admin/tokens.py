"""Admin tokens: "izdes_<lookup>_<secret>", shown once, kept only as an argon2 hash."""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from conversations.places import province_by_plate
from storage import admin_store
from storage.database import Database

_TOKEN = re.compile(r"^izdes_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{20,100})$")
_hasher = PasswordHasher()
# Verified against when the lookup part is unknown, so a wrong token costs the same time
# whether or not its first part exists.
_DUMMY_HASH = _hasher.hash("not a token")


@dataclass(frozen=True)
class Scope:
    """national: every province; otherwise one province's plate code. A microdata scope is
    national and may also download responses row by row (admin.microdata)."""

    province: str | None
    microdata: bool = False

    @property
    def national(self) -> bool:
        return self.province is None

    def __str__(self) -> str:
        if self.microdata:
            return "microdata"
        return "national" if self.national else f"province:{self.province}"


def parse_scope(text: str) -> Scope:
    if text in ("national", "microdata"):
        return Scope(None, microdata=text == "microdata")
    kind, _, plate = text.partition(":")
    province = province_by_plate(plate) if kind == "province" else None
    if province is None:
        raise ValueError("scope must be 'national', 'province:<plate 1-81>' or 'microdata', "
                         f"not {text!r}")
    return Scope(province.plate)


@dataclass(frozen=True)
class Caller:
    token_id: int
    name: str
    scope: Scope
    purpose: str | None = None


async def create_token(db: Database, scope: Scope, name: str,
                       purpose: str | None = None) -> str:
    """A new token, returned once. A microdata token must be named after a person and give
    its purpose (ValueError otherwise): both go into the audit of every download."""
    if scope.microdata and not (name.strip() and purpose and purpose.strip()):
        raise ValueError("a microdata token needs --name (who) and --purpose (what for)")
    lookup = "".join(secrets.choice("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
                     for _ in range(12))
    secret = secrets.token_urlsafe(32)
    async with db.transaction() as session:
        await admin_store.add_token(session, lookup, _hasher.hash(secret), name, str(scope),
                                    purpose.strip() if purpose else None)
    return f"izdes_{lookup}_{secret}"


async def authenticate(db: Database, token: str) -> Caller | None:
    found = _TOKEN.match(token)
    record = None
    if found:
        async with db.transaction() as session:
            record = await admin_store.token_by_lookup(session, found.group(1))
    if not _verified(record.secret_hash if record else _DUMMY_HASH, token):
        return None
    if record is None or record.revoked_at is not None:  # revocation is checked every time
        return None
    return Caller(record.id, record.name, parse_scope(record.scope), record.purpose)


# argon2 is slow on purpose (tens of ms); a dashboard makes many requests with one token.
# Remember recent successful verifications by a digest of the token, never the token itself.
_recently_verified: dict[str, float] = {}
VERIFIED_FOR = 300.0  # seconds


def _verified(secret_hash: str, token: str) -> bool:
    digest = hashlib.sha256(f"{secret_hash}|{token}".encode()).hexdigest()
    now = time.monotonic()
    if _recently_verified.get(digest, 0.0) > now:
        return True
    found = _TOKEN.match(token)
    try:
        _hasher.verify(secret_hash, found.group(2) if found else token)
    except (VerificationError, InvalidHashError):
        return False
    if len(_recently_verified) > 1000:
        _recently_verified.clear()
    _recently_verified[digest] = now + VERIFIED_FOR
    return True
