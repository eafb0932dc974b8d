"""`pullboard doctor` and `auth status` against fake GitHub and Jira servers on 127.0.0.1."""

from __future__ import annotations

import io
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes.github_server import TOKEN
from fakes.identity import GitHubWithUser, JiraWithMyself
from fakes.jira_server import EMAIL
from fakes.jira_server import TOKEN as JIRA_TOKEN
from needs import needs, needs_root

from pullboard import cli
from pullboard.cli import doctor
from pullboard.config import SourceConfig


@pytest.fixture
def github() -> Iterator[GitHubWithUser]:
    with GitHubWithUser(prefix="/api/v3", token=TOKEN) as fake:
        yield fake


@pytest.fixture
def jira() -> Iterator[JiraWithMyself]:
    """Jira Data Center under /jira, wanting a Bearer personal access token."""
    with JiraWithMyself("server", context="/jira") as fake:
        yield fake


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_config(tmp_path: Path, *sources: str, board: str = "") -> Path:
    path = tmp_path / "config.toml"
    text = f'[board]\ntitle = "t"\ninsights = "{tmp_path / "insights.toml"}"\n{board}'
    path.write_text(text + "".join(sources), encoding="utf-8")
    return path


def gh_source(url: str, name: str = "shop", extra: str = "") -> str:
    return (
        f'[[source]]\nname = "{name}"\nkind = "github"\nurl = "{url}"\nrepo = "acme/shop"\n{extra}'
    )


def jira_source(url: str, name: str = "pay", extra: str = "") -> str:
    return f'[[source]]\nname = "{name}"\nkind = "jira"\nurl = "{url}"\nproject = "PAY"\n{extra}'


def gh_source_config() -> SourceConfig:
    return SourceConfig(name="shop", kind="github", url="https://api.github.com", repos=("a/b",))


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    code = cli.main(args)
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


