"""HTTP plumbing every tracker shares: one client, retries, rate limits, ETags, error messages.

Tracker-neutral on purpose: GitHub and Jira differ only in the hooks they pass (how a rate
limit is signalled, what a 401/403/404 means for them). This is the one module that handles
httpx exceptions; everything above it sees `pullboard.errors` only.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import socket
import ssl
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from pullboard import __version__
from pullboard.cache import HttpCache, Validated
from pullboard.errors import RateLimited, SourceError, SourceRejected, SourceUnreachable
from pullboard.text import one_line

USER_AGENT = f"pullboard/{__version__}"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
"""Connect fails fast (a dead VPN shows in 10 s); a slow page gets 30 s."""
MAX_PAGES = 1000
"""A guard against a server whose `next` links loop forever."""

Params = Mapping[str, str | int]
Progress = Callable[[str], None]
"""Told, in a sentence, when the client is waiting (rate limit) so a UI can show it."""


@dataclass(frozen=True)
class Backoff:
    """How the client retries. Every delay goes through `sleep`, so tests run instantly."""

    attempts: int = 4
    """Tries per request for 5xx answers, timeouts and connection errors."""
    connect_attempts: int = 2
    """Tries when the host doesn't even accept a connection in time: each try costs the full
    connect timeout, and a dead VPN won't come back within four of them."""
    base: float = 0.5
    """First retry delay in seconds; doubles each retry."""
    cap: float = 8.0
    """Longest single retry delay."""
    max_wait: float = 60.0
    """Longest rate-limit wait sat through; a longer one fails the source with the reset time."""
    rate_waits: int = 2
    """Rate-limit waits per request before giving up."""
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    jitter: Callable[[], float] = random.random
    """0..1; spreads retries of concurrent requests apart."""
    clock: Callable[[], float] = time.time
    """Wall clock in epoch seconds (rate-limit resets are wall-clock times)."""

    def delay(self, retry: int) -> float:
        """Delay before retry number `retry` (1-based): exponential, capped, with jitter."""
        return min(self.cap, self.base * 2.0 ** (retry - 1)) * (0.5 + self.jitter() / 2)


@dataclass(frozen=True)
class Limit:
    """A rate-limit answer: try again after `wait` seconds."""

    wait: float
    reset_at: datetime | None = None
    primary: bool = True
    """True when the quota is used up; False for "slow down" (secondary) limits."""


@dataclass(frozen=True)
class RateInfo:
    """The quota as the server last reported it (`x-ratelimit-*`), for status displays."""

    limit: int | None
    remaining: int | None
    reset_at: datetime | None
    resource: str | None = None


@dataclass(frozen=True)
class Page:
    """One successful answer, fresh (200) or revalidated from the cache (304)."""

    url: str
    text: str
    link: str | None = None
    cached: bool = False
    status: int = 200

    def json(self) -> Any:
        """The body as JSON.

        Raises:
            SourceRejected: when the body is not JSON.
        """
        try:
            return json.loads(self.text)
        except ValueError as err:
            raise SourceRejected(
                f"{host_of(self.url)} sent something that is not JSON (a proxy or login page?)."
            ) from err

    @property
    def next_url(self) -> str | None:
        """The `rel="next"` link exactly as the server gave it, or None on the last page."""
        return parse_link(self.link).get("next")


StatusHook = Callable[[httpx.Response, str], SourceError]
"""Turns an error answer (4xx, or 5xx after the retries) into a pullboard error.
Called with the response and the subject the caller named (a repo, a project key)."""
RateLimitHook = Callable[[httpx.Response, float], Limit | None]
"""Says whether an answer is a rate limit and how long to wait; given the epoch clock."""


_LINK = re.compile(r"<([^>]*)>([^<]*)")
_REL = re.compile(r"""rel\s*=\s*"?([^";,]+)"?""")


def parse_link(header: str | None) -> dict[str, str]:
    """`Link` header to {rel: url}. URLs are kept verbatim; commas inside `<...>` are safe."""
    links: dict[str, str] = {}
    for url, params in _LINK.findall(header or ""):
        rel = _REL.search(params)
        if rel:
            for name in rel.group(1).split():
                links.setdefault(name, url)
    return links


