"""Jira credentials and error answers: which header to send, and what to tell the user.

Jira Cloud takes `email:API token` as Basic auth; Server / Data Center takes a personal
access token as Bearer (or Basic `username:password` when `email` holds a user name). Error
answers carry `{"errorMessages": [...], "errors": {...}}`, quoted in the message; every
message names the site and what was being fetched, and says how to fix it.
"""

from __future__ import annotations

import base64
from dataclasses import replace

import httpx

from pullboard.auth import token_advice
from pullboard.config import SourceConfig
from pullboard.errors import AuthFailed, SourceError, SourceRejected
from pullboard.sources.http import Limit, default_status_error, host_of, server_message
from pullboard.sources.http import standard_rate_limit as _standard


def authorization(email: str, token: str) -> str:
    """The Authorization header value: Basic with an e-mail (or user name), else Bearer."""
    if not email:
        return f"Bearer {token}"
    pair = base64.b64encode(f"{email}:{token}".encode()).decode("ascii")
    return f"Basic {pair}"


def rate_limit(response: httpx.Response, now: float) -> Limit | None:
    """Jira's 429 means the quota is spent (its own wording), whatever Retry-After says."""
    limit = _standard(response, now)
    if limit is not None and response.status_code == 429:
        return replace(limit, primary=True)
    return limit


class JiraErrors:
    """Turns error answers into pullboard errors for one source (an `HttpClient` hook).

    Args:
        config: the source, for its name, projects and token variables.
        cloud: Cloud or Server wording for the token advice.
        has_token: whether a token was found (the advice differs).
        token_env: the variable the token came from, if any (fix or unset it, then).
    """

    def __init__(
        self, config: SourceConfig, *, cloud: bool, has_token: bool, token_env: str = ""
    ) -> None:
        self.config = config
        self.cloud = cloud
        self.has_token = has_token
        self.token_env = token_env

    def missing_email(self) -> AuthFailed:
        """Cloud tokens only work with the account e-mail: said before anything is sent."""
        return AuthFailed(
            f"{self.config.name}: Jira Cloud takes the API token together with the account "
            f'e-mail; add email = "you@example.com" to this [[source]] in the config.'
        )

    def __call__(self, response: httpx.Response, subject: str) -> SourceError:
        """The error for an answer that is not 200 (after retries, for 5xx)."""
        site = host_of(response.request.url)
        what = subject or f"project {', '.join(self.config.projects)}"
        said = server_message(response)
        quoted = f' Jira said: "{said}".' if said else ""
        code = response.status_code
        if code == 401:
            return AuthFailed(f"{site} did not accept the credentials (401).{quoted} {self.fix()}")
        if code == 403:
            if "AUTHENTICATION_DENIED" in response.headers.get("x-seraph-loginreason", ""):
                return AuthFailed(
                    f"{site} wants a CAPTCHA after failed logins: log in once in a browser, "
                    f"then check the token. {self.fix()}"
                )
            return AuthFailed(
                f"{site} refused access to {what} (403): the account lacks permission (it "
                f"needs Browse Projects, and access to the board for sprints).{quoted}"
            )
        if code == 404:
            hint = "" if self.has_token else f" {self.fix()}"
            return SourceRejected(
                f"{what} was not found on {site} (404).{quoted} Check the project key or board "
                f"id in the config; Jira also answers 404 when the account can't see it.{hint}"
            )
        if code == 410:
            return SourceRejected(
                f"{site} no longer offers {response.request.url.path} (410 Gone).{quoted} "
                + (
                    "pullboard uses the current search API; please report this."
                    if self.cloud
                    else 'This looks like Jira Cloud: set flavor = "cloud" and email for it.'
                )
            )
        if code == 400:
            return SourceRejected(
                f"{site} rejected the search for {what} (400).{quoted} Check `jql` and the "
                "project keys in the config."
            )
        return default_status_error(response, subject)

    def fix(self) -> str:
        """How to set or replace the token, in the words that fit this flavor."""
        fix = token_advice(self.config, found=self.has_token, env=self.token_env)
        if not self.has_token:
            fix = f"No token was found. {fix}"
        if self.cloud:
            return fix + (
                " Jira Cloud needs an API token (id.atlassian.com > Security > API tokens) "
                "and `email` set to the account it belongs to."
            )
        return fix + " Jira Server / Data Center takes a personal access token."