@pytest.fixture(autouse=True)
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A good terminal, so only the checks under test decide the exit code."""
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.delenv("NO_COLOR", raising=False)


def test_all_good_exits_0_with_identities(
    github: GitHubWithUser,
    jira: JiraWithMyself,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", TOKEN)
    monkeypatch.setenv("JIRA_API_TOKEN", JIRA_TOKEN)
    path = write_config(tmp_path, gh_source(github.url), jira_source(jira.url))
    code, lines, err = run(["doctor", "--config", str(path)], capsys)
    assert code == 0, lines
    host = github.origin.removeprefix("http://")
    assert lines[:5] == [
        f"✓ config {path} is valid (2 sources)",
        "✓ shop: token from environment variable GH_ENTERPRISE_TOKEN",
        f"✓ shop: {host} accepts the token: signed in as octocat (The Octocat); "
        "4,999 of 5,000 requests left",
        "✓ pay: token from environment variable JIRA_API_TOKEN",
        f"✓ pay: {jira.url.removeprefix('http://').removesuffix('/jira')} accepts the token: "
        "signed in as Mia Krystof (mia@example.com)",
    ]
    assert f"✓ insights file {tmp_path / 'insights.toml'} is readable and writable" in lines[5]
    assert lines[6].startswith("✓ cache dir ")
    assert lines[7] == "✓ TERM=xterm-256color, COLORTERM=truecolor: 24-bit colour"
    assert err == ""
    assert [(h.path, h.headers["authorization"]) for h in jira.log] == [
        ("/rest/api/2/myself", f"Bearer {JIRA_TOKEN}")
    ]
    for text in (TOKEN, JIRA_TOKEN):
        assert text not in "\n".join(lines)


def test_rejected_tokens_fail_with_the_fix(
    github: GitHubWithUser,
    jira: JiraWithMyself,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", "ghp_revoked")
    monkeypatch.setenv("JIRA_API_TOKEN", "wrong")
    path = write_config(tmp_path, gh_source(github.url), jira_source(jira.url))
    code, lines, _ = run(["doctor", "--config", str(path)], capsys)
    assert code == 1
    assert (
        "✗ shop: the server rejected the token from environment variable GH_ENTERPRISE_TOKEN "
        '(401). The server said: "Bad credentials". Fix or unset $GH_ENTERPRISE_TOKEN: '
        "pullboard reads it before the keyring, so `pullboard auth set shop` can't replace it "
        "while it is set." in lines
    )
    assert (
        "✗ pay: the server rejected the token from environment variable JIRA_API_TOKEN (401). "
        'The server said: "You are not authenticated. Authentication required to perform this '
        'operation.". Fix or unset $JIRA_API_TOKEN: pullboard reads it before the keyring, so '
        "`pullboard auth set pay` can't replace it while it is set." in lines
    )
    assert "ghp_revoked" not in "\n".join(lines)


def test_jira_cloud_sends_email_and_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PAY_TOKEN", JIRA_TOKEN)
    with JiraWithMyself("cloud") as jira:
        extra = f'flavor = "cloud"\nemail = "{EMAIL}"\ntoken_env = "PAY_TOKEN"\n'
        path = write_config(tmp_path, jira_source(jira.url, extra=extra))
        code, lines, _ = run(["auth", "status", "--config", str(path)], capsys)
    assert code == 0
    assert lines[1].endswith(f"accepts the token: signed in as Mia Krystof ({EMAIL})")
    assert [h.path for h in jira.log] == ["/rest/api/3/myself"]
    assert jira.log[0].headers["authorization"].startswith("Basic ")


def test_jira_cloud_without_email_says_what_to_add(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JIRA_API_TOKEN", JIRA_TOKEN)
    path = write_config(tmp_path, jira_source("http://127.0.0.1:9", extra='flavor = "cloud"\n'))
    code, lines, _ = run(["auth", "status", "--config", str(path)], capsys)
    assert code == 1
    assert lines[1].startswith("✗ pay: Jira Cloud takes the API token together with the account")
    assert 'add email = "you@example.com"' in lines[1]


def test_missing_tokens_and_unreachable_hosts(
    github: GitHubWithUser, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dead = f"http://127.0.0.1:{closed_port()}"
    path = write_config(
        tmp_path, gh_source(github.url), jira_source(dead), gh_source(dead + "/api/v3", "web")
    )
    code, lines, _ = run(["doctor", "--config", str(path)], capsys)
    assert code == 1
    text = "\n".join(lines)
    assert (
        "✗ shop: no token found (looked at $GH_ENTERPRISE_TOKEN, gh auth token --hostname "
        "127.0.0.1, keyring (pullboard/shop), ~/.netrc (127.0.0.1)) → Set a token with "
        "`export GH_ENTERPRISE_TOKEN=<token>` in your shell profile (this host has no usable "
        "keyring: `pullboard auth set shop` needs a desktop keyring)."
    ) in lines
    assert (
        f"✓ shop: {github.origin.removeprefix('http://')} is reachable (anonymous access)" in lines
    )
    assert "✗ pay: no token found (looked at $JIRA_API_TOKEN, keyring" in text
    assert f"✗ pay: Couldn't connect to {dead.removeprefix('http://')}: connection refused" in text
    assert "✗ web: Couldn't connect to" in text


def test_public_github_without_token_is_only_a_warning() -> None:
    from pullboard.config import SourceConfig

    source = SourceConfig(name="oss", kind="github", url="https://api.github.com")
    check = doctor._token_check(source, None)
    assert check.mark is doctor.Mark.WARN
    assert "public repos only, 60 requests/hour" in check.what


def test_rate_limited_token_is_a_warning(
    github: GitHubWithUser,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", TOKEN)
    github.rate_remaining = 0
    github.fail("/user", 403, headers={"X-RateLimit-Remaining": "0"},
                body={"message": "API rate limit exceeded"})  # fmt: skip
    path = write_config(tmp_path, gh_source(github.url))
    code, lines, _ = run(["auth", "status", "shop", "--config", str(path)], capsys)
    assert code == 0
    assert lines[1].startswith("! shop: the 127.0.0.1:") and "rate limit is used up" in lines[1]


def test_config_problems_are_all_listed_and_sources_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[board]\ntitel = "x"\n[[source]]\nname = "a"\nkind = "github"\n'
        '[[source]]\nname = "a"\nkind = "jira"\nurl = "ftp://x"\nproject = "P"\n',
        encoding="utf-8",
    )
    code, lines, err = run(["doctor", "--config", str(path)], capsys)
    assert code == 1
    problems = [line for line in lines if line.startswith(f"✗ {path}")]
    assert [p.split(": ")[1] for p in problems] == [
        "board.titel",
        "source[0].repo",
        "source[1].name",
        "source[1].url",
    ]
    assert not any("token" in line for line in lines)
    assert "Traceback" not in err


def test_missing_config_points_at_init(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = run(["doctor", "--config", str(tmp_path / "none.toml")], capsys)
    assert code == 1
    assert lines[0] == (
        f"✗ {tmp_path / 'none.toml'}: no config file. "
        "Run `pullboard init` to create one, or try `--demo`."
    )


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p.mkdir(), "it is a folder, not a regular file"),
        (lambda p: p.write_text("not = [toml", encoding="utf-8"), "insights file: "),
    ],
    ids=["directory", "not-toml"],
)
def test_insights_file_unreadable(make: Any, expected: str, tmp_path: Path) -> None:
    make(tmp_path / "insights.toml")
    check = doctor._insights(tmp_path / "insights.toml")
    assert check.mark is doctor.Mark.FAIL
    assert expected in check.what


def test_insights_file_with_one_bad_insight_warns(tmp_path: Path) -> None:
    path = tmp_path / "insights.toml"
    path.write_text("version = 1\n[[insight]]\nid = 5\n", encoding="utf-8")
    check = doctor._insights(path)
    assert check.mark is doctor.Mark.WARN
    assert (
        "(0 insights; only " in check.what
        and "can write it); 3 problems, the first: " in check.what
    )


def test_cache_dir_not_writable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    check = doctor._cache([])
    assert check.mark is doctor.Mark.FAIL
    assert check.what == f"cache dir {blocker} is not writable: it is a file, not a folder"
    assert "XDG_CACHE_HOME" in check.fix


def test_cache_snapshots_path_that_is_a_file_fails(tmp_path: Path) -> None:
    snapshots = tmp_path / "xdg" / "cache" / "pullboard" / "snapshots"
    snapshots.parent.mkdir()
    snapshots.write_text("not a folder", encoding="utf-8")
    check = doctor._cache([])
    assert check.mark is doctor.Mark.FAIL
    assert check.what == f"cache dir {snapshots} is not writable: it is a file, not a folder"
    assert "move that file away" in check.fix
    assert snapshots.read_text(encoding="utf-8") == "not a folder"


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs filled to the last byte: creating a file there still works, writing
    to it does not (so only a real write finds out)."""
    needs_root("mounting a small tmpfs to fill it")
    mount, umount = needs("mount", "umount", package="mount")
    folder = tmp_path / "full"
    folder.mkdir()
    subprocess.run([mount, "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], check=True)
    try:
        with open(folder / "filler", "wb", buffering=0) as filler, pytest.raises(OSError):
            while True:
                filler.write(b"x" * 4096)
        yield folder
    finally:
        subprocess.run([umount, str(folder)], check=True)


def test_cache_on_a_full_disk_fails(full_disk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(full_disk))
    check = doctor._cache([gh_source_config()])
    assert check.mark is doctor.Mark.FAIL
    snapshots = full_disk / "pullboard" / "snapshots"
    assert check.what == f"cache dir {snapshots} is not writable: no space left on device"
    assert "free some space" in check.fix
    assert [p.name for p in snapshots.iterdir()] == []  # the probe removed its file


def test_cache_check_writes_in_every_folder_it_uses(tmp_path: Path) -> None:
    source = gh_source_config()
    check = doctor._cache([source])
    assert check.mark is doctor.Mark.PASS
    cache = tmp_path / "xdg" / "cache" / "pullboard"
    assert check.what == f"cache dir {cache} is writable"
    assert (cache / "snapshots").is_dir()
    assert [p for p in (cache / "http").rglob("*") if p.is_file()] == []


@pytest.mark.parametrize(
    ("env", "size", "marks", "words"),
    [
        ({"TERM": "xterm-256color"}, (120, 40), ["✓", "✓"], ["256 colours", "120x40"]),
        ({"TERM": "xterm", "COLORTERM": "truecolor"}, (80, 24), ["✓", "✓"], ["24-bit", "80x24"]),
        ({"TERM": "vt100"}, (80, 24), ["!", "✓"], ["maybe only 16 colours"]),
        ({"TERM": "dumb"}, (80, 24), ["!", "✓"], ["TERM is dumb", "export TERM="]),
        ({}, (79, 30), ["!", "!"], ["TERM is unset", "79x30, smaller than 80x24"]),
        ({"TERM": "screen-256color", "NO_COLOR": "1"}, (100, 20), ["✓", "!", "!"],
         ["NO_COLOR", "100x20"]),
    ],
)  # fmt: skip
def test_terminal_checks(
    env: dict[str, str],
    size: tuple[int, int],
    marks: list[str],
    words: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for var in ("TERM", "COLORTERM", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.setattr(doctor.shutil, "get_terminal_size", lambda: size)
    checks = doctor.terminal()
    assert [c.mark.value[0] for c in checks] == marks
    text = " ".join(c.render() for c in checks)
    for word in words:
        assert word in text


def test_report_falls_back_to_ascii() -> None:
    stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    checks = [doctor.Check(doctor.Mark.PASS, "fine"), doctor.Check(doctor.Mark.FAIL, "bad", "fix")]
    assert doctor.report(checks, stream) == 1
    stream.seek(0)
    assert stream.read() == "ok fine\nXX bad -> fix\n"


def test_auth_status_for_one_source(
    github: GitHubWithUser,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SHOP_TOKEN", TOKEN)
    path = write_config(
        tmp_path,
        gh_source(github.url, extra='token_env = "SHOP_TOKEN"\n'),
        jira_source("http://127.0.0.1:9"),
    )
    code, lines, _ = run(["auth", "status", "shop", "--config", str(path)], capsys)
    assert code == 0
    assert lines[0] == "✓ shop: token from environment variable SHOP_TOKEN"
    assert "signed in as octocat" in lines[1]
    assert len(lines) == 2
    assert [h.path for h in github.hits()] == ["/api/v3/user"]
