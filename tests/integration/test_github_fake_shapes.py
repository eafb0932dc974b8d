"""The fake GitHub server answers in the shapes of real recorded GitHub responses."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from fakes.github_server import BASE_TIME, TOKEN, FakeGitHub

SAMPLES = Path(__file__).parents[1] / "samples" / "github"
LINK = re.compile(
    r'<https?://[^/>]+(?:/api/v3)?/repositories/\d+/issues\?[^>]*page=\d+>; rel="(\w+)"'
)
TRANSPORT_HEADERS = {"date", "server", "content-length", "connection", "transfer-encoding"}


def exchanges(name: str) -> list[dict[str, Any]]:
    data = json.loads((SAMPLES / name).read_text(encoding="utf-8"))
    return list(data["exchanges"])


def sample_header_names() -> set[str]:
    names: set[str] = set()
    for path in SAMPLES.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            for exchange in data.get("exchanges", []):
                names |= {k.lower() for k in exchange["response_headers"]}
    return names


@pytest.fixture
def filled(github: FakeGitHub) -> FakeGitHub:
    github.add_repo("acme/shop")
    github.add_milestone("acme/shop", "v1", description=None)
    github.add_issue("acme/shop", "open one", milestone=1, labels=("bug",), assignees=("dana",))
    github.add_issue("acme/shop", "done", milestone=1, state="closed", closed_at=BASE_TIME)
    github.add_issue("acme/shop", "a pull request", milestone=1, pull=True)
    return github


def get(fake: FakeGitHub, path: str, **headers: str) -> httpx.Response:
    auth = {"Authorization": f"Bearer {TOKEN}", **headers}
    return httpx.get(fake.url + path, headers=auth)


def test_milestone_has_the_2025_field_set(filled: FakeGitHub) -> None:
    (sample,) = exchanges("milestone_get_2025.json")
    body = get(filled, "/repos/acme/shop/milestones/1").json()

    assert set(body) == set(sample["body"])
    assert set(body["creator"]) == set(sample["body"]["creator"])
    assert body["html_url"].endswith("/acme/shop/milestone/1")


def test_issues_have_the_2025_field_set(filled: FakeGitHub) -> None:
    recorded = exchanges("issues_list_closed_2025.json")[0]["body"]
    common = set.intersection(*(set(i) for i in recorded))
    labelled = next(i for i in recorded if i["labels"])
    issues = get(filled, "/repos/acme/shop/issues?state=all&per_page=100").json()
    plain = [i for i in issues if "pull_request" not in i]

    assert len(plain) == 2
    for issue in plain:
        assert common <= set(issue) <= set.union(*(set(i) for i in recorded))
        assert set(issue["user"]) == set(recorded[0]["user"])
    opened = next(i for i in plain if i["state"] == "open")
    assert set(opened["labels"][0]) == set(labelled["labels"][0])
    assert set(opened["assignees"][0]) == set(recorded[0]["user"])
    assert set(opened["milestone"]) == set(exchanges("milestone_get_2025.json")[0]["body"])


def test_pull_requests_look_like_recorded_ones(filled: FakeGitHub) -> None:
    recorded = exchanges("issues_list_per_page1_link_2024.json")[0]["body"][0]
    issues = get(filled, "/repos/acme/shop/issues?state=all&per_page=100").json()
    (pr,) = [i for i in issues if "pull_request" in i]

    assert set(recorded) <= set(pr)
    assert set(pr["pull_request"]) == set(recorded["pull_request"])
    assert "/pull/" in pr["html_url"]


def test_headers_and_link_follow_the_recordings(filled: FakeGitHub) -> None:
    recorded = exchanges("issues_list_per_page1_link_2024.json")[0]["response_headers"]
    response = get(filled, "/repos/acme/shop/issues?state=all&per_page=1")  # 3 pages

    names = {k.lower() for k in response.headers}
    assert names - TRANSPORT_HEADERS <= sample_header_names()
    assert {k.lower() for k in recorded if k.lower().startswith("x-ratelimit")} <= names
    assert {"etag", "link", "cache-control", "x-github-media-type"} <= names
    assert [m.group(1) for m in LINK.finditer(recorded["Link"])] == ["next", "last"]
    assert [m.group(1) for m in LINK.finditer(response.headers["link"])] == ["next", "last"]
    assert response.headers["etag"].startswith('W/"')


def test_not_modified_is_empty_and_keeps_the_etag(filled: FakeGitHub) -> None:
    (recorded,) = exchanges("conditional_304_2013.json")
    first = get(filled, "/repos/acme/shop/issues/1")
    again = get(filled, "/repos/acme/shop/issues/1", **{"If-None-Match": first.headers["etag"]})

    assert (recorded["status"], recorded["body"]) == (304, "")
    assert (again.status_code, again.content) == (304, b"")
    assert again.headers["etag"] == first.headers["etag"]
    assert "last-modified" in {k.lower() for k in recorded["response_headers"]}
    assert "last-modified" in first.headers


def test_not_found_and_bad_credentials_bodies(filled: FakeGitHub) -> None:
    missing = get(filled, "/repos/acme/nope/milestones")
    denied = httpx.get(filled.url + "/repos/acme/shop/milestones")

    assert missing.status_code == 404 and missing.json()["message"] == "Not Found"
    assert denied.status_code == 401 and denied.json()["message"] == "Bad credentials"
    assert {"message", "documentation_url"} <= set(missing.json())
