"""Facts about the GitHub REST API that the tracker and the identity check share."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from pullboard.config import GITHUB_API

API_VERSION = "2022-11-28"
"""The REST API version pullboard is written against (sent as `X-GitHub-Api-Version`)."""
HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": API_VERSION}
"""Sent with every GitHub request."""


def web_base(api_url: str) -> str:
    """The web host that goes with an API base: github.com, or the Enterprise host itself.

    `https://api.github.com` -> `https://github.com`; `https://ghe.example/api/v3` ->
    `https://ghe.example`; `https://api.acme.ghe.com` -> `https://acme.ghe.com`.
    """
    if api_url.rstrip("/") == GITHUB_API:
        return "https://github.com"
    parts = urlsplit(api_url)
    path = parts.path.rstrip("/")
    netloc = parts.netloc
    if path.endswith("/api/v3"):
        path = path[: -len("/api/v3")]
    elif not path and netloc.startswith("api."):
        netloc = netloc[len("api.") :]
    return urlunsplit((parts.scheme, netloc, path, "", ""))
