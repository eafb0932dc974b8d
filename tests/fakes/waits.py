"""An instant stand-in for `asyncio.sleep` that records what a client asked to wait."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field


@dataclass
class Waits:
    """Pass `waits.sleep` as a client's sleep; `delays` lists every wait in order."""

    delays: list[float] = field(default_factory=list)

    async def sleep(self, seconds: float) -> None:
        self.delays.append(seconds)
        await asyncio.sleep(0)
