"""What the benchmark scripts share: a fake server in a child process, and RESULTS.md.

bench/RESULTS.md holds one "## Heading" section per benchmark; each script rewrites its own.
"""

from __future__ import annotations

import multiprocessing as mp
import re
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

PATH = Path(__file__).resolve().parent / "RESULTS.md"
TITLE = "# Benchmark results\n\nEach section is rewritten by the script it names.\n\n"


def write_section(heading: str, body: str) -> None:
    """Put `body` under `## heading`, keeping every other section as it is."""
    section = f"## {heading}\n\n{body.strip()}\n\n"
    text = PATH.read_text(encoding="utf-8") if PATH.exists() else TITLE
    old = re.search(rf"(?ms)^## {re.escape(heading)}\n.*?(?=^## |\Z)", text)
    if old:
        text = text[: old.start()] + section + text[old.end() :]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    PATH.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


class ChildServer:
    """A fake tracker served from a child process (so its work doesn't share our event loop),
    with its request log reachable over a pipe.

    `serve(conn, *args)` must send its URL first, then answer "clear", "stats" and "stop".
    """

    def __init__(self, serve: Callable[..., None], *args: object) -> None:
        self.conn, child = mp.Pipe()
        self.process = mp.get_context("spawn").Process(target=serve, args=(child, *args))
        self.process.start()
        self.url: str = self.conn.recv()

    def ask(self, command: str) -> Any:
        self.conn.send(command)
        return self.conn.recv()

    async def timed(self, work: Callable[[], Awaitable[object]]) -> tuple[float, Any]:
        """Wall time of `work` and the server's stats for exactly the requests it made."""
        self.ask("clear")
        start = time.perf_counter()
        await work()
        seconds = time.perf_counter() - start
        return seconds, self.ask("stats")

    def stop(self) -> None:
        self.ask("stop")
        self.process.join(5)


def compiled() -> None:
    """Byte-compile pullboard as `pip install .` does, before timing new processes: an
    editable checkout run with PYTHONDONTWRITEBYTECODE (or beside a stale `__pycache__`)
    compiles every changed module in each process, which times the compiler, not pullboard."""
    import compileall

    import pullboard

    compileall.compile_dir(Path(pullboard.__file__).parent, quiet=1)
