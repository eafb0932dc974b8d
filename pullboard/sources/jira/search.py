"""JQL searches and Jira's two paging styles, over the shared `HttpClient`.

Cloud's enhanced search (`/rest/api/3/search/jql`) pages with an opaque `nextPageToken` until
`isLast`, and gives no total: its pages can only be fetched one after another. Server / Data
Center's `/rest/api/2/search` pages with `startAt` and reports `total`, so once the first
page is in, the rest are fetched concurrently (the client bounds how many at once). The old
Cloud search answers 410 Gone and is never called.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any, TypeVar

import msgspec

from pullboard.errors import SourceRejected
from pullboard.sources.http import (
    MAX_PAGES,
    HttpClient,
    JsonRefused,
    Page,
    Params,
    gather_all,
    guarded,
    host_of,
)
from pullboard.sources.jira import wire
from pullboard.sources.jira.wire import JiraIssue, SearchPage
from pullboard.text import one_line

PAGE = 100
"""Issues per page when fields are asked for (Jira's cap for full issues)."""
KEY_PAGE = {True: 5000, False: 1000}
"""Issues per page when only keys are asked for: Cloud allows 5,000; Server's default cap
(`jira.search.views.default.max`) is 1,000. A server that caps lower is simply paged further."""
SPRINT_PAGE = 50


T = TypeVar("T")


def read(page: Page, name: str, what: str) -> Any:
    """The JSON of a page, or a `SourceRejected` naming the source and what was fetched."""
    try:
        return page.json()
    except SourceRejected as err:
        if isinstance(err.__cause__, JsonRefused):  # JSON, but hostile: the url is not to blame
            raise SourceRejected(f"{name}: {err}") from err
        raise SourceRejected(
            f"{name}: {host_of(page.url)} sent an answer for {what} that is not JSON; is the "
            "url the Jira site's base address (and not a login or proxy page)?"
        ) from err


def jql(*clauses: str) -> str:
    """Clauses ANDed, each in parentheses (a user's clause may hold an OR), in key order:
    a stable order keeps pages from shifting while they are fetched."""
    return " AND ".join(f"({c})" for c in clauses if c.strip()) + " ORDER BY key ASC"


class Search:
    """Issue searches for one source.

    Args:
        http: the source's client (retries, rate limits, error translation).
        cloud: Cloud (v3, token paging) or Server / Data Center (v2, startAt paging).
        name: the source name, for messages.
    """

    def __init__(self, http: HttpClient, *, cloud: bool, name: str) -> None:
        self.http = http
        self.cloud = cloud
        self.name = name

    async def issues(self, query: str, fields: Sequence[str], *, subject: str) -> list[JiraIssue]:
        """Every issue matching `query`, with `fields`, in the order Jira gives them."""
        params: dict[str, str | int] = {"jql": query, "fields": ",".join(fields)}
        return await self._search(params, PAGE, subject, wire.ISSUES)

    async def keys(self, query: str, *, subject: str) -> list[str]:
        """Keys of every issue matching `query`: cheap, large pages; cleaned as the issues'
        refs are (`model.issue`), so the two match."""
        params: dict[str, str | int] = {"jql": query, "fields": "key"}
        raws = await self._search(params, KEY_PAGE[self.cloud], subject, wire.KEYS)
        return [one_line(raw.key) for raw in raws]

    async def _search(
        self, params: dict[str, str | int], page: int, subject: str, decoder: wire.Decoder
    ) -> list[Any]:
        if self.cloud:
            return await self._by_token(params, page, subject, decoder)
        return await self._by_offset(params, page, subject, decoder)

    async def values(self, path: str, params: Params, *, subject: str) -> list[dict[str, Any]]:
        """Every `values` item of an Agile API list (startAt / isLast paging)."""
        items: list[dict[str, Any]] = []
        start = 0
        for _ in range(MAX_PAGES):
            page = await self.http.get(
                path, {**params, "startAt": start, "maxResults": SPRINT_PAGE}, subject=subject
            )
            data = self._dict(read(page, self.name, subject), "values", subject)
            batch = [v for v in data["values"] if isinstance(v, dict)]
            items.extend(batch)
            start += len(batch)
            if data.get("isLast", True) or not batch:
                break
        return items

    async def _by_token(
        self, params: dict[str, str | int], page: int, subject: str, decoder: wire.Decoder
    ) -> list[Any]:
        issues: list[Any] = []
        token: str | None = None
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            query = {**params, "maxResults": page, **({"nextPageToken": token} if token else {})}
            got = await self.http.get("/rest/api/3/search/jql", query, subject=subject)
            data = self._typed(got, decoder, subject)
            issues.extend(data.issues)
            token = data.nextPageToken
            last = data.isLast if data.isLast is not None else not token
            if last or not token or token in seen:
                break
            seen.add(token)
        return issues

    async def _by_offset(
        self, params: dict[str, str | int], page: int, subject: str, decoder: wire.Decoder
    ) -> list[Any]:
        first = await self._offset_page(params, 0, page, subject, decoder)
        issues = first.issues
        total = first.total
        stride = len(issues)  # a full first page is the server's real cap, whatever it echoes
        if total is None or stride == 0 or total <= stride:
            return issues
        starts = range(stride, min(total, stride * MAX_PAGES), stride)
        rest = await gather_all(
            self._offset_page(params, s, page, subject, decoder) for s in starts
        )
        for data in rest:
            issues.extend(data.issues)
        return issues

    async def _offset_page(
        self,
        params: dict[str, str | int],
        start: int,
        page: int,
        subject: str,
        decoder: wire.Decoder,
    ) -> SearchPage[Any]:
        query = {**params, "startAt": start, "maxResults": page}
        got = await self.http.get("/rest/api/2/search", query, subject=subject)
        return self._typed(got, decoder, subject)

    def _typed(self, got: Page, decoder: wire.Decoder, subject: str) -> SearchPage[Any]:
        """A search page straight into its types (the fast path). When that fails, the page
        is read the generic way, which names what is wrong (not JSON, hostile JSON, no
        `issues` list), and what is left is converted or refused with a sentence."""
        with contextlib.suppress(msgspec.DecodeError, RecursionError):
            return decoder.decode(got.text)
        data = self._dict(read(got, self.name, subject), "issues", subject)
        typed: SearchPage[Any] = guarded(
            self.name,
            self.http.host,
            subject,
            lambda: msgspec.convert(data, decoder.type, strict=False),
        )
        return typed

    def _dict(self, data: Any, key: str, subject: str) -> dict[str, Any]:
        """A page object holding a `key` list, or the server's fault in a sentence."""
        if not isinstance(data, dict) or not isinstance(data.get(key), list):
            raise SourceRejected(
                f"{self.name}: {self.http.host} sent a page for {subject} without "
                f"a `{key}` list; is the url the Jira site's base address?"
            )
        return data
