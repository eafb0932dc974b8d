"""The shared fake servers plus the "who am I" endpoints that `doctor` and `auth status` ask.

GitHub: `GET /user`. Jira: `GET /rest/api/3/myself` (Cloud) and `/rest/api/2/myself` (Server
and Cloud). Answers follow the official examples; credentials are checked by the base fakes
before these routes are reached, so a wrong token gets their real 401s.
"""

from __future__ import annotations

from typing import Any

from fakes.github_server import FakeGitHub
from fakes.jira_server import EMAIL, FakeJira

MYSELF: dict[str, Any] = {  # the Atlassian spec's example for GET /rest/api/3/myself
    "accountId": "5b10a2844c20165700ede21g",
    "accountType": "atlassian",
    "active": True,
    "applicationRoles": {"items": [], "size": 1},
    "displayName": "Mia Krystof",
    "emailAddress": "mia@example.com",
    "groups": {"items": [], "size": 3},
    "key": "",
    "name": "",
    "self": "https://your-domain.atlassian.net/rest/api/3/user?accountId=5b10a2844c20165700ede21g",
    "timeZone": "Australia/Sydney",
}


class GitHubWithUser(FakeGitHub):
    """FakeGitHub plus `GET /user`, answering as the token's owner `octocat`."""

    login = "octocat"
    display_name = "The Octocat"

    def route(self, path: str, query: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        if path.rstrip("/") == "/user":
            return 200, {**self.user(self.login), "name": self.display_name}, {}
        return super().route(path, query)


class JiraWithMyself(FakeJira):
    """FakeJira plus `/myself`: Cloud answers on v3 and v2, Server on v2 only."""

    def route(self, method: str, path: str, query: dict[str, str]) -> tuple[int, Any]:
        versions = ("2", "3") if self.cloud else ("2",)
        if method == "GET" and path in {f"/rest/api/{v}/myself" for v in versions}:
            if self.cloud:
                return 200, {**MYSELF, "emailAddress": EMAIL}
            user = {**MYSELF, "name": "mia", "key": "JIRAUSER10100"}
            del user["accountId"], user["accountType"]
            return 200, user
        return super().route(method, path, query)