def _header_time(value: str | None) -> datetime | None:
    """A reset time: epoch seconds (GitHub), epoch millis, or ISO 8601 (Jira)."""
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        try:
            when = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
        return when if when.tzinfo else when.replace(tzinfo=UTC)
    return datetime.fromtimestamp(number / 1000 if number > 1e11 else number, UTC)


def _seconds(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def rate_info(response: httpx.Response) -> RateInfo | None:
    """The `x-ratelimit-*` headers of an answer, or None when it has none."""
    h = response.headers
    if "x-ratelimit-limit" not in h and "x-ratelimit-remaining" not in h:
        return None

    def number(name: str) -> int | None:
        value = _seconds(h.get(name))
        return int(value) if value is not None else None

    return RateInfo(
        limit=number("x-ratelimit-limit"),
        remaining=number("x-ratelimit-remaining"),
        reset_at=_header_time(h.get("x-ratelimit-reset")),
        resource=h.get("x-ratelimit-resource"),
    )


def standard_rate_limit(response: httpx.Response, now: float) -> Limit | None:
    """The common signals: 429 or 403 with `Retry-After`, or with the quota at 0 and a reset.

    A 429 with neither gets a one-minute pause (what GitHub and Atlassian both advise).
    """
    if response.status_code not in (403, 429):
        return None
    after = _seconds(response.headers.get("retry-after"))
    if after is not None:
        return Limit(after, datetime.fromtimestamp(now + after, UTC), primary=False)
    if response.headers.get("x-ratelimit-remaining") == "0":
        reset = _header_time(response.headers.get("x-ratelimit-reset"))
        wait = max(0.0, reset.timestamp() - now) + 1.0 if reset else 60.0
        return Limit(wait, reset, primary=True)
    if response.status_code == 429:
        return Limit(60.0, datetime.fromtimestamp(now + 60.0, UTC), primary=False)
    return None


def host_of(url: str | httpx.URL) -> str:
    """Host as users know it: `api.github.com`, with a port only when it is not the default."""
    parsed = httpx.URL(str(url))
    default = {"http": 80, "https": 443}.get(parsed.scheme)
    port = parsed.port
    return f"{parsed.host}:{port}" if port and port != default else parsed.host


def _chain(err: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    cur: BaseException | None = err
    while cur is not None and cur not in out:
        out.append(cur)
        cur = cur.__cause__ or cur.__context__
    return out


def _dns_failure(err: BaseException) -> socket.gaierror | None:
    return next((e for e in _chain(err) if isinstance(e, socket.gaierror)), None)


def _retryable(err: httpx.RequestError) -> bool:
    """Timeouts and dropped connections may pass; a host that doesn't exist won't appear."""
    dns = _dns_failure(err)
    if dns is not None:
        return dns.errno == socket.EAI_AGAIN
    if any(isinstance(e, ssl.SSLCertVerificationError) for e in _chain(err)):
        return False
    return isinstance(err, httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError)


def default_status_error(response: httpx.Response, subject: str) -> SourceError:
    """A generic message for an error answer; trackers pass a hook with better ones."""
    host = host_of(response.request.url)
    what = f" for {subject}" if subject else ""
    status = f"{response.status_code} {response.reason_phrase}".strip()
    if response.status_code >= 500:
        return SourceUnreachable(
            f"{host} kept failing with {status}{what}; the service may be down. Try again later."
        )
    detail = server_message(response)
    return SourceRejected(f"{host} answered {status}{what}" + (f": {detail}" if detail else "."))


def server_message(response: httpx.Response, limit: int = 200) -> str:
    """The `message` (or Jira's `errorMessages` and per-field `errors` object) of a JSON error
    body, cleaned, one line, shortened."""
    try:
        body = response.json()
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    message = body.get("message") or " ".join(map(str, body.get("errorMessages") or ()))
    fields = body.get("errors")
    if isinstance(fields, dict) and fields:  # GitHub's `errors` is a list and is left out
        message = " ".join([str(message or ""), *(f"{k}: {v}" for k, v in fields.items())])
    text = one_line(str(message)) if message else ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class HttpClient:
    """One source's connection: a single `httpx.AsyncClient`, bounded concurrency, retries,
    rate-limit waits, conditional GETs against an `HttpCache`, and error translation.

    Args:
        name: the source name, prefixed to every error message.
        base_url: API root; relative paths given to `get` are joined onto it.
        headers: sent with every request (Accept, Authorization...). Kept only inside the
            httpx client, whose repr hides `Authorization`.
        cache: validators and bodies per URL; None disables conditional requests.
        backoff: retry policy (inject a fast `sleep` in tests).
        timeout: explicit httpx timeouts.
        transport: injected by tests (`httpx.MockTransport`); None means real sockets.
        concurrency: requests in flight at once for this source.
        on_status: turns error answers into pullboard errors (tracker-specific wording).
        rate_limit: recognises rate-limit answers (tracker-specific signals).
        progress: told when a rate-limit wait starts.
    """

    def __init__(
        self,
        name: str,
        base_url: str,
        *,
        headers: Mapping[str, str] | None = None,
        cache: HttpCache | None = None,
        backoff: Backoff | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
        concurrency: int = 8,
        on_status: StatusHook = default_status_error,
        rate_limit: RateLimitHook = standard_rate_limit,
        progress: Progress | None = None,
    ) -> None:
        self.name = name
        self.base_url = httpx.URL(base_url.rstrip("/") + "/")
        self.host = host_of(self.base_url)
        self.cache = cache
        self.backoff = backoff or Backoff()
        self.timeout = timeout
        self.on_status = on_status
        self.rate_limit = rate_limit
        self.progress = progress
        self.rate: RateInfo | None = None
        """The quota as last reported by the server."""
        self.requests = 0
        """Requests sent (retries included), for diagnostics and benchmarks."""
        self._slots = asyncio.Semaphore(concurrency)
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            headers={"User-Agent": USER_AGENT, **(headers or {})},
            timeout=timeout,
            transport=transport,
            follow_redirects=True,  # renamed repos; httpx drops Authorization across hosts
            limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
        )

    def __repr__(self) -> str:
        return f"HttpClient(name={self.name!r}, base_url={str(self.base_url)!r})"

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def get(self, url: str, params: Params | None = None, *, subject: str = "") -> Page:
        """GET one resource, revalidating a cached copy with If-None-Match / If-Modified-Since.

        Args:
            url: a path relative to the base URL, or an absolute URL on the same host (such
                as a `next` link, used verbatim).
            params: query parameters.
            subject: what is being fetched, for error messages (`acme/shop`, `PAY`).

        Returns:
            The page; `cached` is True when a 304 let the cached body stand.

        Raises:
            SourceUnreachable, SourceRejected, AuthFailed, RateLimited: prefixed with the name.
        """
        try:
            return await self._get(url, params, subject)
        except SourceError as err:
            err.args = (f"{self.name}: {err}",)  # keeps the type, cause and RateLimited fields
            raise

    async def get_all(
        self, url: str, params: Params | None = None, *, subject: str = ""
    ) -> list[Any]:
        """Every item of a paginated JSON array, following `Link: rel="next"` as given."""
        items: list[Any] = []
        seen: set[str] = set()
        page: Page | None = await self.get(url, params, subject=subject)
        while page is not None:
            data = page.json()
            if not isinstance(data, list):
                raise SourceRejected(f"{self.name}: {self.host} sent no list for {subject or url}.")
            items.extend(data)
            seen.add(page.url)
            nxt = page.next_url
            if nxt is None or nxt in seen or len(seen) >= MAX_PAGES:
                break
            page = await self.get(nxt, subject=subject)
        return items

    async def _get(self, url: str, params: Params | None, subject: str) -> Page:
        try:
            request = self._client.build_request("GET", url, params=params)
        except httpx.InvalidURL as err:
            raise SourceRejected(f"bad request URL {url!r}: {err}") from err
        if (request.url.scheme, request.url.host, request.url.port) != (
            self.base_url.scheme,
            self.base_url.host,
            self.base_url.port,
        ):
            # A link pointing elsewhere would carry the token to another host.
            raise SourceRejected(f"{self.host} sent a link to another host: {request.url.host}.")
        key = str(request.url)
        entry = self.cache.get(key) if self.cache else None
        if entry is not None:
            if entry.etag:
                request.headers["If-None-Match"] = entry.etag
            if entry.last_modified:
                request.headers["If-Modified-Since"] = entry.last_modified
        response = await self._send(request, subject)
        if response.status_code == 304 and entry is not None:
            return Page(key, entry.body, entry.link, cached=True, status=304)
        if response.status_code != 200:
            raise self.on_status(response, subject)
        page = Page(key, response.text, response.headers.get("link"))
        etag, modified = response.headers.get("etag"), response.headers.get("last-modified")
        if self.cache is not None and (etag or modified):
            self.cache.put(Validated(key, etag, modified, page.text, page.link))
        return page

    async def _send(self, request: httpx.Request, subject: str) -> httpx.Response:
        """Send with retries for transient faults and waits for short rate limits."""
        failures = waits = 0
        while True:
            try:
                async with self._slots:
                    self.requests += 1
                    response = await self._client.send(request)
            except httpx.RequestError as err:
                failures += 1
                tries = self.backoff.attempts
                if isinstance(err, httpx.ConnectTimeout):
                    tries = min(tries, self.backoff.connect_attempts)
                if failures >= tries or not _retryable(err):
                    raise self._translate(err, failures) from err
                await self.backoff.sleep(self.backoff.delay(failures))
                continue
            self.rate = rate_info(response) or self.rate
            limit = self.rate_limit(response, self.backoff.clock())
            if limit is not None:
                if limit.wait > self.backoff.max_wait or waits >= self.backoff.rate_waits:
                    raise self._rate_limited(limit, subject)
                waits += 1
                self._tell(limit)
                await self.backoff.sleep(limit.wait)
                continue
            if response.status_code >= 500 and failures + 1 < self.backoff.attempts:
                failures += 1
                await self.backoff.sleep(self.backoff.delay(failures))
                continue
            return response

    def _tell(self, limit: Limit) -> None:
        if self.progress is None:
            return
        kind = "rate limit reached" if limit.primary else "asked to slow down"
        until = f" (until {limit.reset_at.astimezone():%H:%M:%S})" if limit.reset_at else ""
        self.progress(f"{self.name}: {self.host} {kind}; waiting {limit.wait:.0f} s{until}.")

    def _rate_limited(self, limit: Limit, subject: str) -> RateLimited:
        when = limit.reset_at.astimezone() if limit.reset_at else None
        at = f"{when:%H:%M:%S} {when.tzname()}" if when else "later"
        what = f" while fetching {subject}" if subject else ""
        if limit.primary:
            message = (
                f"the {self.host} rate limit is used up{what}; it resets at {at}. "
                "The board shows cached data until then."
            )
        else:
            message = (
                f"{self.host} asked pullboard to slow down (secondary rate limit){what}; "
                f"try again after {at}, about {limit.wait:.0f} s."
            )
        return RateLimited(message, retry_after=limit.wait, reset_at=limit.reset_at)

    def _translate(self, err: httpx.RequestError, tries: int) -> SourceError:
        """The one place an httpx exception becomes a message a user can act on."""
        host = self.host
        times = f" (tried {tries} times)" if tries > 1 else ""
        if isinstance(err, httpx.ConnectTimeout):
            return SourceUnreachable(
                f"Couldn't connect to {host} within {self.timeout.connect:g} s{times}. "
                "Check your network or VPN, and the url in the config."
            )
        if isinstance(err, httpx.TimeoutException):
            return SourceUnreachable(
                f"{host} accepted the connection but didn't answer within "
                f"{self.timeout.read:g} s{times}. It may be overloaded; try again later."
            )
        if _dns_failure(err) is not None:
            return SourceUnreachable(
                f"Couldn't find the host {host} (DNS lookup failed). "
                "Check the url in the config and your network."
            )
        if any(isinstance(e, ssl.SSLError) for e in _chain(err)):
            return SourceUnreachable(f"The TLS handshake with {host} failed: {err}.")
        if any(isinstance(e, ConnectionRefusedError) for e in _chain(err)):
            return SourceUnreachable(
                f"Couldn't connect to {host}: connection refused{times}. "
                "Check the url and port in the config."
            )
        if isinstance(err, httpx.TooManyRedirects):
            return SourceRejected(f"{host} redirected too many times.")
        detail = str(err) or type(err).__name__
        return SourceUnreachable(f"The connection to {host} failed{times}: {detail}.")
