"""GitHub JSON to model objects, fed with real recorded answers through a strict MockTransport."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from msgspec.structs import replace

from pullboard.config import BoardConfig, Config, SourceConfig
from pullboard.errors import AuthFailed, SourceRejected
from pullboard.model import Issue, State
from pullboard.sources import open_tracker
from pullboard.sources.github import wire
from pullboard.sources.github.api import web_base
from pullboard.sources.github.tracker import (
    GitHubTracker,
    is_pull_request,
    priority,
    status_name,
)

SAMPLES = Path(__file__).parents[1] / "samples" / "github"
CONFIG = SourceConfig(
    name="gh", kind="github", url="https://api.github.com", repos=("PyGithub/PyGithub",)
)


def sample_body(name: str) -> Any:
    data = json.loads((SAMPLES / name).read_text(encoding="utf-8"))
    return data["exchanges"][0]["body"]


def tracker(answers: dict[str, Any], seen: list[httpx.Request] | None = None) -> GitHubTracker:
    """A tracker whose transport answers `path` keys with JSON and fails on anything else."""

    def handle(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        path = request.url.path
        assert path in answers, f"unexpected request {request.url}"
        answer = answers[path]
        return answer if isinstance(answer, httpx.Response) else httpx.Response(200, json=answer)

    return GitHubTracker(CONFIG, transport=httpx.MockTransport(handle))


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        ((), None),
        (("bug", "enhancement"), None),
        (("P0",), "P0"),
        (("p2",), "P2"),
        (("P1 - High",), "P1"),
        (("P-3",), "P3"),
        (("priority: high",), "High"),
        (("Priority/Critical",), "Critical"),
        (("prio-low",), "Low"),
        (("priority: P1",), "P1"),
        (("pending", "python3", "P9"), None),
        (("bug", "P3", "P0"), "P3"),
    ],
)
def test_priority_from_labels(labels: tuple[str, ...], expected: str | None) -> None:
    assert priority(labels) == expected


@pytest.mark.parametrize(
    ("api", "web"),
    [
        ("https://api.github.com", "https://github.com"),
        ("https://ghe.acme.example/api/v3", "https://ghe.acme.example"),
        ("http://127.0.0.1:8080/api/v3/", "http://127.0.0.1:8080"),
        ("https://api.acme.ghe.com", "https://acme.ghe.com"),
        ("http://127.0.0.1:9000", "http://127.0.0.1:9000"),
    ],
)
def test_web_base(api: str, web: str) -> None:
    assert web_base(api) == web


@pytest.mark.parametrize(
    ("state", "assignees", "expected"),
    [
        (State.CLOSED, ("a",), "Done"),
        (State.OPEN, ("a",), "In progress"),
        (State.OPEN, (), "To do"),
    ],
)
def test_status_name(state: State, assignees: tuple[str, ...], expected: str) -> None:
    assert status_name(state, assignees) == expected


def typed(name: str, decoder: msgspec.json.Decoder[list[Any]]) -> list[Any]:
    """A recorded answer's body as the tracker decodes it: raw JSON straight into its types."""
    return decoder.decode(json.dumps(sample_body(name)))


def test_pull_request_detection_matches_old_and_new_answers() -> None:
    old_issue = sample_body("issues_list_by_milestone_2012.json")[0]
    assert old_issue["pull_request"] == {"diff_url": None, "html_url": None, "patch_url": None}

    assert not is_pull_request(typed("issues_list_by_milestone_2012.json", wire.ISSUES)[0])
    assert is_pull_request(typed("issues_list_per_page1_link_2024.json", wire.ISSUES)[0])
    assert not is_pull_request(typed("issues_list_closed_2025.json", wire.ISSUES)[0])


