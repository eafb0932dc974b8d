"""`pullboard init`: what it writes loads back; it never overwrites by accident."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pullboard import cli, config
from pullboard.cli import init as setup
from pullboard.paths import config_path

FLAGS = [
    (["--github", "acme/shop"], [("shop", "github", ("acme/shop",), ())]),
    (
        ["--github", "acme/shop", "--github", "acme/web", "--title", "Acme", "--me", "dana"],
        [("acme", "github", ("acme/shop", "acme/web"), ())],
    ),
    (
        ["--github", "acme/shop", "--github", "other/web"],
        [("github", "github", ("acme/shop", "other/web"), ())],
    ),
    (
        ["--github", "a/b", "--github-url", "http://127.0.0.1:8080/api/v3"],
        [("b", "github", ("a/b",), ())],
    ),
    (
        ["--jira-url", "https://acme.atlassian.net/", "--jira-project", "pay",
         "--jira-email", "d@acme.io"],
        [("pay", "jira", (), ("PAY",))],
    ),
    (
        ["--jira-url", "http://jira.local:8080/jira", "--jira-project", "PAY",
         "--jira-project", "OPS", "--jira-board", "12"],
        [("pay", "jira", (), ("PAY", "OPS"))],
    ),
    (
        ["--github", "acme/pay", "--jira-url", "https://acme.atlassian.net",
         "--jira-project", "PAY", "--me", "dana", "--me", "Dana Kim"],
        [("pay", "github", ("acme/pay",), ()), ("pay-jira", "jira", (), ("PAY",))],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("flags", "expected"), FLAGS)
def test_non_interactive_round_trip(
    flags: list[str],
    expected: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["init", "--non-interactive", *flags]) == 0
    path = config_path()
    assert path.is_file()
    loaded = config.load()
    got = [(s.name, s.kind, s.repos, s.projects) for s in loaded.sources]
    assert got == expected
    out = capsys.readouterr().out
    assert f"Wrote {path}." in out
    for name, *_ in expected:
        assert f"pullboard auth set {name}" in out


def test_round_trip_keeps_every_answer(tmp_path: Path) -> None:
    answers = setup.Answers(
        title='Acme "delivery" board',
        me=("dana", "Dana Kim"),
        github=("acme/shop",),
        github_url="https://ghe.acme.io/api/v3/",
        jira_url="https://acme.atlassian.net",
        jira_projects=("PAY",),
        jira_email="dana@acme.io",
        jira_board=7,
    )
    loaded = setup.write(tmp_path / "sub" / "config.toml", answers)
    assert loaded == config.load(tmp_path / "sub" / "config.toml")
    assert loaded.board.title == 'Acme "delivery" board'
    assert loaded.board.me == ("dana", "Dana Kim")
    github, jira = loaded.sources
    assert github.url == "https://ghe.acme.io/api/v3"
    assert (jira.flavor, jira.email, jira.milestones, jira.board) == (
        "cloud",
        "dana@acme.io",
        "sprints",
        7,
    )


def test_config_flag_and_env_choose_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    explicit = tmp_path / "explicit.toml"
    assert (
        cli.main(["init", "--non-interactive", "--github", "a/b", "--config", str(explicit)]) == 0
    )
    assert explicit.is_file()
    monkeypatch.setenv("PULLBOARD_CONFIG", str(tmp_path / "env.toml"))
    assert cli.main(["init", "--non-interactive", "--github", "a/b"]) == 0
    assert (tmp_path / "env.toml").is_file()


def test_refuses_to_overwrite_without_force(capsys: pytest.CaptureFixture[str]) -> None:
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text("# mine\n", encoding="utf-8")
    assert cli.main(["init", "--non-interactive", "--github", "a/b"]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"pullboard: {path} already exists; check it with `pullboard doctor`, or run "
        "`pullboard init --force` to replace it (the old file is kept as .bak).\n"
    )
    assert path.read_text(encoding="utf-8") == "# mine\n"
    assert cli.main(["init", "--non-interactive", "--github", "a/b", "--force"]) == 0
    assert path.with_name("config.toml.bak").read_text(encoding="utf-8") == "# mine\n"
    assert config.load().sources[0].repos == ("a/b",)


def test_refuses_before_asking(monkeypatch: pytest.MonkeyPatch) -> None:
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text("# mine\n", encoding="utf-8")
    monkeypatch.setattr("builtins.input", lambda prompt: pytest.fail("asked a question"))
    assert cli.main(["init"]) == 1


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ([], "no sources: give --github OWNER/NAME"),
        (["--github", "acme"], "--github 'acme': expected owner/name"),
        (
            ["--github", "a/b", "--github-url", "https://github.com"],
            "--github-url: expected the API",
        ),
        (["--jira-url", "acme.atlassian.net", "--jira-project", "P"], "--jira-url: expected an"),
        (["--jira-url", "https://acme.atlassian.net"], "--jira-project: missing"),
        (["--jira-url", "https://j.io", "--jira-project", "P-1"], "--jira-project 'P-1'"),
        (["--github", "a/b", "--jira-email", "dana"], "--jira-email 'dana'"),
    ],
)
def test_bad_flags_exit_2_and_write_nothing(
    flags: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["init", "--non-interactive", *flags]) == 2
    assert f"pullboard: {message}" in capsys.readouterr().err
    assert not config_path().exists()


def _answers(monkeypatch: pytest.MonkeyPatch, lines: list[str]) -> list[str]:
    """Feed `lines` to input(); returns the prompts shown."""
    prompts: list[str] = []
    feed: Iterator[str] = iter(lines)

    def fake_input(prompt: str) -> str:
        prompts.append(prompt)
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", fake_input)
    return prompts


def test_interactive_asks_and_retries_bad_answers(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    prompts = _answers(
        monkeypatch,
        [
            "Team board",
            "dana, Dana Kim",
            "acme",  # not owner/name: asked again
            "acme/shop, acme/web",
            "",  # default API
            "acme/team",  # the insights live in this repository
            "https://acme.atlassian.net",
            "PAY",
            "dana@acme.io",
            "x",  # not a number: asked again
            "",
        ],
    )
    assert cli.main(["init"]) == 0
    loaded = config.load()
    assert loaded.board.title == "Team board"
    assert loaded.board.me == ("dana", "Dana Kim")
    assert [s.name for s in loaded.sources] == ["acme", "pay"]
    assert loaded.sources[1].milestones == "versions"
    repo = loaded.board.insights_repo
    assert repo and (repo.repo, repo.path, repo.source) == (
        "acme/team",
        "pullboard/insights.toml",
        "acme",
    )
    assert prompts[0] == "Board title [pullboard]: "
    assert prompts[2] == prompts[3]  # the repo question, again
    out = capsys.readouterr().out
    assert "'acme' is not owner/name; try again." in out
    assert "'x' is not a number; try again." in out


def test_interactive_needs_at_least_one_source(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _answers(monkeypatch, ["", "", "", "", "a/b", "", "", ""])
    assert cli.main(["init"]) == 0
    assert "Add at least one GitHub repository or Jira project." in capsys.readouterr().out
    assert config.load().sources[0].repos == ("a/b",)


def test_interactive_defaults_come_from_flags(monkeypatch: pytest.MonkeyPatch) -> None:
    prompts = _answers(monkeypatch, [""] * 6)
    assert cli.main(["init", "--title", "T", "--me", "lee", "--github", "a/b"]) == 0
    assert prompts[:3] == [
        "Board title [T]: ",
        "Your user names on the trackers, comma-separated [lee]: ",
        "GitHub repositories as owner/name (Enter to skip) [a/b]: ",
    ]


def test_insights_repo_flag_sets_up_the_repository_store(monkeypatch: pytest.MonkeyPatch) -> None:
    argv = ["init", "--non-interactive", "--github", "acme/web", "--insights-repo", "acme/team"]
    assert cli.main(argv) == 0
    repo = config.load().board.insights_repo
    assert repo and (repo.repo, repo.branch, repo.source) == ("acme/team", "main", "web")
    assert cli.main([*argv[:-1], "acme", "--force"]) == 2


def test_input_ending_early_stops_without_writing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _answers(monkeypatch, ["Title"])
    assert cli.main(["init"]) == 1
    assert "init stopped: input ended" in capsys.readouterr().err
    assert not config_path().exists()


def test_written_file_has_no_secrets_and_says_where_tokens_go(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GH_TOKEN", "ghp_must_not_appear")
    assert cli.main(["init", "--non-interactive", "--github", "a/b"]) == 0
    text = config_path().read_text(encoding="utf-8")
    assert "ghp_must_not_appear" not in text
    assert "pullboard auth set SOURCE" in text
    assert oct(os.stat(config_path()).st_mode & 0o777) in ("0o644", "0o600", "0o664")


def test_each_source_gets_its_own_table_header() -> None:
    from pullboard.cli.init import Answers, render

    text = render(
        Answers(github=("a/b",), jira_url="https://x.atlassian.net", jira_projects=("P",))
    )
    assert text.count("\n[[source]]\n") == 2 and "source = [" not in text


def test_a_non_atlassian_jira_url_asks_cloud_or_server_and_server_needs_no_email(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prompts = _answers(monkeypatch, ["", "", "", "https://jira.acme.io", "server", "PAY", ""])
    assert cli.main(["init"]) == 0
    (jira,) = config.load().sources
    assert (jira.flavor, jira.email) == ("server", "")
    assert (
        prompts[4] == "Is this Jira Cloud or Jira Server / Data Center? (cloud/server) [server]: "
    )
    assert not any("e-mail" in p for p in prompts), "Server takes a token alone"
    assert "email" not in config_path().read_text(encoding="utf-8")


def test_a_cloud_site_on_its_own_domain_is_asked_for_the_email(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _answers(monkeypatch, ["", "", "", "https://jira.acme.io", "cloud", "PAY", "dana@acme.io", ""])
    assert cli.main(["init"]) == 0
    (jira,) = config.load().sources
    assert (jira.flavor, jira.email, jira.cloud) == ("cloud", "dana@acme.io", True)


def test_an_atlassian_url_is_cloud_without_asking(monkeypatch: pytest.MonkeyPatch) -> None:
    prompts = _answers(
        monkeypatch, ["", "", "", "https://acme.atlassian.net", "PAY", "dana@acme.io", ""]
    )
    assert cli.main(["init"]) == 0
    assert not any("Cloud or Jira Server" in p for p in prompts)
    assert config.load().sources[0].email == "dana@acme.io"


def test_flags_refuse_an_email_that_server_would_never_use(
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = ["--jira-url", "https://jira.acme.io", "--jira-project", "PAY"]
    assert cli.main(["init", "--non-interactive", *server, "--jira-email", "d@acme.io"]) == 2
    assert (
        "pullboard: --jira-email: only Jira Cloud uses the e-mail, and 'https://jira.acme.io' "
        "looks like Jira Server / Data Center; drop it, or add --jira-flavor cloud"
    ) in capsys.readouterr().err
    assert not config_path().exists()
    flags = [*server, "--jira-email", "d@acme.io", "--jira-flavor", "cloud"]
    assert cli.main(["init", "--non-interactive", *flags]) == 0
    (jira,) = config.load().sources
    assert (jira.flavor, jira.email) == ("cloud", "d@acme.io")


def test_force_over_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "pullboard", "init", "--non-interactive", "--force",
         "--config", str(fifo), "--github", "a/b"],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr == (
        f"pullboard: Can't write {fifo}: it is a named pipe (FIFO), not a regular file.\n"
    )


SECRET = "ghp_" + "A1b2" * 9
"""A GitHub token's shape (not a real one): what a paste into the wrong flag looks like."""


