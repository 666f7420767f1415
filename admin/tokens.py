"""Admin tokens: "izdes_<lookup>_<secret>", shown once, kept only as a keyed hash.

The secret is 32 random bytes: nobody guesses it, so a slow password hash buys nothing and
costs the server (argon2 on the event loop took about 0.1 s of CPU a check: 40 requests with
bad tokens held every other request, the webhook's included, for seconds). HMAC-SHA256 under
a key kept apart from the database (derived from IZDES_SECRET_KEY) is what large API
providers use for such tokens: a copy of the table gives no usable token. Hashes argon2 made
before are still accepted, checked off the event loop, and replaced at their first use.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import re
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from conversations.places import province_by_plate
from storage import admin_store
from storage.admin_store import TokenRecord
from storage.database import Database

_TOKEN = re.compile(r"^izdes_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{20,100})$")
KEYED = "hmac-sha256$"  # how a keyed hash begins; argon2's begin "$argon2"
# Checks of tokens made before keyed hashes, one at a time, in a thread of their own: whoever
# knows an old token's lookup part could otherwise start any number of them, and fill the
# default threads the event loop also needs.
ARGON2_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="argon2")
LOOKUP_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def token_key(secret_key: bytes) -> bytes:
    """The key admin tokens are hashed under, derived from IZDES_SECRET_KEY."""
    return hmac.new(secret_key, b"izdes: admin token hashes", hashlib.sha256).digest()


def _keyed_hash(key: bytes, secret: str) -> str:
    return KEYED + hmac.new(key, secret.encode(), hashlib.sha256).hexdigest()


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


async def create_token(db: Database, key: bytes, scope: Scope, name: str,
                       purpose: str | None = None) -> str:
    """A new token, returned once. A microdata token must be named after a person and give
    its purpose (ValueError otherwise): both go into the audit of every download."""
    if scope.microdata and not (name.strip() and purpose and purpose.strip()):
        raise ValueError("a microdata token needs --name (who) and --purpose (what for)")
    lookup = "".join(secrets.choice(LOOKUP_ALPHABET) for _ in range(12))
    secret = secrets.token_urlsafe(32)
    async with db.transaction() as session:
        await admin_store.add_token(session, lookup, _keyed_hash(key, secret), name,
                                    str(scope), purpose.strip() if purpose else None)
    return f"izdes_{lookup}_{secret}"


async def authenticate(db: Database, key: bytes, token: str, slow_checks: bool = True
                       ) -> Caller | None:
    """The caller a token stands for; None for a wrong, unknown or revoked token alike, after
    the same work (the hash is computed and compared whether or not the lookup exists)."""
    found = _TOKEN.match(token)
    if found is None:
        return None
    lookup, secret = found.groups()
    async with db.transaction() as session:
        record = await admin_store.token_by_lookup(session, lookup)
    expected = _keyed_hash(key, secret)
    if record is not None and not record.secret_hash.startswith(KEYED):
        if not slow_checks or not await _argon2_verified(db, record, expected, secret):
            return None
    elif not hmac.compare_digest(record.secret_hash if record else KEYED, expected):
        return None
    if record is None or record.revoked_at is not None:  # revocation is checked every time
        return None
    return Caller(record.id, record.name, parse_scope(record.scope), record.purpose)


async def _argon2_verified(db: Database, record: TokenRecord, keyed: str, secret: str) -> bool:
    """A token made before keyed hashes: checked in a thread (argon2 is slow on purpose), and
    its hash replaced by the keyed one once it proves right."""
    def verify() -> bool:  # each takes 64 MiB and 0.1 s of CPU
        try:
            return PasswordHasher().verify(record.secret_hash, secret)
        except (VerificationError, InvalidHashError):
            return False

    if not await asyncio.get_running_loop().run_in_executor(ARGON2_THREAD, verify):
        return False
    async with db.transaction() as session:
        await admin_store.rehash_token(session, record.id, keyed)
    return True
