"""The repository store's own promises, against the fake contents API on 127.0.0.1: polls that
cost no rate limit, one commit per change saying what happened, a read-only token, the last
good copy when GitHub can't be reached, failed writes that say why, and eight processes
pinning at once."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.github_server import TOKEN, FakeGitHub
from test_insights_stores import KEY, MILESTONE, NOW, draft, github_store

from pullboard import insights
from pullboard.errors import InsightsError

READER = "ghp_readOnlyTokenForTests0123456789ab"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    monkeypatch.setenv("FAKE_GH_TOKEN", TOKEN)
    monkeypatch.setenv("READER_TOKEN", READER)
    with FakeGitHub(token=TOKEN) as server:
        server.add_repo("acme/team")
        server.readers.add(READER)
        yield server


@pytest.fixture
def store(fake: FakeGitHub, tmp_path: Path) -> Iterator[insights.RepoStore]:
    made = github_store(fake, tmp_path / "copies")
    yield made
    made.close()


def test_a_poll_that_finds_nothing_new_is_a_304_and_costs_no_rate_limit(
    fake: FakeGitHub, store: insights.RepoStore
) -> None:
    insights.pin(store, draft(), now=NOW)
    seen = insights.load(store).fingerprint
    fake.clear_log()
    left = fake.rate_remaining
    for _ in range(3):
        assert store.version() == seen
    assert [h.status for h in fake.hits("/repos/acme/team/contents/*")] == [304, 304, 304]
    assert fake.rate_remaining == left


def test_every_change_is_one_commit_that_says_what_happened(
    fake: FakeGitHub, store: insights.RepoStore
) -> None:
    pinned = insights.pin(store, draft(author="priya"), now=NOW)
    insights.edit(store, pinned.id, {"title": "New"}, base_revision=1, user="lee", now=NOW)
    insights.ack(store, pinned.id, "sam", NOW)
    insights.unpin(store, pinned.id, user="priya")
    assert [c.message for c in fake.commits] == [
        f"pullboard: pin {pinned.id} on acme/web milestone 7 (priya)",
        f"pullboard: edit {pinned.id} (title) (lee)",
        f"pullboard: ack {pinned.id} read (sam)",
        f"pullboard: unpin {pinned.id} on acme/web milestone 7 (priya)",
    ]
    assert {(c.repo, c.branch, c.path) for c in fake.commits} == {KEY}


def test_a_read_only_token_makes_a_read_only_store_and_saves_nothing(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    writer = github_store(fake, tmp_path / "writer")
    reader = github_store(fake, tmp_path / "reader", token_env="READER_TOKEN")
    try:
        insights.pin(writer, draft(), now=NOW)
        assert [i.title for i in insights.load(reader).insights] == ["A11y pass slips"]
        said = reader.writable()
        assert said and "may read acme/team:pullboard/insights.toml@main but not write" in said
        before = fake.files[KEY]
        with pytest.raises(InsightsError, match=r"may not write to acme/team \(403\)"):
            insights.pin(reader, draft(title="Mine"), now=NOW)
        assert fake.files[KEY] == before and len(fake.commits) == 1
    finally:
        writer.close()
        reader.close()


def test_the_first_pin_creates_the_file(fake: FakeGitHub, store: insights.RepoStore) -> None:
    assert KEY not in fake.files
    insights.pin(store, draft(), now=NOW)
    assert [h.status for h in fake.hits("/repos/acme/team/contents/*") if h.method == "PUT"] == [
        201
    ]
    assert b"A11y pass slips" in fake.files[KEY]


def test_a_missing_repository_fails_the_write_with_a_sentence(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    del fake.repos["acme/team"]
    store = github_store(fake, tmp_path / "copies")
    try:
        assert insights.load(store).insights == ()  # no file there: an empty board
        with pytest.raises(InsightsError, match=r"Nothing was saved: .*not found .*\(404\)"):
            insights.pin(store, draft(), now=NOW)
    finally:
        store.close()


def test_when_github_fails_the_board_keeps_the_last_copy_and_says_how_old(
    fake: FakeGitHub, store: insights.RepoStore, tmp_path: Path
) -> None:
    insights.pin(store, draft(), now=NOW)
    insights.load(store)
    fake.fail("/repos/acme/team/contents/*", 502, times=None)
    loaded = insights.load(store)
    assert [i.title for i in loaded.insights] == ["A11y pass slips"]
    assert loaded.stale and "Couldn't reach acme/team:pullboard/insights.toml@main" in loaded.stale
    assert loaded.as_of is not None
    # Re-reading the copy without the network (after a write, on the UI thread) still says so.
    with pytest.raises(InsightsError, match="Nothing was saved"):
        insights.pin(store, draft(title="Second"), now=NOW)
    kept = insights.load(store, fresh=False)
    assert kept.stale == loaded.stale and kept.as_of == loaded.as_of
    # A new run on this machine (a fresh store object) starts from the kept copy too.
    again = github_store(fake, tmp_path / "copies")
    try:
        assert [i.title for i in insights.load(again, fresh=False).insights] == ["A11y pass slips"]
        assert insights.load(again).stale
    finally:
        again.close()


def test_without_a_kept_copy_an_unreachable_repository_is_an_error(
    fake: FakeGitHub, store: insights.RepoStore
) -> None:
    fake.fail("/repos/acme/team/contents/*", 503, times=None)
    loaded = insights.load(store)
    assert loaded.error and "No copy is kept on this machine yet" in loaded.error


def test_a_server_error_on_save_is_not_retried_blindly_and_says_nothing_was_saved(
    fake: FakeGitHub, store: insights.RepoStore
) -> None:
    fake.fail("/repos/acme/team/contents/*", 500, method="PUT")
    with pytest.raises(InsightsError, match=r"Nothing was saved: .*500"):
        insights.pin(store, draft(), now=NOW)
    puts = [h for h in fake.hits("/repos/acme/team/contents/*") if h.method == "PUT"]
    assert len(puts) == 1 and fake.commits == []


def test_a_timeout_keeps_the_copy_and_a_save_says_why(fake: FakeGitHub, tmp_path: Path) -> None:
    store = github_store(fake, tmp_path / "copies", timeout=0.3)
    insights.pin(store, draft(), now=NOW)
    gate = threading.Event()
    fake.fail("/repos/acme/team/contents/*", None, times=None, gate=gate)
    try:
        loaded = insights.load(store)
        assert loaded.stale and "didn't answer within 0.3 s" in loaded.stale
        assert [i.title for i in loaded.insights] == ["A11y pass slips"]
        with pytest.raises(InsightsError, match=r"Nothing was saved: .*didn't answer"):
            insights.pin(store, draft(title="Second"), now=NOW)
    finally:
        gate.set()
        store.close()


def test_the_token_never_reaches_the_kept_copy_or_a_message(
    fake: FakeGitHub, store: insights.RepoStore
) -> None:
    insights.pin(store, draft(), now=NOW)
    fake.fail("/repos/acme/team/contents/*", 401, times=None)
    said = insights.load(store).stale or ""
    assert TOKEN not in said and TOKEN not in repr(store) and TOKEN not in repr(store.contents)
    assert TOKEN.encode() not in store.copy_path.read_bytes()


WRITER = r"""
import sys
from pathlib import Path
sys.path[:0] = sys.argv[3:5]
from test_insights_stores import NOW, draft
from fakes.github_server import FakeGitHub
from pullboard import insights
from pullboard.config import InsightsRepo, SourceConfig
from pullboard.sources.github.contents import ContentsClient

