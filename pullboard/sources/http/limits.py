"""What one server may cost pullboard: bytes per answer, seconds per request, requests per
refresh, and JSON the parser can't be made to choke on.

A hostile or broken server fails its own source with a sentence; it never holds the run past
these limits, eats the machine's memory, or crashes the other sources. Each number is far
above what real GitHub and Jira answers need (a page of 100 issues is well under 1 MiB).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

MAX_BODY_BYTES = 8 * 1024 * 1024
"""Largest answer body, counted after decompression: a gzip bomb is stopped at 8 MiB decoded,
however small it was on the wire, before it is ever held whole. Up to `CONCURRENCY` answers
are read at once, so this bounds a hostile server's cost to a few hundred MB; a real page of
100 issues is well under 1 MiB."""

REQUEST_DEADLINE = 60.0
"""Seconds one try of a request may take, from sending it to the last byte of the answer.
httpx's read timeout restarts with every byte, so a server trickling a byte a second would
otherwise hold a request for ever. Not retried: a trickling server trickles again."""

MAX_REQUESTS_PER_REFRESH = 2000
"""Requests one source may send in one refresh, retries included: a server handing out endless
fresh `next` links (or pages a search claims exist) is stopped here, across every list."""


@dataclass(frozen=True)
class Limits:
    """The limits one `HttpClient` enforces (tests pass smaller ones)."""

    body_bytes: int = MAX_BODY_BYTES
    deadline: float = REQUEST_DEADLINE
    requests: int = MAX_REQUESTS_PER_REFRESH


class JsonRefused(ValueError):
    """Well-formed JSON that pullboard won't hold; the message completes "sent JSON ..."."""


NOT_A_NUMBER = "with an infinite or NaN number"


def _finite(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise JsonRefused(NOT_A_NUMBER)
    return number


def _constant(name: str) -> float:
    raise JsonRefused(NOT_A_NUMBER)


def load_json(text: str) -> Any:
    """Parse JSON as a server sent it.

    `1e400` would become infinity and `NaN` is not JSON at all; either would overflow the
    first `int()` or date built from it. Nesting is bounded by the parser's recursion guard.

    Raises:
        JsonRefused: for infinite numbers and nesting deeper than the parser goes.
        ValueError: when the text is not JSON.
    """
    try:
        return json.loads(text, parse_float=_finite, parse_constant=_constant)
    except RecursionError as err:
        raise JsonRefused("nested too deeply to read") from err
