"""PTB's HTTP requests over aiohttp instead of httpx.

python-telegram-bot lets the HTTP client be swapped (``BaseRequest``). We already run aiohttp
for the webhook and admin API; its client costs a fraction of httpx's CPU per request, and its
connection pool does not scan every open connection on each request as httpcore's does (with
dozens of chats in flight that scan was a third of our HTTP time; see docs/benchmarks.md).
Telegram's 429 answers are counted for /metrics on the way through.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.metrics import Metrics

Timeout = Any  # a number of seconds, None (no limit), or PTB's "use the default" marker
_FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class AiohttpRequest(BaseRequest):
    def __init__(
        self,
        metrics: Metrics | None = None,
        *,
        connection_pool_size: int = 64,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        # write_timeout is taken as HTTPXRequest takes it, but aiohttp has no write timeout:
        # a plain request's body is small, and an upload's allowance is media_write_timeout.
        del write_timeout
        self._metrics = metrics
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            # The session needs the running event loop, so it is made here, not in __init__.
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size, ttl_dns_cache=300),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        write_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        connect_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        pool_timeout: Timeout = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        fields = request_data.json_parameters if request_data else None
        timeout = aiohttp.ClientTimeout(
            total=None,
            # aiohttp has no separate write timeout: a request's body goes out within the
            # time to the first byte of the answer, so the write allowance is added there.
            sock_read=_given(read_timeout, self._read_timeout),
            sock_connect=_given(connect_timeout, self._connect_timeout),
            connect=_sum(_given(pool_timeout, self._pool_timeout),
                         _given(connect_timeout, self._connect_timeout)),
        )
        if files:
            timeout = aiohttp.ClientTimeout(
                total=None, connect=timeout.connect, sock_connect=timeout.sock_connect,
                sock_read=_sum(timeout.sock_read, _given(write_timeout,
                                                         self._media_write_timeout)))
        headers = None
        if files:
            body: Any = _multipart(fields or {}, files)
        elif fields:
            # Encoded here, as aiohttp's FormData would, for a fifth of the CPU of the request.
            body = request_data.url_encoded_parameters().encode()
            headers = _FORM
        else:
            body = None
        try:
            async with self._session.request(method, url, data=body, headers=headers,
                                             timeout=timeout) as answer:
                payload = await answer.read()
                status = answer.status
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error
        if status == 429 and self._metrics is not None:
            self._metrics.telegram_429.inc()
        return status, payload


class UpdatesRequest(AiohttpRequest):
    """For getUpdates: also keeps the updates as Telegram sent them, so the intake stores
    them without turning PTB's objects back into dicts (PTB's ``de_json`` leaves its input
    untouched; ``parse_json_payload`` is its documented hook)."""

    _result: list | None = None

    def parse_json_payload(self, payload: bytes) -> dict:
        parsed = super().parse_json_payload(payload)
        result = parsed.get("result") if isinstance(parsed, dict) else None
        self._result = result if isinstance(result, list) else None
        return parsed

    def take_result(self) -> list | None:
        """The last answer's updates, once."""
        result, self._result = self._result, None
        return result


def _given(value: Timeout, default: float | None) -> float | None:
    return default if value is BaseRequest.DEFAULT_NONE else value


def _sum(first: float | None, second: float | None) -> float | None:
    return None if first is None or second is None else first + second


def _multipart(fields: dict[str, str], files: dict) -> aiohttp.FormData:
    form = aiohttp.FormData(quote_fields=False)
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form