@pytest.mark.parametrize(
    ("name", "decoder"),
    [
        ("issues_list_by_milestone_2012.json", wire.ISSUES),
        ("issues_list_closed_2025.json", wire.ISSUES),
        ("issues_list_per_page1_link_2024.json", wire.ISSUES),
        ("milestones_list_closed_2012.json", wire.MILESTONES),
    ],
)
def test_recorded_answers_decode_into_the_typed_shapes(
    name: str, decoder: msgspec.json.Decoder[list[Any]]
) -> None:
    """Typed decoding keeps exactly the fields pullboard maps, from every era's answers."""
    recorded = sample_body(name)
    decoded = typed(name, decoder)

    assert len(decoded) == len(recorded) > 0
    for item, raw in zip(decoded, recorded, strict=True):
        assert item.number == raw["number"]
        assert item.html_url == raw.get("html_url")
        assert item.closed_at == raw.get("closed_at")
        if decoder is wire.ISSUES:
            assert [u.login for u in item.assignees or ()] == [
                u["login"] for u in raw.get("assignees") or ()
            ]
            assert item.milestone is None or item.milestone.number == raw["milestone"]["number"]


async def test_old_milestones_without_html_url_get_a_web_url() -> None:
    body = sample_body("milestones_list_closed_2012.json")
    gh = tracker({"/repos/PyGithub/PyGithub/milestones": body})

    milestones = await gh.milestones()

    first = milestones[0]
    assert first.url == "https://github.com/PyGithub/PyGithub/milestone/1"
    assert first.ref == "PyGithub/PyGithub@Version 0.4"
    assert (first.state, first.due, first.closed_count) == (State.CLOSED, date(2012, 3, 13), 3)
    assert [m.key for m in milestones] == [f"PyGithub/PyGithub/{n}" for n in (1, 3, 4, 5)]
    await gh.aclose()


async def test_milestone_issues_from_a_2012_answer() -> None:
    body = sample_body("issues_list_by_milestone_2012.json")
    seen: list[httpx.Request] = []
    milestones = sample_body("milestones_list_closed_2012.json")
    gh = tracker(
        {
            "/repos/PyGithub/PyGithub/milestones": milestones,
            "/repos/PyGithub/PyGithub/issues": body,
        },
        seen,
    )
    milestone = next(m for m in await gh.milestones() if m.key.endswith("/3"))

    issues = await gh.issues(milestone)

    assert len(issues) == len(body)  # their null pull_request objects don't make them PRs
    first = issues[0]
    assert first.ref == "PyGithub/PyGithub#11"
    assert first.url == "https://github.com/PyGithub/PyGithub/issues/11"
    assert first.milestone == milestone.url
    assert first.assignees == ("jacquev6",)  # only `assignee` in 2012
    assert first.labels == ("Functionalities",)
    assert first.status == "Done"
    assert dict(seen[-1].url.params) == {"milestone": "3", "state": "all", "per_page": "100"}
    await gh.aclose()


async def test_recent_closed_from_a_2025_answer_keeps_milestone_links() -> None:
    body = sample_body("issues_list_closed_2025.json")
    gh = tracker({"/repos/PyGithub/PyGithub/issues": body})

    closed = await gh.recent_closed(datetime(2025, 8, 15, 20, 7, 30, tzinfo=UTC))

    assert [i.ref for i in closed] == ["PyGithub/PyGithub#3364", "PyGithub/PyGithub#3337"]
    assert all(i.closed_at and i.closed_at.tzinfo for i in closed)
    everything = await gh.recent_closed(datetime(2000, 1, 1, tzinfo=UTC))
    linked = [i for i in everything if i.milestone]
    assert [i.milestone for i in linked] == ["https://github.com/PyGithub/PyGithub/milestone/8"]
    await gh.aclose()


async def test_pull_requests_are_dropped() -> None:
    pr = sample_body("issues_list_per_page1_link_2024.json")
    issue = sample_body("issues_list_closed_2025.json")[0]
    gh = tracker({"/repos/PyGithub/PyGithub/issues": [*pr, issue]})

    closed = await gh.recent_closed(datetime(2000, 1, 1, tzinfo=UTC))

    assert [i.ref for i in closed] == ["PyGithub/PyGithub#3364"]
    await gh.aclose()


def raw_answer(text: str) -> httpx.Response:
    return httpx.Response(200, text=text, headers={"content-type": "application/json"})


