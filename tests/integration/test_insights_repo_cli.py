"""The repository store from the commands and the board, configured as a user would
(`[board] insights = { repo = ... }`): they never know which store they talk to."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.github_server import TOKEN, FakeGitHub
from test_insights_stores import KEY

from pullboard import config as config_module
from pullboard import insights
from pullboard.board import Board
from pullboard.cli import main
from pullboard.errors import ConfigError
from pullboard.model import Insight
from pullboard.paths import state_dir

READER = "ghp_readOnlyTokenForTests0123456789ab"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    monkeypatch.setenv("FAKE_GH_TOKEN", TOKEN)
    with FakeGitHub(token=TOKEN) as server:
        server.add_repo("acme/team")
        server.readers.add(READER)
        yield server


def write_config(tmp_path: Path, fake: FakeGitHub, token_env: str = "FAKE_GH_TOKEN") -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        '[board]\nme = "priya"\ninsights = { repo = "acme/team", source = "gh" }\n\n'
        f'[[source]]\nname = "gh"\nkind = "github"\nurl = "{fake.url}"\nrepo = "acme/team"\n'
        f'token_env = "{token_env}"\n',
        encoding="utf-8",
    )
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    assert "Traceback" not in err and TOKEN not in out + err
    return code, out, err


def test_pin_ack_and_list_go_to_the_repository(
    capsys: pytest.CaptureFixture[str], fake: FakeGitHub, tmp_path: Path
) -> None:
    cfg = str(write_config(tmp_path, fake))
    code, out, err = run(capsys, "pin", "board", "--title", "Code freeze", "--config", cfg)
    assert code == 0, err
    new_id = out.strip()
    assert [c.message for c in fake.commits] == [f"pullboard: pin {new_id} on the board (priya)"]
    assert run(capsys, "ack", new_id, "--config", cfg)[0] == 0
    code, out, _ = run(capsys, "insights", "--json", "--config", cfg)
    listed = json.loads(out)
    assert listed["file"] == "acme/team:pullboard/insights.toml@main"
    assert [i["id"] for i in listed["insights"]] == [new_id]
    assert len(fake.commits) == 2 and KEY in fake.files


def test_a_refused_pin_keeps_the_draft_in_the_state_folder_and_says_where(
    capsys: pytest.CaptureFixture[str],
    fake: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("READER_TOKEN", READER)
    cfg = str(write_config(tmp_path, fake, token_env="READER_TOKEN"))
    code, out, err = run(
        capsys, "pin", "board", "--title", "Code freeze", "--why", "Audit", "--config", cfg
    )
    assert (code, out) == (1, "")
    assert "Nothing was saved" in err and "(403)" in err
    drafts = list((state_dir() / "drafts").glob("*-pin-*.toml"))
    assert len(drafts) == 1 and str(drafts[0]) in err.replace("\n", "")
    kept = drafts[0].read_text(encoding="utf-8")
    assert 'title = "Code freeze"' in kept and 'why = "Audit"' in kept
    assert fake.commits == []


def test_the_board_reads_the_repository_and_starts_from_the_kept_copy_offline(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    cfg = config_module.load(write_config(tmp_path, fake))
    online = Board(cfg)
    insights.pin(online.insights_store, Insight(id="", on="board", title="Freeze", author="x"))
    assert [i.title for i in online.reload_insights().insights] == ["Freeze"]
    online.insights_store.close()
    fake.close()  # GitHub is gone
    offline = Board(cfg)
    try:
        assert [i.title for i in offline.reload_insights(fresh=False).insights] == ["Freeze"]
        loaded = offline.reload_insights()
        assert [i.title for i in loaded.insights] == ["Freeze"]
        assert loaded.stale and "connection refused" in loaded.stale
        snapshot = offline.snapshot()
        assert snapshot.insights_stale == loaded.stale and snapshot.insights_as_of is not None
    finally:
        offline.insights_store.close()


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            '{ repo = "acme" }',
            'board.insights.repo: expected the repository as repo = "owner/name"',
        ),
        ('{ repo = "acme/team", path = "../x" }', "board.insights.path: expected a file path"),
        ('{ repo = "acme/team", source = "jira" }', "board.insights.source: expected the name"),
        ('{ repo = "acme/team", brnch = "x" }', "did you mean 'branch'?"),
    ],
)
def test_a_bad_repository_table_names_file_line_and_key(
    tmp_path: Path, table: str, message: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[board]\ninsights = {table}\n\n[[source]]\nname = "gh"\nkind = "github"\n'
        'repo = "acme/web"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        config_module.load(path)
    assert f"{path}, line 2: " in str(caught.value) and message in str(caught.value)


def test_doctor_says_whether_the_token_may_write_the_repository(
    capsys: pytest.CaptureFixture[str],
    fake: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cfg = str(write_config(tmp_path, fake))
    run(capsys, "pin", "board", "--title", "Code freeze", "--config", cfg)
    _, out, _ = run(capsys, "doctor", "--config", cfg)
    assert (
        "✓ insights in acme/team:pullboard/insights.toml@main are readable and the token may "
        "write (1 insight)" in out
    )
    monkeypatch.setenv("READER_TOKEN", READER)
    reader = str(write_config(tmp_path / "..", fake, token_env="READER_TOKEN"))
    _, out, _ = run(capsys, "doctor", "--config", reader)
    where = "acme/team:pullboard/insights.toml@main"
    assert f"! insights in {where} are readable (1 insight); the " in out
    assert "may read acme/team:pullboard/insights.toml@main but not write to it" in out
