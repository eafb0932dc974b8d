"""Done means, end to end: a GitHub and a Jira site (fakes on 127.0.0.1) change between two
looks (a due date moves, issues are added), and the next look and `export --since` name each
change in one sentence; a broken history database is a warning, never a failed board."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fakes.github_server import TOKEN as GH_TOKEN
from fakes.github_server import FakeGitHub
from fakes.jira_server import TOKEN as JIRA_TOKEN
from fakes.jira_server import FakeJira

from pullboard import config as config_module
from pullboard.board import Board
from pullboard.cli import main
from pullboard.history import database_path

TODAY = datetime.now(UTC)


@pytest.fixture
def sites(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FakeGitHub, FakeJira]]:
    monkeypatch.setenv("FAKE_TOKEN", GH_TOKEN)
    monkeypatch.setenv("JIRA_API_TOKEN", JIRA_TOKEN)
    with FakeGitHub(token=GH_TOKEN) as github, FakeJira("cloud") as jira:
        github.add_repo("acme/app")
        github.add_milestone("acme/app", "v1", due_on=TODAY + timedelta(days=20))
        for n in range(3):
            github.add_issue("acme/app", f"Old work {n}", milestone=1,
                             created_at=TODAY - timedelta(days=40))  # fmt: skip
        jira.add_project("PAY")
        jira.add_version("PAY", "2.1", release_date=(TODAY + timedelta(days=30)).date())
        yield github, jira


def write_config(tmp_path: Path, github: FakeGitHub, jira: FakeJira) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f"""
[board]
title = "Two sites"
insights = "insights.toml"

[[source]]
name = "gh"
kind = "github"
url = "{github.url}"
repos = ["acme/app"]
token_env = "FAKE_TOKEN"

[[source]]
name = "pay"
kind = "jira"
url = "{jira.url}"
flavor = "cloud"
email = "dana@example.com"
project = "PAY"
""",
        encoding="utf-8",
    )
    return path


def change_upstream(github: FakeGitHub, jira: FakeJira) -> None:
    """Both due dates move, each site gets a new issue, and Jira an old one moved in. The new
    ones are stamped a second ahead: GitHub gives whole seconds, and they must come after the
    look a moment ago."""
    just_now = datetime.now(UTC) + timedelta(seconds=1)
    github.repos["acme/app"].milestones[1].due_on = TODAY + timedelta(days=27)
    github.add_issue("acme/app", "Late request", milestone=1, created_at=just_now)
    (version,) = jira.projects["PAY"].versions.values()
    jira.add_issue("PAY", "First refund flow", versions=(version.id,),
                   created=TODAY - timedelta(days=50))  # fmt: skip
    version.release_date = date.fromordinal(version.release_date.toordinal() - 6)  # type: ignore[union-attr]
    jira.add_issue("PAY", "Chargebacks", versions=(version.id,), created=just_now)


async def test_the_next_look_names_each_change_in_one_sentence(
    sites: tuple[FakeGitHub, FakeJira], tmp_path: Path
) -> None:
    github, jira = sites
    cfg = config_module.load(write_config(tmp_path, github, jira))
    first = Board(cfg)
    await first.refresh(full=True)
    first.mark_looked()  # the user quits
    await first.aclose()
    change_upstream(github, jira)

    board = Board(cfg)  # the next start
    try:
        snap = await board.refresh(full=True)
    finally:
        await board.aclose()
    texts = {(c.kind, c.text) for c in snap.changes}
    due = (TODAY + timedelta(days=27)).date()
    assert ("due_moved", f"v1's due date moved from {_day(due - timedelta(days=7))} to "
            f"{_day(due)} (7 d later).") in texts  # fmt: skip
    pay_due = (TODAY + timedelta(days=24)).date()
    assert ("due_moved", f"2.1's due date moved from {_day(pay_due + timedelta(days=6))} to "
            f"{_day(pay_due)} (6 d earlier).") in texts  # fmt: skip
    assert ("opened", "acme/app#4 “Late request” was opened in v1.") in texts
    assert ("opened", "PAY-2 “Chargebacks” was opened in 2.1.") in texts
    assert ("scope_added", "PAY-1 “First refund flow” joined 2.1.") in texts
    status = snap.status["https://github.com/acme/app/milestone/1"]
    assert status.due_moves == 1 and "due moved once (+7 d) since" in status.reason
    assert [p.open for p in status.history] == [3, 4]


def _day(day: date) -> str:
    return f"{day:%b %d}" if day.year == TODAY.year else f"{day:%b %d %Y}"


def test_export_since_lists_the_same_changes(
    sites: tuple[FakeGitHub, FakeJira], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    github, jira = sites
    cfg = str(write_config(tmp_path, github, jira))
    assert main(["export", "--config", cfg]) == 0
    capsys.readouterr()
    change_upstream(github, jira)
    assert main(["export", "--config", cfg, "--since", "1h"]) == 0
    out = json.loads(capsys.readouterr().out)
    kinds = sorted(c["kind"] for c in out["changes"] if c["kind"] != "risk_changed")
    assert kinds == ["due_moved", "due_moved", "opened", "opened", "scope_added"]
    assert all(c["text"].count(".") >= 1 and "\n" not in c["text"] for c in out["changes"])
    assert datetime.fromisoformat(out["since"]) < datetime.now(UTC) - timedelta(minutes=59)
    v1 = next(m for m in out["milestones"] if m["title"] == "v1")
    assert (v1["due_moves"], len(v1["history"])) == (1, 2)
    assert main(["export", "--config", cfg, "--since", "2h", "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    changes = markdown.split("## Changes")[1]
    assert "**v1**" in changes and "**2.1**" in changes
    assert "- acme/app\\#4 “Late request” was opened in v1." in changes
    assert main(["export", "--config", cfg, "--since", "soon"]) == 2
    assert "--since 'soon' is not a moment" in capsys.readouterr().err


def test_a_broken_database_is_a_warning_not_a_failed_board(
    sites: tuple[FakeGitHub, FakeJira], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    github, jira = sites
    path = database_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a database at all" * 50)
    assert main(["export", "--config", str(write_config(tmp_path, github, jira))]) == 0
    out, err = capsys.readouterr()
    assert [m["title"] for m in json.loads(out)["milestones"]] == ["v1", "2.1"]
    assert "warning: History not saved" in err and "file is not a database" in err
    assert path.read_bytes() == b"not a database at all" * 50, "left exactly as it was"


def test_the_demo_never_writes_the_users_database(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--demo"]) == 0
    assert json.loads(capsys.readouterr().out)["changes"]
    assert database_path(demo=True).exists() and not database_path().exists()