async def test_when_typed_decoding_fails_the_generic_reading_decides() -> None:
    """Lone surrogates (msgspec refuses them) are cleaned as before, items that are not
    objects are skipped as before; only the issues' own shape can fail the source."""
    issue = sample_body("issues_list_closed_2025.json")[0]
    odd = json.dumps([1, None, {**issue, "title": "a\ud800b"}], ensure_ascii=True)
    gh = tracker({"/repos/PyGithub/PyGithub/issues": raw_answer(odd)})

    (closed,) = await gh.recent_closed(datetime(2000, 1, 1, tzinfo=UTC))

    assert closed.title == "a⟨U+D800⟩b"
    await gh.aclose()


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ('[{"number": 1, "created_at": null, "title": 5}]', "Expected `str | null`, got `int`"),
        ('[{"number": 1e400, "created_at": null}]', "sent JSON with an infinite or NaN number."),
        ('[{"number": 1, "x": ' + "[" * 50_000 + "]" * 50_000 + "}]", "nested too deeply"),
        ('{"message": "not a list"}', "sent no list for PyGithub/PyGithub."),
    ],
    ids=["wrong type", "1e400", "deep in a skipped field", "no list"],
)
async def test_a_page_that_does_not_fit_fails_the_source_with_a_sentence(
    body: str, says: str
) -> None:
    gh = tracker({"/repos/PyGithub/PyGithub/issues": raw_answer(body)})

    with pytest.raises(SourceRejected) as caught:
        await gh.recent_closed(datetime(2000, 1, 1, tzinfo=UTC))

    assert str(caught.value).startswith("gh: api.github.com sent ")
    assert says in str(caught.value)
    await gh.aclose()


async def test_issue_body_is_fetched_on_demand_and_cleaned() -> None:
    gh = tracker({"/repos/acme/shop/issues/7": {"number": 7, "body": "x\x1b[2Ky\r\nz"}})
    issue = Issue(
        url="https://github.com/acme/shop/issues/7",
        ref="acme/shop#7",
        source="gh",
        milestone=None,
        title="t",
        state=State.OPEN,
        status="To do",
        created=datetime(2026, 1, 1, tzinfo=UTC),
        updated=datetime(2026, 1, 1, tzinfo=UTC),
    )

    assert await gh.issue_body(issue) == "x␛[2Ky\nz"
    with pytest.raises(SourceRejected, match="PAY-7 is not a GitHub issue"):
        await gh.issue_body(replace(issue, ref="PAY-7"))
    await gh.aclose()


async def test_without_a_token_no_authorization_is_sent_and_401_says_how_to_set_one() -> None:
    seen: list[httpx.Request] = []
    denied = httpx.Response(401, json={"message": "Requires authentication"})
    gh = tracker({"/repos/PyGithub/PyGithub/milestones": denied}, seen)

    with pytest.raises(AuthFailed) as caught:
        await gh.milestones()

    assert "authorization" not in seen[0].headers
    assert "Set a token with `export GH_TOKEN=<token>`" in str(caught.value)  # no keyring here
    await gh.aclose()


async def test_token_goes_in_a_bearer_header_and_nowhere_else(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_unitSecret")
    seen: list[httpx.Request] = []
    denied = httpx.Response(403, json={"message": "Must have admin rights to Repository."})
    gh = tracker({"/repos/PyGithub/PyGithub/milestones": denied}, seen)

    with pytest.raises(AuthFailed) as caught:
        await gh.milestones()

    assert seen[0].headers["authorization"] == "Bearer ghp_unitSecret"
    assert "ghp_unitSecret" not in str(caught.value) + repr(caught.value) + repr(gh)
    assert "Fix or unset $GITHUB_TOKEN" in str(caught.value)
    await gh.aclose()


async def test_factory_opens_github_sources() -> None:
    config = Config(path=None, board=BoardConfig(), sources=(CONFIG,))
    opened = open_tracker(config, CONFIG, datetime(2026, 1, 1, tzinfo=UTC))
    assert isinstance(opened, GitHubTracker)
    assert opened.web == "https://github.com"
    await opened.aclose()
