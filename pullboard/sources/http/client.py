"""One source's connection: a single httpx client, bounded concurrency, retries, rate-limit
waits, conditional GETs, and a request budget per refresh.

Tracker-neutral on purpose: GitHub and Jira differ only in the hooks they pass (how a rate
limit is signalled, what a 401/403/404 means for them). Exceptions are translated in
`errors`, so everything above `sources.http` sees `pullboard.errors` only.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ssl
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any, TypeVar

import httpx
import msgspec

from pullboard import __version__
from pullboard.errors import SourceError, SourceRejected
from pullboard.sources.http import network
from pullboard.sources.http.errors import (
    StatusHook,
    default_status_error,
    host_of,
    rate_limited,
    retryable,
    translate,
)
from pullboard.sources.http.limits import Limits
from pullboard.sources.http.page import MAX_PAGES, Page, Params
from pullboard.sources.http.policy import (
    Backoff,
    Limit,
    RateInfo,
    RateLimitHook,
    rate_info,
    standard_rate_limit,
)
from pullboard.sources.http.pool import Pool

USER_AGENT = f"pullboard/{__version__}"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
"""Connect fails fast (a dead VPN shows in 10 s); a slow page gets 30 s."""

T = TypeVar("T")

CONCURRENCY = 32
"""Requests in flight per source. A refresh is many small independent reads (a page per repo
or version), so it waits on round trips unless they overlap; 32 stays far inside GitHub's
guidance (no more than 100 concurrent requests per token) and Atlassian's per-user limits.
Measured on 20 repos at 50 ms a request: 24 -> 32 took a warm export from 0.63 to 0.59 s and
a cold one from 0.85 to 0.80 s; 40 gained nothing more (the pool's bookkeeping grows with the
square of the connections)."""

Items = msgspec.json.Decoder[list[Any]]
"""Decodes a page of a list straight into typed items (`msgspec.json.Decoder(list[T])`)."""

Progress = Callable[[str], None]
"""Told, in a sentence, when the client is waiting (rate limit) so a UI can show it."""


async def gather_all(jobs: Iterable[Awaitable[T]]) -> list[T]:
    """Run jobs concurrently (the HTTP client bounds requests in flight); when some fail, all
    still finish (nothing is left running against a client about to close) and the first
    error is raised."""
    results = await asyncio.gather(*jobs, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return [r for r in results if not isinstance(r, BaseException)]


_NO_TLS = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
"""For `http://` sources: verifies certificates against no authority at all, so it costs
nothing to build and fails closed should a redirect ever lead to https."""


@functools.cache
def verified_tls() -> ssl.SSLContext:
    """The one TLS context every https source shares: loading the CA bundle costs about
    25 ms, paid once per process instead of once per client."""
    return httpx.create_ssl_context()


class HttpClient:
    """One source's connection: a single `httpx.AsyncClient`, bounded concurrency, retries,
    rate-limit waits, conditional GETs for callers that hold the data, and error translation.

    Args:
        name: the source name, prefixed to every error message.
        base_url: API root; relative paths given to `get` are joined onto it.
        headers: sent with every request (Accept, Authorization...). Kept only inside the
            httpx client, whose repr hides `Authorization`.
        backoff: retry policy (inject a fast `sleep` in tests).
        timeout: explicit httpx timeouts.
        transport: injected by tests (`httpx.MockTransport`); None means real sockets.
        concurrency: requests in flight at once for this source.
        on_status: turns error answers into pullboard errors (tracker-specific wording).
        rate_limit: recognises rate-limit answers (tracker-specific signals).
        progress: told when a rate-limit wait starts.
        limits: answer size, deadline per try and requests per refresh (see `limits`).
    """

    def __init__(
        self,
        name: str,
        base_url: str,
        *,
        headers: Mapping[str, str] | None = None,
        backoff: Backoff | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
        concurrency: int = CONCURRENCY,
        on_status: StatusHook = default_status_error,
        rate_limit: RateLimitHook = standard_rate_limit,
        progress: Progress | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.name = name
        self.base_url = httpx.URL(base_url.rstrip("/") + "/")
        self.host = host_of(self.base_url)
        self.backoff = backoff or Backoff()
        self.timeout = timeout
        self.on_status = on_status
        self.rate_limit = rate_limit
        self.progress = progress
        self.rate: RateInfo | None = None
        """The quota as last reported by the server."""
        self.requests = 0
        """Requests sent (retries included), for diagnostics and benchmarks."""
        self.limits = limits or Limits()
        self.spent = 0
        """Requests sent since `start_refresh`, against `limits.requests`."""
        self._slots = asyncio.Semaphore(concurrency)
        try:
            all_headers = httpx.Headers({"User-Agent": USER_AGENT, **(headers or {})})
        except UnicodeEncodeError:  # its text holds the whole header value: the token
            raise SourceRejected(
                f"{name}: pullboard couldn't build a request to {self.host}: a header holds a "
                "character HTTP doesn't allow (a non-ASCII character pasted with the token?)."
            ) from None

        tls = verified_tls() if self.base_url.scheme == "https" else _NO_TLS

        pooled = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

        def make() -> httpx.AsyncClient:
            return httpx.AsyncClient(
                base_url=self.base_url,
                headers=all_headers,
                timeout=timeout,
                transport=transport or network.transport(tls, pooled),
                verify=tls,
                follow_redirects=True,  # renamed repos; httpx drops Authorization across hosts
                limits=pooled,
            )

        self._pool = Pool(make, self.limits, self.host, replaceable=transport is None)

    def __repr__(self) -> str:
        return f"HttpClient(name={self.name!r}, base_url={str(self.base_url)!r})"

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._pool.aclose()

    def start_refresh(self) -> None:
        """A refresh begins: the request budget (`limits.requests`) starts over."""
        self.spent = 0

    async def get(
        self, url: str, params: Params | None = None, *, subject: str = "", etag: str | None = None
    ) -> Page:
        """GET one resource; with `etag`, only if it changed (If-None-Match).

        Args:
            url: a path relative to the base URL, or an absolute URL on the same host (such
                as a `next` link, used verbatim).
            params: query parameters.
            subject: what is being fetched, for error messages (`acme/shop`, `PAY`).
            etag: the ETag of the copy the caller holds; only a caller that holds the data
                may send one, as a 304 brings no body.

        Returns:
            The page; `cached` is True when a 304 said the caller's copy is current.

        Raises:
            SourceUnreachable, SourceRejected, AuthFailed, RateLimited: prefixed with the name.
        """
        with self._named():
            return await self._get(url, params, subject, etag)

    async def get_all(
        self,
        url: str,
        params: Params | None = None,
        *,
        subject: str = "",
        items: Items | None = None,
    ) -> list[Any]:
        """Every item of a paginated JSON array. When the first page numbers the rest
        (`rel="last"`), they are fetched at once; otherwise `rel="next"` is followed as given.
        With `items`, each page is decoded straight into its type (see `_items`)."""
        with self._named():
            return await self._rest(await self._get(url, params, subject), subject, items)

    async def rest_of(
        self, first: Page, subject: str = "", items: Items | None = None
    ) -> list[Any]:
        """Every item of the paginated JSON array whose first page (a 200) is `first`."""
        with self._named():
            return await self._rest(first, subject, items)

    async def _rest(self, first: Page, subject: str, kind: Items | None) -> list[Any]:
        later = first.later_pages()
        if later is not None:
            rest = await gather_all(self._get(u, None, subject) for u in later)
            return [item for page in (first, *rest) for item in self._items(page, subject, kind)]
        items: list[Any] = []
        seen: set[str] = set()
        page: Page | None = first
        while page is not None:
            items.extend(self._items(page, subject, kind))
            seen.add(page.url)
            nxt = page.next_url
            if nxt is None or nxt in seen:
                break
            if len(seen) >= MAX_PAGES:
                raise SourceRejected(
                    f"{self.host} kept sending more pages of {subject or first.url} past "
                    f"{MAX_PAGES}; pullboard stopped rather than show part of the list."
                )
            page = await self._get(nxt, None, subject)
        return items

    async def call(
        self,
        method: str,
        url: str,
        *,
        body: Any = None,
        etag: str | None = None,
        subject: str = "",
    ) -> Page:
        """One request for a caller that keeps its own copy: a GET revalidated against `etag`
        (a 304 comes back as a `cached` page with no text), or a write with a JSON `body`.

        A write is tried once: retrying one whose answer was lost could apply it twice, so
        the caller re-reads and decides. Answers other than 200, 201 and 304 go to `on_status`.

        Raises:
            SourceUnreachable, SourceRejected, AuthFailed, RateLimited: prefixed with the name.
        """
        with self._named():
            try:
                request = self._pool.client.build_request(method, url, json=body)
            except httpx.InvalidURL as err:
                raise SourceRejected(f"{url!r} is not a valid URL.") from err
            if etag:
                request.headers["If-None-Match"] = etag
            response = await self._send(request, subject, once=method != "GET")
            if response.status_code not in (200, 201, 304):
                raise self.on_status(response, subject)
            return Page(
                str(request.url),
                response.text,
                cached=response.status_code == 304,
                status=response.status_code,
                etag=response.headers.get("etag"),
            )

    def _items(self, page: Page, subject: str, kind: Items | None) -> list[Any]:
        """A page's items: straight into `kind`'s type when given (the fast path), else as
        generic JSON. When the fast path fails, the page is read again the generic way, which
        names what is wrong (not JSON, an infinite number, nesting too deep) or skips items
        that are not objects, and the rest is converted, or refused with a sentence."""
        if kind is not None:
            with contextlib.suppress(msgspec.DecodeError, RecursionError):
                return kind.decode(page.text)
        data = page.json()
        what = subject or page.url
        if not isinstance(data, list):
            raise SourceRejected(f"{self.host} sent no list for {what}.")
        if kind is None:
            return data
        try:
            typed: list[Any] = msgspec.convert(
                [d for d in data if isinstance(d, dict)], kind.type, strict=False
            )
        except msgspec.ValidationError as err:
            raise SourceRejected(
                f"{self.host} sent data for {what} that pullboard can't read "
                f"(ValidationError: {err})."
            ) from err
        return typed

    @contextlib.contextmanager
    def _named(self) -> Iterator[None]:
        """Prefix the source name to any pullboard error raised inside, exactly once."""
        try:
            yield
        except SourceError as err:
            err.args = (f"{self.name}: {err}",)  # keeps the type, cause and RateLimited fields
            raise

    async def _get(
        self, url: str, params: Params | None, subject: str, etag: str | None = None
    ) -> Page:
        try:
            request = self._pool.client.build_request("GET", url, params=params)
        except httpx.InvalidURL as err:
            raise SourceRejected(f"{self.host} sent a link that is not a valid URL.") from err
        if (request.url.scheme, request.url.host, request.url.port) != (
            self.base_url.scheme,
            self.base_url.host,
            self.base_url.port,
        ):
            # A link pointing elsewhere would carry the token to another host.
            raise SourceRejected(f"{self.host} sent a link to another host: {request.url.host}.")
        key = str(request.url)
        if etag:
            request.headers["If-None-Match"] = etag
        response = await self._send(request, subject)
        link = response.headers.get("link")
        if response.status_code == 304 and etag:
            return Page(key, "", link, cached=True, etag=etag)
        if response.status_code != 200:
            raise self.on_status(response, subject)
        return Page(key, response.text, link, etag=response.headers.get("etag"))

    async def _send(
        self, request: httpx.Request, subject: str, *, once: bool = False
    ) -> httpx.Response:
        """Send with retries for transient faults and waits for short rate limits; `once`
        sends a write a single time (rate-limit answers, which did nothing, are still retried)."""
        failures = waits = 0
        while True:
            try:
                async with self._slots:
                    self._spend(subject)
                    response = await self._pool.fetch(request, subject)
            except httpx.RequestError as err:
                failures += 1
                if once or failures >= self._tries(err) or not retryable(err):
                    answered = self._pool.answered
                    raise translate(err, self.host, self.timeout, failures, answered) from err
                await self.backoff.sleep(self.backoff.delay(failures))
                continue
            self.rate = rate_info(response) or self.rate
            limit = self.rate_limit(response, self.backoff.clock())
            if limit is not None:
                if limit.backoff:
                    limit = replace(limit, wait=self.backoff.delay(waits + 1))
                if limit.wait > self.backoff.max_wait or waits >= self.backoff.rate_waits:
                    raise rate_limited(limit, self.host, subject)
                waits += 1
                self._tell(limit)
                await self.backoff.sleep(limit.wait)
                continue
            if response.status_code >= 500 and not once and failures + 1 < self.backoff.attempts:
                failures += 1
                await self.backoff.sleep(self.backoff.delay(failures))
                continue
            return response

    def _spend(self, subject: str) -> None:
        """Count one request against this refresh's budget, or refuse it."""
        if self.spent >= self.limits.requests:
            what = f" while fetching {subject}" if subject else ""
            raise SourceRejected(
                f"pullboard stopped after {self.limits.requests:,} requests to {self.host} in "
                f"one refresh{what}, far more than a board needs (endless pages?)."
            )
        self.spent += 1
        self.requests += 1

    def _tries(self, err: httpx.RequestError) -> int:
        """How many tries this kind of failure gets. A timeout from a host that has not
        answered once this run gets one: a host that is down costs one timeout, not four."""
        if isinstance(err, httpx.TimeoutException) and not self._pool.answered:
            return 1
        if isinstance(err, httpx.ConnectTimeout):
            return min(self.backoff.attempts, self.backoff.connect_attempts)
        return self.backoff.attempts

    def _tell(self, limit: Limit) -> None:
        if self.progress is None:
            return
        kind = "rate limit reached" if limit.primary else "asked to slow down"
        until = f" (until {limit.reset_at.astimezone():%H:%M:%S})" if limit.reset_at else ""
        self.progress(f"{self.name}: {self.host} {kind}; waiting {limit.wait:.0f} s{until}.")