url, n = sys.argv[1], sys.argv[2]
repo = InsightsRepo(repo="acme/team", path="pullboard/insights.toml", branch="main", source="gh")
source = SourceConfig(
    name="gh", kind="github", url=url, repos=("acme/team",), token_env="FAKE_GH_TOKEN"
)
store = insights.RepoStore(ContentsClient(repo, source), "gh", copy_dir=Path(sys.argv[5]))
print("ready", flush=True)
sys.stdin.readline()
print(insights.pin(store, draft(title=f"process {n}"), now=NOW).id, flush=True)
store.close()
"""


def test_eight_processes_pinning_at_once_make_eight_commits_and_lose_nothing(
    fake: FakeGitHub, store: insights.RepoStore, tmp_path: Path
) -> None:
    here = Path(__file__).parent
    env = {**os.environ, "FAKE_GH_TOKEN": TOKEN}
    argv = [sys.executable, "-c", WRITER, fake.url]
    procs = [
        subprocess.Popen(
            [*argv, str(n), str(here), str(here.parent), str(tmp_path / f"p{n}")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n in range(8)
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    for proc in procs:  # go: all eight read the same version, then race to write
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    ids = [proc.communicate(timeout=60)[0].strip() for proc in procs]
    assert all(proc.returncode == 0 for proc in procs)
    assert len(fake.commits) == 8 and len(set(ids)) == 8
    loaded = insights.load(store)
    assert sorted(i.id for i in loaded.insights) == sorted(ids)
    assert sorted(i.title for i in loaded.insights) == [f"process {n}" for n in range(8)]
    assert all(i.on == MILESTONE for i in loaded.insights)
