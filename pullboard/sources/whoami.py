"""One cheap request per source that proves the token works and says whose it is.

GitHub: `GET {api}/user` (plus the quota from `x-ratelimit-*`); Jira: `GET /myself` (Cloud
REST v3 with Basic e-mail:token, Server/Data Center REST v2 with a Bearer personal access
token). Requests go through the shared `sources.http.HttpClient`, so httpx errors become
pullboard errors in the same place and with the same wording as on the board.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from pullboard.auth import Token, token_advice
from pullboard.config import SourceConfig
from pullboard.errors import AuthFailed, SourceError, SourceRejected
from pullboard.sources.github import api as github_api
from pullboard.sources.http import Backoff, HttpClient, default_status_error, server_message
from pullboard.sources.jira.errors import authorization
from pullboard.text import one_line

CHECK_TIMEOUT = httpx.Timeout(10.0)
"""A check that needs longer than this is a finding in itself."""


@dataclass(frozen=True)
class Identity:
    """Who the tracker says the token belongs to."""

    who: str
    """Login and display name, e.g. `octocat (The Octocat)`; already safe to print."""
    quota: str = ""
    """Remaining requests, when the tracker reports them (GitHub)."""


async def whoami(
    source: SourceConfig,
    token: Token | None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: httpx.Timeout = CHECK_TIMEOUT,
) -> Identity | None:
    """Ask the tracker who `token` belongs to.

    Args:
        source: the source to check.
        token: the token `auth.find_token` found; None asks anonymously (proves reachability).
        transport: injected by tests; None means real sockets.
        timeout: explicit httpx timeouts.

    Returns:
        The identity, or None when there is no token and the tracker answered "sign in first".

    Raises:
        SourceUnreachable, AuthFailed, SourceRejected, RateLimited: the check failed.
    """
    path, headers = _request(source, token)
    client = HttpClient(
        source.name,
        source.url,
        headers=headers,
        backoff=Backoff(attempts=1, rate_waits=0),
        timeout=timeout,
        transport=transport,
        concurrency=1,
        on_status=lambda response, subject: _status_error(source, token, response),
    )
    try:
        page = await client.get(path)
        data = page.json()
    except AuthFailed:
        if token is None:
            return None
        raise
    finally:
        await client.aclose()
    if not isinstance(data, dict):
        raise SourceRejected(f"{source.name}: {source.url} sent no user for {path}.")
    if source.kind == "github":
        rate = client.rate
        quota = ""
        if rate is not None and rate.remaining is not None:
            of = f" of {rate.limit:,}" if rate.limit is not None else ""
            quota = f"{rate.remaining:,}{of} requests left"
        return Identity(_who(data.get("login"), data.get("name")), quota)
    return Identity(_who(data.get("displayName"), data.get("emailAddress") or data.get("name")))


def _request(source: SourceConfig, token: Token | None) -> tuple[str, dict[str, str]]:
    if source.kind == "github":
        headers = dict(github_api.HEADERS)
        if token is not None:
            headers["Authorization"] = f"Bearer {token.value}"
        return "user", headers
    headers = {"Accept": "application/json"}
    cloud = source.cloud
    if token is not None:
        if cloud and not source.email:
            raise AuthFailed(
                f"{source.name}: Jira Cloud takes the API token together with the account "
                'e-mail; add email = "you@example.com" to this [[source]] in the config.'
            )
        # The same header the Jira source sends: Basic e-mail:token, else a Bearer PAT.
        headers["Authorization"] = authorization(source.email, token.value)
    return ("rest/api/3/myself" if cloud else "rest/api/2/myself"), headers


def _who(primary: Any, secondary: Any) -> str:
    first, second = one_line(str(primary or "")), one_line(str(secondary or ""))
    if first and second and second != first:
        return f"{first} ({second})"
    return first or second or "an unnamed account"


def _status_error(
    source: SourceConfig, token: Token | None, response: httpx.Response
) -> SourceError:
    """401/403/404 on an identity request, as sentences that say what to fix."""
    code = response.status_code
    said = server_message(response)
    quoted = f' The server said: "{said}".' if said else ""
    fix = token_advice(source, found=token is not None, env=token.env if token else "")
    origin = f"the token from {token.where}" if token is not None else "anonymous access"
    if code == 401:
        return AuthFailed(f"the server rejected {origin} (401).{quoted} {fix}")
    if code == 403:
        reason = response.headers.get("x-seraph-loginreason", "")
        if "CAPTCHA" in reason.upper():
            return AuthFailed(
                "Jira wants a CAPTCHA after failed logins; sign in once in a browser, then retry."
            )
        return AuthFailed(f"the server refused {origin} (403).{quoted} {fix}")
    if code == 404:
        api = "GitHub" if source.kind == "github" else f"Jira {source.flavor or 'server'}"
        return SourceRejected(
            f"there is no {api} API at {source.url} (404). Check `url` (and `flavor` for Jira) "
            "in the config."
        )
    return default_status_error(response, "")
