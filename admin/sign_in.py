"""Who is calling the admin API: the bearer token, checked on every request, and two limits.

- Failed sign-ins: at most FAILED_SIGN_INS_ALLOWED a minute from one client address; beyond
  that a wrong token gets 429 instead of 401. Only failures are limited: a valid token is
  always let in, so that a stranger's wrong guesses cannot lock out the administrators who
  share an address (behind the reverse proxy docs/operations.md prescribes, all of them).
- Requests per token: ``requests_per_minute``, then 429.

The client address is the connection's, unless that is a trusted proxy
(IZDES_TRUSTED_PROXIES): then it is the last address in X-Forwarded-For that is not one of
them. A header from anyone else is ignored: it would let a client pick its own address. An
IPv6 client is counted by its /64, which one machine is usually given whole (it could
otherwise use a fresh address for every guess). The addresses remembered are bounded: the
one that failed longest ago is forgotten first, in constant time.
"""

from __future__ import annotations

import ipaddress
import time
from collections import OrderedDict, defaultdict, deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from aiohttp import web

from admin.problems import problem
from admin.scope import CALLER
from admin.tokens import Caller, authenticate
from storage.database import Database

FAILED_SIGN_INS_ALLOWED = 10  # per client address per minute
WINDOW = 60.0  # seconds
MOST_ADDRESSES = 10_000  # addresses remembered before the quiet ones are forgotten
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def trusted_networks(text: str) -> tuple[Network, ...]:
    """IZDES_TRUSTED_PROXIES: addresses or networks, separated by commas (ValueError if one
    is neither)."""
    return tuple(ipaddress.ip_network(part.strip(), strict=False)
                 for part in text.split(",") if part.strip())


def client_address(request: web.Request, trusted: Iterable[Network]) -> str:
    """The address the request came from, seen through trusted proxies only."""
    trusted = tuple(trusted)
    hops = [request.remote or "?"]
    if _within(hops[0], trusted):
        forwarded = request.headers.getall("X-Forwarded-For", [])
        hops += [hop.strip() for line in reversed(forwarded)
                 for hop in reversed(line.split(","))]
    for hop in hops:
        if not _within(hop, trusted):
            return hop
    return hops[-1]


def counted_as(address: str) -> str:
    """What failures are counted by: an IPv4 address, or an IPv6 address's /64."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is 192.0.2.1
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _within(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


@dataclass
class SignIn:
    db: Database
    token_key: bytes
    requests_per_minute: int = 120
    trusted_proxies: tuple[Network, ...] = ()
    _failures: OrderedDict[str, deque[float]] = field(default_factory=OrderedDict)
    _requests: dict[int, deque[float]] = field(default_factory=lambda: defaultdict(deque))

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        now = time.monotonic()
        client = counted_as(client_address(request, self.trusted_proxies))
        earlier = self._failures.get(client)
        limited = earlier is not None and _wait(earlier, now, FAILED_SIGN_INS_ALLOWED) > 0
        # A client over its limit gets no slow check (an old argon2 token's): a keyed hash
        # still lets a valid token in, anything slower waits until the limit lifts.
        caller = await self._caller(request, slow_checks=not limited)
        if caller is None:
            failures = self._failures_of(client)
            retry = _wait(failures, now, FAILED_SIGN_INS_ALLOWED)
            if retry:
                return problem(429, "too many failed sign-ins from this address; try again "
                                    "later", **{"Retry-After": str(retry)})
            failures.append(now)
            return problem(401, "a valid bearer token is required",
                           **{"WWW-Authenticate": "Bearer"})
        asked = self._requests[caller.token_id]
        retry = _wait(asked, now, self.requests_per_minute)
        if retry:
            return problem(429, "too many requests for this token; try again later",
                           **{"Retry-After": str(retry)})
        asked.append(now)
        request[CALLER] = caller
        return await handler(request)

    def _failures_of(self, client: str) -> deque[float]:
        failures = self._failures.pop(client, None) or deque()
        self._failures[client] = failures  # the most recent last
        if len(self._failures) > MOST_ADDRESSES:
            self._failures.popitem(last=False)
        return failures

    async def _caller(self, request: web.Request, slow_checks: bool) -> Caller | None:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return await authenticate(self.db, self.token_key, token.strip(), slow_checks)


def _wait(window: deque[float], now: float, allowed: int) -> int:
    """Seconds until ``window`` (times within the last minute; older ones dropped here) has
    room again for one more, or 0 if it has room now."""
    while window and now - window[0] >= WINDOW:
        window.popleft()
    return int(WINDOW - (now - window[0])) + 1 if len(window) >= allowed else 0
