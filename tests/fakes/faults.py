"""What both fake trackers share: injected faults and the request log."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Fault:
    """What to do instead of (or before) answering requests whose path matches `pattern`."""

    pattern: str
    status: int | None = 500
    """Answer with this status; None answers normally (after `delay`)."""
    times: int | None = 1
    """How many requests it hits; None means every one."""
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    """JSON to send, or a str sent as is (malformed JSON)."""
    delay: float = 0.0
    gate: threading.Event | None = None
    """Hold the answer until the test sets this event (the GitHub fake honours it): a
    deterministic "slow server", where a delay would race a slow machine."""
    drop: bool = False
    """Close the connection without answering (the GitHub fake honours it)."""
    method: str | None = None
    """Only requests with this method (`PUT`); None means any."""
    reason: str | None = None
    """The status line's reason phrase instead of the standard one (the GitHub fake honours
    it; sent as latin-1, so it may hold control bytes such as ESC)."""


@dataclass(frozen=True)
class Hit:
    """One logged request and the status it got (0 when the connection was dropped)."""

    method: str
    path: str
    query: dict[str, str]
    status: int
    headers: dict[str, str]
    size: int = 0
    """Bytes of the answer's body."""
