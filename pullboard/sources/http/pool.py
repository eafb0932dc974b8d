"""One source's connection pool, and one try of one request through it: the whole answer
within the deadline and the size limit, from a pool that survives cancellation."""

from __future__ import annotations

import asyncio
import zlib
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx

from pullboard.errors import SourceRejected, SourceUnreachable
from pullboard.sources.http.limits import Limits

_FRAMING = frozenset({"content-encoding", "content-length", "transfer-encoding"})
"""Headers that describe the bytes on the wire, not the decoded body kept."""


def _inflater(encoding: str) -> Any:
    """A zlib decompressor for a gzip or deflate body (zlib-wrapped, as RFC 9110 means it),
    or None for anything else."""
    name = encoding.strip().lower()
    if name in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if name == "deflate":
        return zlib.decompressobj()
    return None


class Pool:
    """The source's `httpx.AsyncClient`, replaced whenever a cancelled request may have
    broken it.

    httpcore 1.0 leaves a pooled connection marked "connecting" for good when a request is
    cancelled after the pool gave it that connection and before it began to connect; after
    `concurrency` such cancels no request of the source ever goes out again. So a cancelled
    try (a refresh cut short, a deadline) retires the client: later requests get a fresh one,
    and the old one is closed once its last request is done.

    Args:
        make: builds a client (the token lives in its headers, nowhere else).
        limits: the size and deadline each try must keep to.
        host: the host as users know it, for messages.
        replaceable: False when a test injected a transport, which every client shares (a
            fresh client would not bring a fresh pool, and closing the old one would close it).
    """

    def __init__(
        self,
        make: Callable[[], httpx.AsyncClient],
        limits: Limits,
        host: str,
        *,
        replaceable: bool = True,
    ) -> None:
        self.client = make()
        self.limits = limits
        self.host = host
        self.answered = False
        """True once any answer came back: the host is up, so a timeout may be a hiccup."""
        self._make = make
        self._replaceable = replaceable
        self._busy: Counter[httpx.AsyncClient] = Counter()
        self._retired: set[httpx.AsyncClient] = set()

    async def fetch(self, request: httpx.Request, subject: str) -> httpx.Response:
        """One try: send `request` and read the whole answer, decoded, into memory.

        Raises:
            SourceRejected: the decoded body passed `limits.body_bytes`.
            SourceUnreachable: the try passed `limits.deadline`.
            httpx.RequestError: as httpx raises it (the caller retries and translates).
        """
        client = self.client
        self._busy[client] += 1
        try:
            async with asyncio.timeout(self.limits.deadline):
                return await self._receive(client, request, subject)
        except TimeoutError as err:
            self._retire(client)
            raise SourceUnreachable(self._too_slow(subject)) from err
        except asyncio.CancelledError:
            self._retire(client)
            raise
        finally:
            await self._release(client)

    async def aclose(self) -> None:
        """Close the current client and any retired one still open."""
        for client in (*self._retired, self.client):
            await client.aclose()
        self._retired.clear()

    async def _receive(
        self, client: httpx.AsyncClient, request: httpx.Request, subject: str
    ) -> httpx.Response:
        response = await client.send(request, stream=True)
        self.answered = True
        try:
            body = await self._body(response, subject)
        finally:
            await response.aclose()
        headers = [(k, v) for k, v in response.headers.multi_items() if k not in _FRAMING]
        return httpx.Response(
            response.status_code,
            headers=headers,
            content=body,
            request=request,
            extensions=response.extensions,
        )

    async def _body(self, response: httpx.Response, subject: str) -> bytes:
        """The decoded body, refused as soon as it would pass the limit. gzip and deflate are
        inflated here, never more than the limit allows at a time: httpx's own decoder turns
        one 64 KiB chunk of a gzip bomb into 64 MiB before anyone can count it."""
        limit = self.limits.body_bytes
        inflate = _inflater(response.headers.get("content-encoding", ""))
        body = bytearray()
        if inflate is None:  # identity, or an encoding httpx decodes itself
            async for chunk in response.aiter_bytes():
                if len(body) + len(chunk) > limit:
                    raise SourceRejected(self._too_big(subject))
                body += chunk
            return bytes(body)
        try:
            async for raw in response.aiter_raw():
                data = raw
                while data:
                    body += inflate.decompress(data, limit + 1 - len(body))
                    if len(body) > limit:
                        raise SourceRejected(self._too_big(subject))
                    data = inflate.unconsumed_tail
            body += inflate.flush()
        except zlib.error as err:
            what = f" for {subject}" if subject else ""
            raise SourceRejected(
                f"{self.host} sent a compressed answer{what} that doesn't decompress."
            ) from err
        if len(body) > limit:
            raise SourceRejected(self._too_big(subject))
        return bytes(body)

    def _retire(self, client: httpx.AsyncClient) -> None:
        if self._replaceable and client is self.client:
            self._retired.add(client)
            self.client = self._make()

    async def _release(self, client: httpx.AsyncClient) -> None:
        self._busy[client] -= 1
        if client in self._retired and not self._busy[client]:
            self._retired.discard(client)
            del self._busy[client]
            await client.aclose()

    def _too_big(self, subject: str) -> str:
        mib = self.limits.body_bytes / (1024 * 1024)
        what = f" for {subject}" if subject else ""
        return (
            f"{self.host} sent an answer{what} larger than {mib:g} MiB (decompressed); "
            "pullboard stopped reading it there."
        )

    def _too_slow(self, subject: str) -> str:
        what = f" for {subject}" if subject else ""
        return (
            f"{self.host} took more than {self.limits.deadline:g} s to send its answer{what}; "
            "it may be overloaded or the connection very slow. Try again later."
        )
