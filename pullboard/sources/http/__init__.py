"""The one HTTP client every tracker shares, and the only package that touches httpx types.

- `client`: `HttpClient`, one connection pool per source, retries and conditional GETs.
- `policy`: `Backoff` and rate-limit recognition.
- `errors`: httpx exceptions and error answers as pullboard errors with sentences.
- `limits`: what one server may cost: bytes per answer, seconds per request, requests per
  refresh, and JSON the parser can't be made to choke on.
- `page`: one answer and its `Link` pagination.
- `validators`: what a tracker keeps between runs (its sync state); no bodies.
"""

from __future__ import annotations

from pullboard.sources.http.client import (
    DEFAULT_TIMEOUT,
    USER_AGENT,
    HttpClient,
    Progress,
    gather_all,
)
from pullboard.sources.http.errors import (
    StatusHook,
    default_status_error,
    guarded,
    host_of,
    server_message,
)
from pullboard.sources.http.limits import (
    JsonRefused,
    Limits,
)
from pullboard.sources.http.page import MAX_PAGES, Page, Params, parse_link
from pullboard.sources.http.policy import (
    Backoff,
    Limit,
    RateInfo,
    RateLimitHook,
    rate_info,
    standard_rate_limit,
)
from pullboard.sources.http.validators import HttpCache

__all__ = [
    "DEFAULT_TIMEOUT",
    "MAX_PAGES",
    "USER_AGENT",
    "Backoff",
    "HttpCache",
    "HttpClient",
    "JsonRefused",
    "Limit",
    "Limits",
    "Page",
    "Params",
    "Progress",
    "RateInfo",
    "RateLimitHook",
    "StatusHook",
    "default_status_error",
    "gather_all",
    "guarded",
    "host_of",
    "parse_link",
    "rate_info",
    "server_message",
    "standard_rate_limit",
]
