"""The one place httpx exceptions and error answers become pullboard errors with sentences."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable
from typing import TypeVar

import httpx

from pullboard.errors import RateLimited, SourceError, SourceRejected, SourceUnreachable
from pullboard.sources.http.limits import load_json
from pullboard.sources.http.policy import Limit
from pullboard.text import one_line, redact, shortened

T = TypeVar("T")

StatusHook = Callable[[httpx.Response, str], SourceError]
"""Turns an error answer (4xx, or 5xx after the retries) into a pullboard error.
Called with the response and the subject the caller named (a repo, a project key)."""


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


def retryable(err: httpx.RequestError) -> bool:
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
    status = f"{response.status_code} {one_line(response.reason_phrase)}".strip()
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
        body = load_json(response.text)
    except ValueError:  # JsonRefused too: the status alone still makes a sentence
        return ""
    if not isinstance(body, dict):
        return ""
    message = body.get("message") or " ".join(map(str, body.get("errorMessages") or ()))
    fields = body.get("errors")
    if isinstance(fields, dict) and fields:  # GitHub's `errors` is a list and is left out
        message = " ".join([str(message or ""), *(f"{k}: {v}" for k, v in fields.items())])
    text = one_line(str(message)) if message else ""
    return shortened(text, limit)


def rate_limited(limit: Limit, host: str, subject: str) -> RateLimited:
    """A rate limit too long to sit through, as a sentence with the reset time when the
    server gave a usable one."""
    when = limit.reset_at.astimezone() if limit.reset_at else None
    at = f"{when:%H:%M:%S} {when.tzname()}" if when else ""
    what = f" while fetching {subject}" if subject else ""
    if limit.primary and at:
        message = (
            f"the {host} rate limit is used up{what}; it resets at {at}. "
            "The board shows cached data until then."
        )
    elif limit.primary:
        message = (
            f"the {host} rate limit is used up{what}, and {host} gave no usable reset time; "
            "the board shows cached data until it lifts."
        )
    elif at:
        message = (
            f"{host} asked pullboard to slow down (secondary rate limit){what}; "
            f"try again after {at}, about {limit.wait:.0f} s."
        )
    else:
        message = (
            f"{host} asked pullboard to slow down (secondary rate limit){what} for longer "
            "than pullboard waits; try again later."
        )
    return RateLimited(message, retry_after=limit.wait, reset_at=limit.reset_at)


def translate(
    err: httpx.RequestError,
    host: str,
    timeout: httpx.Timeout,
    tries: int,
    answered: bool = False,
) -> SourceError:
    """The one place an httpx exception becomes a message a user can act on.

    `answered` says whether the host answered anything earlier this run: if it did, the url
    is right and the server went away; if not, a down server and a wrong url are both
    possible, and the message says so rather than blaming the config.
    """
    times = f" (tried {tries} times)" if tries > 1 else ""
    if isinstance(err, httpx.ConnectTimeout):
        if answered:
            return SourceUnreachable(
                f"{host} answered earlier but then accepted no connection within "
                f"{timeout.connect:g} s{times}; it may be down or overloaded. Try again later."
            )
        return SourceUnreachable(
            f"Couldn't connect to {host} within {timeout.connect:g} s{times}: the server may "
            "be down or out of reach (network, VPN), or the url in the config may be wrong."
        )
    if isinstance(err, httpx.TimeoutException):
        return SourceUnreachable(
            f"{host} accepted the connection but didn't answer within "
            f"{timeout.read:g} s{times}. It may be down or overloaded; try again later."
        )
    if _dns_failure(err) is not None:
        return SourceUnreachable(
            f"Couldn't find the host {host} (DNS lookup failed). "
            "Check the url in the config and your network."
        )
    if any(isinstance(e, ssl.SSLError) for e in _chain(err)):
        return SourceUnreachable(f"The TLS handshake with {host} failed: {detail(err)}.")
    if any(isinstance(e, ConnectionRefusedError) for e in _chain(err)):
        return SourceUnreachable(
            f"Couldn't connect to {host}: connection refused{times}. The server may be down, "
            "or the port in the config's url may be wrong."
        )
    if isinstance(err, httpx.TooManyRedirects):
        return SourceRejected(f"{host} redirected too many times.")
    if isinstance(err, httpx.LocalProtocolError):  # its text quotes the header: the token
        return SourceRejected(
            f"pullboard couldn't send a request to {host}: a header holds a character HTTP "
            "doesn't allow (a line break pasted with the token?)."
        )
    return SourceUnreachable(f"The connection to {host} failed{times}: {detail(err)}.")


def detail(err: BaseException, limit: int = 200) -> str:
    """An exception's own text for a message: one line, shortened, credentials redacted
    (library messages quote URLs and headers as they were sent)."""
    text = one_line(redact(str(err))).rstrip(".") or type(err).__name__
    return shortened(text, limit)


def guarded(source: str, host: str, subject: str, build: Callable[[], T]) -> T:
    """Run a mapping; a JSON shape pullboard can't read is the server's fault, said so
    (dates such as year 1 at +05:00 overflow when moved to UTC).

    Raises:
        SourceRejected: naming the source, the host and what was being read.
    """
    try:
        return build()
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as err:
        raise SourceRejected(
            f"{source}: {host} sent data for {subject} that pullboard can't read "
            f"({type(err).__name__}: {err})."
        ) from err
