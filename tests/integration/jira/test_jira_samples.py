"""The fake Jira answers in the shapes of Atlassian's own examples and the Jira specs.

Samples live in tests/samples/jira and the schemas the tests read from the OpenAPI
descriptions in tests/samples/specs (origins in tests/samples/README.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
from fakes.jira_server import BASE_TIME, EMAIL, TOKEN, FakeJira

from pullboard.sources.jira.errors import authorization
from pullboard.sources.jira.model import FIELDS

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "jira"
SPECS = SAMPLES.parent / "specs"
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}")
"""`2015-12-02T07:39:15.000-0800`, as issue timestamps are written."""
AGILE_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d")


def sample(name: str) -> Any:
    data = json.loads((SAMPLES / name).read_text(encoding="utf-8"))
    return data["body"] if "_source" in data else data


@cache
def schema(spec: str, name: str) -> set[str]:
    data = json.loads((SPECS / spec).read_text(encoding="utf-8"))
    return set(data["components"]["schemas"][name]["properties"])


def fill(fake: FakeJira) -> None:
    fake.add_project("PAY")
    v = fake.add_version("PAY", "2.1", release_date=BASE_TIME.date(), description="d")
    fake.add_version("PAY", "2.2")
    for n in range(3):
        fake.add_issue("PAY", f"Issue {n}", versions=(v.id,), assignee="Mia Krystof")
    fake.add_sprint(
        5,
        "sprint 1",
        state="closed",
        start=BASE_TIME,
        end=BASE_TIME,
        complete=BASE_TIME,
        goal="sprint 1 goal",
    )
    fake.add_sprint(5, "Minimal Example Sprint", state="future")


def get(fake: FakeJira, path: str, **params: str | int) -> Any:
    header = authorization(EMAIL if fake.cloud else "", TOKEN)
    response = httpx.get(f"{fake.url}{path}", params=params, headers={"Authorization": header})
    assert response.status_code == 200, response.text
    return response.json()


@contextmanager
def site(flavor: str) -> Iterator[FakeJira]:
    with FakeJira(flavor) as jira:
        fill(jira)
        yield jira


@pytest.fixture(params=["cloud", "server"])
def fake(request: pytest.FixtureRequest) -> Iterator[FakeJira]:
    with site(request.param) as jira:
        yield jira


def test_cloud_search_pages_match_the_enhanced_search() -> None:
    example = sample("search_jql_200_spec_example.json")
    fields = ",".join(FIELDS)

    with site("cloud") as fake:
        query = {"jql": "project = PAY", "fields": fields}
        first = get(fake, "/rest/api/3/search/jql", **query, maxResults=2)
        last = get(fake, "/rest/api/3/search/jql", **query, nextPageToken=first["nextPageToken"])
        ids_only = get(fake, "/rest/api/3/search/jql", jql="project = PAY")

    allowed = schema("jira-cloud-platform.schemas.json", "SearchAndReconcileResults")
    assert set(example) <= set(last) <= allowed
    assert set(first) == set(last) | {"nextPageToken"}
    assert (first["isLast"], last["isLast"]) == (False, True)
    assert {tuple(sorted(i)) for i in first["issues"]} == {tuple(sorted(example["issues"][0]))}
    assert {tuple(i) for i in ids_only["issues"]} == {("id",)}  # no fields asked: ids only
    user = first["issues"][0]["fields"]["assignee"]
    author = example["issues"][0]["fields"]["comment"][0]["author"]
    assert set(author) <= set(user) <= schema("jira-cloud-platform.schemas.json", "UserDetails")


def test_server_search_pages_match_data_center() -> None:
    example = sample("gojira_sprint_issues.json")
    issue_example = example["issues"][0]

    with site("server") as fake:
        page = get(fake, "/rest/api/2/search", jql="project = PAY", fields=",".join(FIELDS))

    assert set(page) == set(example)
    issue = page["issues"][0]
    assert set(issue) == set(issue_example)
    for name in ("status", "priority", "assignee"):
        assert set(issue["fields"][name]) == set(issue_example["fields"][name]), name
    status, status_example = issue["fields"]["status"], issue_example["fields"]["status"]
    assert set(status["statusCategory"]) == set(status_example["statusCategory"])
    assert STAMP.fullmatch(issue["fields"]["created"])
    assert STAMP.fullmatch(issue_example["fields"]["created"])


def test_versions_match_the_project_versions_examples(fake: FakeJira) -> None:
    dated, undated = sample("project_versions_paginated_spec_example.json")["values"]

    ours = get(fake, f"/rest/api/{3 if fake.cloud else 2}/project/PAY/versions")

    assert set(ours[0]) == set(dated)
    assert set(ours[1]) == set(undated) - {"issuesStatusForFixVersion"}  # asked for by expand
    assert set(ours[0]) <= schema("jira-cloud-platform.schemas.json", "Version")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", ours[0]["releaseDate"])


def test_sprints_match_the_agile_examples(fake: FakeJira) -> None:
    spec_page = sample("agile_board_sprints_spec_example.json")
    server_page = sample("gojira_board_sprints.json")

    page = get(fake, "/rest/agile/1.0/board/5/sprint")

    assert set(page) == set(spec_page if fake.cloud else server_page)
    closed, minimal = page["values"]
    assert set(closed) == set(spec_page["values"][0]) | {"goal"}
    assert set(minimal) == set(next(v for v in server_page["values"] if "Minimal" in v["name"]))
    assert AGILE_STAMP.fullmatch(closed["completeDate"])
    assert AGILE_STAMP.fullmatch(spec_page["values"][0]["completeDate"])


def test_error_bodies_are_jira_error_collections(fake: FakeJira) -> None:
    header = authorization(EMAIL if fake.cloud else "", TOKEN)
    api = f"{fake.url}/rest/api/{3 if fake.cloud else 2}"

    missing = httpx.get(f"{api}/project/NOPE/versions", headers={"Authorization": header})
    unauthorized = httpx.get(f"{api}/project/PAY/versions")
    gone = httpx.get(f"{fake.url}/rest/api/3/search", headers={"Authorization": header})

    allowed = schema("jira-cloud-platform.schemas.json", "ErrorCollection")
    for response in (missing, unauthorized):
        assert set(response.json()) == {"errorMessages", "errors"} <= allowed
    assert missing.status_code == 404 and unauthorized.status_code == 401
    assert gone.status_code == (410 if fake.cloud else 404)  # Server has no v3
