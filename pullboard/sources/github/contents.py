"""One file in a GitHub repository through the contents API: what `insights.repo` stores in.

`GET /repos/{o}/{r}/contents/{path}?ref=BRANCH` (conditional on the ETag, so a poll that finds
nothing new is a 304 and costs no rate limit), `PUT` of the same path with the blob `sha`
read (GitHub answers 409, or 422 when a file appeared, if it is no longer the file's), and
`GET /repos/{o}/{r}` for `permissions.push`. Requests go through the shared `HttpClient`
(limits, retries, error sentences, redaction); the token comes from the named source's auth.

The insights layer calls from threads and expects answers, not coroutines, so the client
lives on its own event loop in a daemon thread: one connection pool per run, whichever
thread asks.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import concurrent.futures
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from pullboard.auth import find_token, token_advice
from pullboard.config import InsightsRepo, SourceConfig
from pullboard.errors import AuthFailed, SourceError, SourceRejected, SourceUnreachable
from pullboard.sources.github.api import HEADERS
from pullboard.sources.http import (
    Backoff,
    HttpClient,
    Page,
    default_status_error,
    host_of,
    server_message,
)

T = TypeVar("T")

TIMEOUT = httpx.Timeout(15.0, connect=5.0)
"""A poll or a save that takes longer is better reported than waited for: the board keeps
its copy, and a form keeps what was typed."""
BACKOFF = Backoff(attempts=2, rate_waits=0)
"""One retry of a read, no rate-limit waits: a poll that fails is simply tried again at the
next interval, and a save should say why at once rather than sit behind a spinner."""
CALL_LIMIT = 60.0
"""Seconds a caller waits for one answer, whatever the client does (a backstop, never hit
while the client's own deadline holds)."""


@dataclass(frozen=True)
class Fetched:
    """What one conditional read of the file gave (`insights.repo.Fetched`)."""

    data: bytes | None = None
    """The file's bytes; None when there is no such file, or when `unchanged`."""
    sha: str | None = None
    etag: str | None = None
    unchanged: bool = False
    """True when the repository answered 304 to the ETag given."""


class ContentsClient:
    """The insights file in a repository, for `insights.repo.RepoStore` (its `Contents`).

    Args:
        repo: the `[board] insights` table.
        source: the GitHub source whose API url and token are used.
        transport: injected by tests; None means real sockets.
        backoff: retry policy (tests pass instant sleeps).
        timeout: explicit httpx timeouts.
    """

    def __init__(
        self,
        repo: InsightsRepo,
        source: SourceConfig,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        backoff: Backoff | None = None,
        timeout: httpx.Timeout = TIMEOUT,
    ) -> None:
        self.repo = repo
        self.source = source
        self.where = f"{repo.repo}:{repo.path}@{repo.branch}"
        self._path = f"repos/{repo.repo}/contents/{quote(repo.path)}"
        self._options = (transport, backoff, timeout)
        self._has_token = False
        self._token_env = ""
        self._started = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._http: HttpClient | None = None

    def _start(self) -> tuple[asyncio.AbstractEventLoop, HttpClient]:
        """Look up the token and start the client's loop, on first use: building a board
        costs nothing, and `gh` or the keyring are asked from a worker thread, not the UI."""
        with self._started:
            if self._loop is None or self._http is None:
                token = find_token(self.source)
                self._has_token = token is not None
                self._token_env = token.env if token else ""
                headers = dict(HEADERS)
                if token is not None:
                    headers["Authorization"] = f"Bearer {token.value}"
                loop = asyncio.new_event_loop()
                threading.Thread(
                    target=loop.run_forever, name="pullboard-contents", daemon=True
                ).start()
                future = asyncio.run_coroutine_threadsafe(self._connect(headers), loop)
                self._http, self._loop = future.result(CALL_LIMIT), loop
            return self._loop, self._http

    async def _connect(self, headers: dict[str, str]) -> HttpClient:
        """The client is made on its loop, where every request of it runs."""
        transport, backoff, timeout = self._options
        return HttpClient(
            self.source.name,
            self.source.url,
            headers=headers,
            backoff=backoff or BACKOFF,
            timeout=timeout,
            transport=transport,
            concurrency=4,
            on_status=self._status_error,
        )

    def __repr__(self) -> str:  # never the token
        return f"ContentsClient({self.where!r}, source={self.source.name!r})"

    def close(self) -> None:
        """Close the connections and stop the client's loop (a later call starts anew)."""
        with self._started:
            loop, http, self._loop, self._http = self._loop, self._http, None, None
        if loop is None or http is None:
            return
        asyncio.run_coroutine_threadsafe(http.aclose(), loop).result(CALL_LIMIT)
        loop.call_soon_threadsafe(loop.stop)

    # -- Contents -----------------------------------------------------------------------------

    def get(self, etag: str | None) -> Fetched:
        """Read the file, conditionally on `etag`; a missing file is `Fetched()`."""
        return self._run(lambda: self._get(etag))

    def put(self, data: bytes, sha: str | None, message: str) -> str | None:
        """Commit `data`; None when `sha` is stale (409, or 422 naming the sha)."""
        return self._run(lambda: self._put(data, sha, message))

    def may_push(self) -> bool | None:
        """`permissions.push` of the repository for this token (None when not said)."""
        return self._run(self._may_push)

    # -- requests -----------------------------------------------------------------------------

    async def _get(self, etag: str | None) -> Fetched:
        try:
            page = await self._client.call(
                "GET", self._path + f"?ref={quote(self.repo.branch)}", etag=etag, subject=self.where
            )
        except _Missing:
            return Fetched()
        if page.cached:
            return Fetched(etag=etag, unchanged=True)
        body = _object(page, self.where)
        sha = body.get("sha")
        if body.get("type") != "file" or not isinstance(sha, str):
            raise SourceRejected(f"{self.where} is not a file on {self._host}.")
        if body.get("encoding") == "none":  # over 1 MB: the contents API sends no content
            return Fetched(await self._blob(sha), sha, page.etag)
        return Fetched(_decoded(body.get("content"), self.where, self._host), sha, page.etag)

    async def _blob(self, sha: str) -> bytes:
        """A file too large for the contents API, through the git blobs API (up to 100 MB)."""
        page = await self._client.call("GET", f"repos/{self.repo.repo}/git/blobs/{sha}")
        return _decoded(_object(page, self.where).get("content"), self.where, self._host)

    async def _put(self, data: bytes, sha: str | None, message: str) -> str | None:
        body: dict[str, Any] = {
            "message": message,
            "content": base64.b64encode(data).decode("ascii"),
            "branch": self.repo.branch,
        }
        if sha is not None:
            body["sha"] = sha
        try:
            page = await self._client.call("PUT", self._path, body=body, subject=self.where)
        except _Stale:
            return None
        content = _object(page, self.where).get("content")
        new = content.get("sha") if isinstance(content, dict) else None
        if not isinstance(new, str):
            raise SourceRejected(f"{self._host} saved {self.where} but sent no new sha.")
        return new

    async def _may_push(self) -> bool | None:
        page = await self._client.call("GET", f"repos/{self.repo.repo}", subject=self.repo.repo)
        permissions = _object(page, self.repo.repo).get("permissions")
        push = permissions.get("push") if isinstance(permissions, dict) else None
        return push if isinstance(push, bool) else None

    # -- plumbing -----------------------------------------------------------------------------

    @property
    def _host(self) -> str:
        return host_of(self.source.url)

    @property
    def _client(self) -> HttpClient:
        assert self._http is not None, "only coroutines run by `_run` use the client"
        return self._http

    def _run(self, job: Callable[[], Coroutine[Any, Any, T]]) -> T:
        """Run `job` on the client's loop and wait for it (from any other thread)."""
        loop, _ = self._start()
        future = asyncio.run_coroutine_threadsafe(job(), loop)
        try:
            return future.result(CALL_LIMIT)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise SourceUnreachable(
                f"{self._host} didn't finish answering about {self.where} within "
                f"{CALL_LIMIT:g} s; try again later."
            ) from None

    def _status_error(self, response: httpx.Response, subject: str) -> SourceError:
        """The contents API's answers as sentences; a stale sha and a missing file are
        signals for the caller, not failures."""
        code, method = response.status_code, response.request.method
        said = server_message(response)
        if method == "GET" and code == 404 and "/contents/" in response.request.url.path:
            # Also a missing repository or branch: the first write then says which.
            return _Missing(said)
        if method == "PUT" and (code == 409 or (code == 422 and "sha" in said.lower())):
            return _Stale(said)
        fix = token_advice(self.source, found=self._has_token, env=self._token_env)
        quoted = f' GitHub said: "{said}".' if said else ""
        if code == 401:
            return AuthFailed(f"{self._host} rejected the token (401).{quoted} {fix}")
        if code == 403 and method == "PUT":
            return AuthFailed(
                f"the token of source {self.source.name!r} may not write to {self.repo.repo} "
                f"(403), so nothing is saved there.{quoted} Ask for write access, or use a "
                "token with the contents: write permission."
            )
        if code == 403:
            return AuthFailed(f"{self._host} refused access to {subject} (403).{quoted} {fix}")
        if code == 404:
            return SourceRejected(
                f"{subject} was not found on {self._host} (404): check repo and branch in the "
                f"[board] insights table, or the token can't see the repository.{quoted}"
            )
        return default_status_error(response, subject)


class _Missing(SourceRejected):
    """404 on reading the file: there is no insights file yet."""


class _Stale(SourceRejected):
    """409/422 on writing: the sha sent is no longer the file's."""


def _object(page: Page, what: str) -> dict[str, Any]:
    data = page.json()
    if not isinstance(data, dict):
        raise SourceRejected(f"{host_of(page.url)} sent no object for {what}.")
    return data


def _decoded(content: object, what: str, host: str) -> bytes:
    """GitHub's base64, wrapped at 60 columns."""
    if not isinstance(content, str):
        raise SourceRejected(f"{host} sent no content for {what}.")
    try:
        return base64.b64decode("".join(content.split()), validate=True)
    except (binascii.Error, ValueError) as err:
        raise SourceRejected(f"{host} sent content for {what} that is not base64.") from err
