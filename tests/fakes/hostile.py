"""Servers that misbehave below the JSON, on the socket, where the fake trackers can't:
one that never answers, and one whose raw answers a test scripts (trickled, compressed,
endless). Both listen on 127.0.0.1 and are context managers."""

from __future__ import annotations

import socket
import socketserver
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field


class Silent:
    """A host that accepts TCP connections and never says a word: the kernel completes the
    handshake for the listen backlog, nobody ever reads or writes."""

    def __init__(self) -> None:
        self._sock = socket.socket()
        self.url = ""

    def __enter__(self) -> Silent:
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        return self

    def __exit__(self, *exc: object) -> None:
        self._sock.close()


@dataclass
class Answer:
    """A raw HTTP/1.1 answer: the body goes out `chunk` bytes at a time, `pace` s apart."""

    body: bytes = b"[]"
    status: str = "200 OK"
    headers: dict[str, str] = field(default_factory=dict)
    chunk: int = 1 << 16
    pace: float = 0.0


Script = Callable[[str], Answer]
"""Given the request target (path and query), what to send back."""


class Scripted:
    """Answers every request as `script` says, one connection per request, and counts them."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.requests: list[str] = []
        self._stop = threading.Event()
        fake = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                fake._serve(self)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True

    def __enter__(self) -> Scripted:
        threading.Thread(target=self._server.serve_forever, args=(0.01,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def _serve(self, handler: socketserver.StreamRequestHandler) -> None:
        target = handler.rfile.readline().decode("latin-1").split(" ")[1]
        while handler.rfile.readline() not in (b"\r\n", b"\n", b""):
            pass  # the rest of the request head; GETs have no body
        self.requests.append(target)
        answer = self.script(target)
        head = {"Content-Length": str(len(answer.body)), "Connection": "close"}
        head.update(answer.headers)
        lines = [f"HTTP/1.1 {answer.status}", *(f"{k}: {v}" for k, v in head.items())]
        try:
            handler.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
            for start in range(0, len(answer.body), answer.chunk):
                if answer.pace and self._stop.wait(answer.pace):
                    return
                handler.wfile.write(answer.body[start : start + answer.chunk])
                handler.wfile.flush()
        except OSError:
            return  # the client gave up: that is what these tests provoke


def gzip_bomb(decoded: int, block: int = 1 << 20) -> bytes:
    """A valid gzip stream of `decoded` zero bytes (a multiple of `block`), built in a blink:
    after a full flush, every further block of zeros compresses to the very same bytes."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    zeros = bytes(block)
    compressor.compress(zeros)
    first = compressor.flush(zlib.Z_FULL_FLUSH)
    compressor.compress(zeros)
    repeat = compressor.flush(zlib.Z_FULL_FLUSH)
    count = decoded // block
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(zeros, crc)
    deflate = first + repeat * (count - 1) + compressor.flush()
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = crc.to_bytes(4, "little") + (decoded % (1 << 32)).to_bytes(4, "little")
    return header + deflate + trailer