@pytest.mark.parametrize(
    ("flags", "flag"),
    [
        (["--title", SECRET], "--title"),
        (["--me", "dana", "--me", SECRET], "--me"),
        (["--jira-url", "https://acme.atlassian.net", "--jira-project", "PAY",
          "--jira-email", f"{SECRET}@acme.io"], "--jira-email"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("interactive", [False, True])
def test_token_shaped_flags_exit_2_never_echoed(
    flags: list[str],
    flag: str,
    interactive: bool,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    prompts = _answers(monkeypatch, [""] * 10)
    mode = [] if interactive else ["--non-interactive"]
    assert cli.main(["init", *mode, "--github", "a/b", *flags]) == 2
    out, err = capsys.readouterr()
    assert f"pullboard: {flag}: that looks like a token" in err
    assert "pullboard auth set" in err
    assert prompts == []  # refused before a prompt could show it as a default
    assert SECRET[4:12] not in out + err
    assert not config_path().exists()


def test_interactive_refuses_a_token_shaped_answer(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    prompts = _answers(monkeypatch, [SECRET, "Team", "dana", "a/b", "", "", ""])
    assert cli.main(["init"]) == 0
    assert prompts[0] == prompts[1]  # the title, asked again
    out = capsys.readouterr().out
    assert "that looks like a token" in out
    assert SECRET[4:12] not in out
    assert config.load().board.title == "Team"
    assert SECRET not in config_path().read_text(encoding="utf-8")
