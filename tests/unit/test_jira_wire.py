"""Jira search pages decode straight into typed shapes, and fall back to the generic reading
(which names what is wrong) when they don't fit."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from pullboard.errors import SourceRejected
from pullboard.model import State
from pullboard.sources.http import HttpClient
from pullboard.sources.jira import model, wire
from pullboard.sources.jira.search import Search

SAMPLES = Path(__file__).parents[1] / "samples" / "jira"


def sample(name: str) -> Any:
    data = json.loads((SAMPLES / name).read_text(encoding="utf-8"))
    return data["body"] if "_source" in data else data


def test_a_recorded_search_answer_decodes_and_maps() -> None:
    page = wire.ISSUES.decode(json.dumps(sample("gojira_sprint_issues.json")))

    (found,) = [model.issue(raw, "https://example.atlassian.net", "jira") for raw in page.issues]
    assert found.issue.ref == "AR-86"
    assert found.issue.url == "https://example.atlassian.net/browse/AR-86"
    assert found.issue.assignees == ("mister Morris",)
    assert (found.issue.status, found.issue.priority) == ("Ready", "Major")
    assert found.issue.state is State.OPEN and found.issue.closed_at is None
    assert found.issue.created == datetime(2015, 12, 2, 15, 39, 15, tzinfo=UTC)
    assert (page.total, found.versions) == (10, ())


@pytest.mark.parametrize("name", ["gojira_sprint_issues.json", "search_jql_200_spec_example.json"])
def test_recorded_search_answers_give_their_keys(name: str) -> None:
    recorded = sample(name)
    page = wire.KEYS.decode(json.dumps(recorded))
    assert [i.key for i in page.issues] == [i["key"] for i in recorded["issues"]]


def search(body: str) -> Search:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text=body, headers={"content-type": "application/json"})

    http = HttpClient("pay", "https://jira.test", transport=httpx.MockTransport(answer))
    return Search(http, cloud=True, name="pay")


def issue(**fields: Any) -> dict[str, Any]:
    return {"key": "PAY-1", "fields": {"created": "2026-01-02T03:04:05.000+0000", **fields}}


async def test_a_lone_surrogate_takes_the_generic_path_and_is_cleaned() -> None:
    body = json.dumps({"isLast": True, "issues": [issue(summary="a\ud800b")]})
    (raw,) = await search(body).issues("project = PAY", model.FIELDS, subject="project PAY")

    assert model.issue(raw, "https://jira.test", "pay").issue.title == "a⟨U+D800⟩b"


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (json.dumps({"issues": [issue(summary=5)]}), "can't read (ValidationError: Expected"),
        ('{"issues": [], "total": 1e400}', "sent JSON with an infinite or NaN number."),
        ('{"issues": [], "x": ' + "[" * 50_000 + "]" * 50_000 + "}", "nested too deeply"),
        ('{"values": []}', "without a `issues` list"),
        ("<html>login</html>", "that is not JSON"),
    ],
    ids=["wrong type", "1e400", "deep in a skipped field", "no issues", "not JSON"],
)
async def test_a_search_page_that_does_not_fit_fails_with_a_sentence(body: str, says: str) -> None:
    with pytest.raises(SourceRejected) as caught:
        await search(body).issues("project = PAY", model.FIELDS, subject="project PAY")

    assert str(caught.value).startswith("pay: ")
    assert says in str(caught.value)
