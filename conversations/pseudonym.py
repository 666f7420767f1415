"""Keyed hashing of channel user ids: the only form in which a respondent is stored."""

from __future__ import annotations

import hashlib
import hmac


class Pseudonymizer:
    def __init__(self, secret_key: bytes) -> None:
        if len(secret_key) < 16:
            raise ValueError("the secret key must be at least 16 bytes")
        self._key = secret_key

    def key_for(self, channel: str, user_id: int | str) -> str:
        """HMAC-SHA256 of "channel:user_id", hex. Without the secret it cannot be reversed."""
        message = f"{channel}:{user_id}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()
