"""The pool's sockets (`sources.http.network`): kept-alive connections are reused, and one the
server hung up on is noticed before a request is sent on it. Real sockets, a raw server."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator

import httpx
import pytest

from pullboard.sources.http import HttpClient
from pullboard.sources.http.network import Transport

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"


class RawServer:
    """Answers each request with `ANSWER`; with `hang_up`, closes the connection after it
    without saying so (no `Connection: close`), as a server's idle timeout does."""

    def __init__(self, hang_up: bool) -> None:
        self.hang_up = hang_up
        self.connections = 0
        self.url = ""

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while await reader.readuntil(b"\r\n\r\n"):
                writer.write(ANSWER)
                await writer.drain()
                if self.hang_up:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()


@pytest.fixture(params=[False, True], ids=["keeps-alive", "hangs-up"])
async def server(request: pytest.FixtureRequest) -> AsyncIterator[RawServer]:
    raw = RawServer(hang_up=request.param)
    listening = await asyncio.start_server(raw.handle, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    raw.url = f"http://127.0.0.1:{port}/"
    async with listening:
        yield raw


async def test_connections_are_reused_and_a_hung_up_one_is_left(server: RawServer) -> None:
    limits = httpx.Limits(max_connections=4, max_keepalive_connections=4)
    transport = Transport(verify=ssl.create_default_context(), limits=limits)
    async with httpx.AsyncClient(transport=transport) as client:
        for _ in range(3):
            response = await client.get(server.url)
            assert response.text == "ok"
            await asyncio.sleep(0.05)  # the hang-up reaches this side
    assert server.connections == (3 if server.hang_up else 1)


async def test_a_proxy_in_the_environment_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """httpx takes proxies from the environment only into transports it builds itself: with
    one set, a source's client leaves the transport to httpx, and its requests go through
    the proxy (here a raw one that answers them itself)."""
    asked: list[bytes] = []

    async def proxy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        asked.append((await reader.readuntil(b"\r\n\r\n")).split(b"\r\n")[0])
        writer.write(ANSWER)
        await writer.drain()
        writer.close()

    listening = await asyncio.start_server(proxy, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
    async with listening:
        client = HttpClient("proxied", "http://tracker.invalid/api")
        try:
            page = await client.get("items")
        finally:
            await client.aclose()
    assert page.text == "ok"
    assert asked == [b"GET http://tracker.invalid/api/items HTTP/1.1"]
