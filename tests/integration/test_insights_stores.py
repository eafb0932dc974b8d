"""One behavioural suite, run against both insights backends: the local file and the file in a
GitHub repository (through the contents API of the fake GitHub on 127.0.0.1).

Whatever the store, the same calls give the same results: pins, edits, acknowledgements and
removals land; a concurrent change is re-applied, never lost; a change to a revision someone
else changed is refused naming them; a broken or newer file is never written.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest
from fakes.github_server import TOKEN, FakeGitHub
from msgspec.structs import replace

from pullboard import insights
from pullboard.config import InsightsRepo, SourceConfig
from pullboard.errors import InsightsError
from pullboard.model import Goal, Insight
from pullboard.sources.github.contents import ContentsClient
from pullboard.sources.http import Backoff

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
MILESTONE = "https://github.com/acme/web/milestone/7"
REPO = InsightsRepo(repo="acme/team", path="pullboard/insights.toml", branch="main", source="gh")
KEY = ("acme/team", "main", "pullboard/insights.toml")


async def _instant(seconds: float) -> None:
    return None


@dataclass
class Backend:
    """A store and a way to reach behind it (plant bytes as a colleague's editor would)."""

    store: insights.Store
    raw: Callable[[], bytes | None]
    plant: Callable[[bytes], None]
    colleague: Callable[[], insights.Store]
    """Another lead's store on the same file (another laptop, for the repository)."""
    fake: FakeGitHub | None = None


def github_store(
    fake: FakeGitHub, copies: Path, token_env: str = "FAKE_GH_TOKEN", timeout: float = 2.0
) -> insights.RepoStore:
    source = SourceConfig(
        name="gh", kind="github", url=fake.url, repos=("acme/team",), token_env=token_env
    )
    client = ContentsClient(
        REPO,
        source,
        backoff=Backoff(attempts=2, sleep=_instant, jitter=lambda: 1.0, rate_waits=0),
        timeout=httpx.Timeout(timeout, connect=2.0),
    )
    return insights.RepoStore(client, "gh", copy_dir=copies, sleep=lambda s: None)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    monkeypatch.setenv("FAKE_GH_TOKEN", TOKEN)
    with FakeGitHub(token=TOKEN) as server:
        server.add_repo("acme/team")
        yield server


@pytest.fixture(params=["local", "github"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "local":
        path = tmp_path / "insights.toml"
        yield Backend(
            insights.LocalStore(path),
            lambda: path.read_bytes() if path.exists() else None,
            path.write_bytes,
            lambda: insights.LocalStore(path),
        )
        return
    server: FakeGitHub = request.getfixturevalue("fake")
    store = github_store(server, tmp_path / "copies")

    def plant(data: bytes) -> None:
        server.files[KEY] = data

    others: list[insights.Store] = []

    def colleague() -> insights.Store:
        others.append(github_store(server, tmp_path / f"laptop{len(others)}"))
        return others[-1]

    yield Backend(store, lambda: server.files.get(KEY), plant, colleague, server)
    for other in (store, *others):
        other.close()


def draft(title: str = "A11y pass slips", author: str = "priya", on: str = MILESTONE) -> Insight:
    return Insight(id="", on=on, title=title, summary="About a week late", author=author)


def test_a_store_without_a_file_is_an_empty_board(backend: Backend) -> None:
    loaded = insights.load(backend.store)
    assert (loaded.insights, loaded.error, loaded.stale) == ((), None, None)
    assert backend.store.writable() is None


def test_pin_edit_ack_and_unpin_land_and_read_back(backend: Backend) -> None:
    store = backend.store
    pinned = insights.pin(store, draft(), now=NOW)
    assert [i.title for i in insights.load(store).insights] == ["A11y pass slips"]
    edited = insights.edit(
        store, pinned.id, {"summary": "Two weeks late"}, base_revision=1, user="lee", now=NOW
    )
    assert (edited.revision, edited.updated_by) == (2, "lee")
    insights.ack(store, pinned.id, "sam", NOW, base_revision=2)
    current = insights.get(store, pinned.id)
    assert current.summary == "Two weeks late" and current.acked_by("sam")
    insights.unpin(store, pinned.id, user="priya")
    assert insights.load(store).insights == ()


def test_an_edit_of_a_revision_someone_else_changed_is_refused_naming_them(
    backend: Backend,
) -> None:
    store = backend.store
    pinned = insights.pin(store, draft(), now=NOW)
    insights.edit(store, pinned.id, {"title": "Theirs"}, base_revision=1, user="lee", now=NOW)
    before = backend.raw()
    with pytest.raises(insights.Conflict, match="changed by lee") as caught:
        insights.edit(store, pinned.id, {"title": "Mine"}, base_revision=1, user="sam", now=NOW)
    assert caught.value.current.title == "Theirs"
    assert backend.raw() == before


def test_concurrent_writers_each_land_once_and_lose_nothing(backend: Backend) -> None:
    """Eight writers pinning at once: every pin is there exactly once (re-read, re-applied)."""
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        start.wait()
        try:
            insights.pin(backend.store, draft(title=f"writer {n}"), now=NOW)
        except BaseException as err:  # reported below, with the others
            errors.append(err)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    titles = sorted(i.title for i in insights.load(backend.store).insights)
    assert titles == [f"writer {n}" for n in range(8)]
    if backend.fake is not None:
        assert len(backend.fake.commits) == 8


def test_a_broken_file_is_reported_and_never_overwritten(backend: Backend) -> None:
    broken = b'version = 1\n[[insight]]\nid = "0badcafe"\ntitle = "unterminated\n'
    backend.plant(broken)
    loaded = insights.load(backend.store)
    assert loaded.error and "not valid TOML" in loaded.error
    with pytest.raises(InsightsError, match="Nothing was saved"):
        insights.pin(backend.store, draft(), now=NOW)
    assert backend.raw() == broken


def test_a_file_from_a_newer_pullboard_is_read_and_never_rewritten(backend: Backend) -> None:
    newer = b'version = 99\n\n[[insight]]\nid = "0badcafe"\non = "board"\ntitle = "Later"\n'
    backend.plant(newer)
    assert insights.load(backend.store).problems
    with pytest.raises(InsightsError, match="Upgrade pullboard"):
        insights.pin(backend.store, draft(), now=NOW)
    assert backend.raw() == newer


def test_a_colleagues_change_shows_as_a_new_version(backend: Backend) -> None:
    store = backend.store
    insights.pin(store, draft(), now=NOW)
    seen = insights.load(store).fingerprint
    assert store.version() == seen
    insights.pin(backend.colleague(), draft(title="From a colleague", author="lee"), now=NOW)
    assert store.version() != seen
    assert "From a colleague" in [i.title for i in insights.load(store).insights]


STANCES = ("read", "agree", "commit", "concern", "read", "agree", "commit", "concern")


def test_eight_back_briefs_at_once_all_land_with_stance_and_note(backend: Backend) -> None:
    """Eight readers back-brief one insight at once: every stance and note is kept."""
    pinned = insights.pin(backend.store, draft(), now=NOW)
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def reader(n: int) -> None:
        start.wait()
        try:
            insights.ack(
                backend.store, pinned.id, f"r{n}", NOW, stance=STANCES[n], note=f"note {n}"
            )
        except BaseException as err:  # reported below, with the others
            errors.append(err)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    stored = insights.get(backend.store, pinned.id)
    assert {u: (a.stance, a.note) for u, a in stored.acks.items()} == {
        f"r{n}": (STANCES[n], f"note {n}") for n in range(8)
    }
    assert all(stored.acked_by(f"r{n}") for n in range(8))


def test_an_edit_makes_back_briefs_stale_and_a_new_one_counts_again(backend: Backend) -> None:
    store = backend.store
    pinned = insights.pin(store, draft(), now=NOW)
    insights.ack(store, pinned.id, "sam", NOW, stance="concern", note="needs a reviewer")
    edited = insights.edit(
        store, pinned.id, {"why": "Contract"}, base_revision=1, user="priya", now=NOW
    )
    assert not edited.acked_by("sam") and edited.acks["sam"].stance == "concern"
    again = insights.ack(store, pinned.id, "sam", NOW, stance="commit", base_revision=2)
    assert again.acked_by("sam") and again.acks["sam"].revision == 2


def test_a_version_1_file_is_read_and_upgraded_on_the_next_write(backend: Backend) -> None:
    old = (
        b'version = 1\n\n[[insight]]\nid = "0ldf11e0"\non = "board"\ntitle = "Old"\n'
        b'author = "lee"\nupdated = 2026-01-04T10:00:00Z\nteam_colour = "teal"\n\n'
        b"[insight.acks]\nsam = 2026-01-04T11:00:00Z\nkim = 2026-01-03T11:00:00Z\n"
    )
    backend.plant(old)
    (before,) = insights.load(backend.store).insights
    assert before.acks["sam"].stance == "read" and before.acked_by("sam")
    assert not before.acked_by("kim"), "an ack from before the last change stays stale"
    insights.ack(backend.store, "0ldf11e0", "dana", NOW, stance="agree", note="Makes sense")
    raw = backend.raw()
    assert raw is not None and raw.startswith(insights.format.HEADER.encode())
    assert b"version = 2" in raw and b'team_colour = "teal"' in raw
    (after,) = insights.load(backend.store).insights
    assert after.acks["sam"] == before.acks["sam"] and after.acks["kim"] == before.acks["kim"]
    assert (after.acks["dana"].stance, after.acks["dana"].note) == ("agree", "Makes sense")


def test_accept_and_decline_answer_only_asks(backend: Backend) -> None:
    pinned = insights.pin(backend.store, draft(), now=NOW)
    before = backend.raw()
    with pytest.raises(InsightsError, match="answers an ask"):
        insights.ack(backend.store, pinned.id, "sam", NOW, stance="accept")
    with pytest.raises(InsightsError, match="expected one of read"):
        insights.ack(backend.store, pinned.id, "sam", NOW, stance="maybe")
    assert backend.raw() == before


GOAL = Goal(
    id="holiday",
    title="Holiday launch",
    outcome="Saved carts and search live for the campaign",
    owner="lee",
    milestones=(MILESTONE, "PAY@2.1"),
    due=date(2026, 2, 1),
)


def test_goals_are_added_edited_and_removed_beside_insights(backend: Backend) -> None:
    store = backend.store
    pinned = insights.pin(store, draft(), now=NOW)
    insights.add_goal(store, GOAL, user="lee", now=NOW)
    with pytest.raises(InsightsError, match="already a goal holiday"):
        insights.add_goal(store, GOAL, user="sam", now=NOW)
    insights.edit_goal(store, "holiday", {"due": None, "why": "Campaign"}, user="sam", now=NOW)
    loaded = insights.load(store)
    assert loaded.problems == () and [i.id for i in loaded.insights] == [pinned.id]
    (goal,) = loaded.goals
    assert (goal.due, goal.why, goal.updated_by, goal.milestones) == (
        None,
        "Campaign",
        "sam",
        (MILESTONE, "PAY@2.1"),
    )
    insights.remove_goal(store, "holiday", user="lee")
    assert insights.load(store).goals == ()


def test_goals_from_eight_writers_at_once_all_land(backend: Backend) -> None:
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        start.wait()
        try:
            insights.add_goal(backend.store, replace(GOAL, id=f"g{n}"), user=f"w{n}", now=NOW)
        except BaseException as err:  # reported below, with the others
            errors.append(err)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(g.id for g in insights.load(backend.store).goals) == [f"g{n}" for n in range(8)]


def test_audiences_and_unknown_goal_keys_are_read_and_kept_on_rewrite(backend: Backend) -> None:
    backend.plant(
        b'version = 2\n\n[audiences.leads]\nmembers = ["lee", "priya"]\ndepth = "headline"\n\n'
        b'[[goal]]\nid = "holiday"\ntitle = "Holiday launch"\nmilestones = ["PAY@2.1"]\n'
        b'colour = "red"\n\n[[goal]]\nid = "bad"\ntitle = "Bad"\ndue = "someday"\n'
    )
    loaded = insights.load(backend.store)
    assert loaded.audiences["leads"].members == ("lee", "priya")
    assert [g.id for g in loaded.goals] == ["holiday"]
    (problem,) = loaded.problems
    assert ", line 13: goal 'bad': due: expected a date" in problem
    insights.pin(backend.store, draft(), now=NOW)
    insights.edit_goal(backend.store, "holiday", {"owner": "lee"}, user="lee", now=NOW)
    raw = backend.raw()
    assert raw is not None and b'colour = "red"' in raw and b'due = "someday"' in raw
    again = insights.load(backend.store)
    assert again.audiences == loaded.audiences and len(again.problems) == 1


def test_a_bad_audience_is_named_with_its_line(backend: Backend) -> None:
    backend.plant(b'version = 2\n\n[audiences.leads]\nmembers = "lee"\ndepth = "all of it"\n')
    (problem,) = insights.load(backend.store).problems
    assert "line 3: audience 'leads': depth: expected one of headline, detail" in problem
