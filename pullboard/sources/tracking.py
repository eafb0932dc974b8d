"""What every HTTP tracker shares: how its client is built, and its hooks and counters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict

import httpx

from pullboard.config import SourceConfig
from pullboard.model import SourceData
from pullboard.sources.http import (
    Backoff,
    HttpCache,
    HttpClient,
    Limits,
    Progress,
    RateInfo,
    RateLimitHook,
    StatusHook,
)


class ClientOptions(TypedDict, total=False):
    """How a tracker's HTTP client is tuned; real runs take the defaults, tests and benchmarks
    pass what they need (see `HttpClient` for each)."""

    transport: httpx.AsyncBaseTransport | None
    backoff: Backoff | None
    timeout: httpx.Timeout
    concurrency: int
    progress: Progress | None
    limits: Limits | None


class HttpTracker:
    """Base of the GitHub and Jira trackers: one `HttpClient` per source per run."""

    config: SourceConfig
    reuses = False
    _http: HttpClient
    _previous: SourceData | None = None
    """What the board held for this source when the refresh began."""
    _marks: dict[str, str]

    def _connect(
        self,
        base_url: str,
        headers: dict[str, str],
        on_status: StatusHook,
        rate_limit: RateLimitHook,
        options: ClientOptions,
    ) -> HttpClient:
        """The source's one HTTP client (its ETags travel with the snapshot, `marks`)."""
        HttpCache(self.config.name).forget_bodies()  # response bodies older versions kept
        self._marks = {}
        return HttpClient(
            self.config.name,
            base_url,
            headers=headers,
            on_status=on_status,
            rate_limit=rate_limit,
            **options,
        )

    def __repr__(self) -> str:  # never the token: only what the config says
        return f"{type(self).__name__}(name={self.config.name!r}, url={self.config.url!r})"

    @property
    def progress(self) -> Progress | None:
        """Told when the source waits for a rate limit; the board may set it at any time."""
        return self._http.progress

    @progress.setter
    def progress(self, value: Progress | None) -> None:
        self._http.progress = value

    @property
    def rate(self) -> RateInfo | None:
        """The quota the tracker last reported for this token, if it reports one."""
        return self._http.rate

    @property
    def requests(self) -> int:
        """HTTP requests sent so far, retries included."""
        return self._http.requests

    def start_refresh(self, previous: SourceData | None = None) -> None:
        """A refresh begins: the client's request budget starts over; `previous` is what the
        board holds for this source, which unchanged listings may be answered from."""
        self._http.start_refresh()
        self._previous = previous
        self._marks: dict[str, str] = {}

    @property
    def marks(self) -> Mapping[str, str]:
        """Validators of the listings this refresh read (see `Tracker.marks`)."""
        return self._marks

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._http.aclose()
