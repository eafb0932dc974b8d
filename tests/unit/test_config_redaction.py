"""Every echo of a config value goes through one redaction: a token pasted into the wrong key
(or a URL) is never printed back, and config text can't drive the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from pullboard import cli, config
from pullboard.errors import ConfigError

SECRET = "ghp_supersecret0123456789abcdefABCDEF"
HEAD = '[[source]]\nname = "shop"\nkind = "github"\nrepo = "acme/shop"\n'


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        config.load(path)
    return caught.value.problems


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (HEAD + f'url = "https://user:{SECRET}@host:notaport"\n', "'https://***@host:notaport'"),
        (HEAD + f'url = "https://ghe.example/api/v3?access_token={SECRET}"\n', "access_token=***"),
        (HEAD + f'url = "https://ghe.example/api/v3?x=1&token={SECRET}"\n', "&token=***"),
        (HEAD + f'url = "ftp://ghe.example/{SECRET}"\n', "'ftp://ghe.example/***'"),
        (HEAD.replace("acme/shop", SECRET), "got '***'"),
        (HEAD + f'milestones = "{SECRET}"\n', "got '***'"),
        (HEAD + f"labels = {SECRET[4:20]}\n", ""),  # not TOML: the value is never quoted
        ('[[source]]\nname = "pay"\nkind = "jira"\nurl = "https://a.atlassian.net"\n'
         f'project = "PAY"\nemail = "{SECRET}"\n', "got '***'"),
        (f'[[source]]\nname = "x"\nkind = "{SECRET}"\n', "got '***'"),
        (HEAD + f'token_env = "{SECRET}"\n', "NAME of an environment variable"),
    ],
    ids=["userinfo-bad-port", "access-token", "token-param", "scheme", "repo", "milestones",
         "not-toml", "email", "kind", "token-env"],
)  # fmt: skip
def test_token_shaped_values_are_redacted_in_every_echo(
    tmp_path: Path, text: str, shown: str
) -> None:
    found = problems(tmp_path, text)
    joined = "\n".join(found)
    assert SECRET[4:16] not in joined and SECRET[-10:] not in joined, joined
    assert shown in joined


def test_init_never_echoes_a_token_in_the_url(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"https://ghe.example/api/v3?token={SECRET}"
    assert cli.main(["init", "--non-interactive", "--github", "a/b", "--github-url", url]) == 2
    out, err = capsys.readouterr()
    assert "--github-url: " in err and "?token=***" in err
    assert SECRET[4:16] not in out + err


def test_config_text_is_cleaned_where_it_enters(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[board]\ntitle = "Team \\u001b]0;pwned\\u0007\\u202e"\nme = ["dana\\u200b"]\n'
        + HEAD
        + 'labels = ["urgent\\u001b[31m"]\n',
        encoding="utf-8",
    )
    loaded = config.load(path)
    assert loaded.board.title == "Team ␛]0;pwned␇⟨U+202E⟩"
    assert loaded.board.me == ("dana⟨U+200B⟩",)
    assert loaded.sources[0].labels == ("urgent␛[31m",)


def test_a_url_with_invisible_characters_is_refused(tmp_path: Path) -> None:
    found = problems(tmp_path, HEAD + 'url = "https://ghe.example/api/v3\\u202e"\n')
    assert len(found) == 1 and "source[0].url" in found[0]
    assert "\u202e" not in found[0] and "⟨U+202E⟩" in found[0]


JIRA_HEAD = '[[source]]\nname = "pay"\nkind = "jira"\nurl = "https://a.atlassian.net"\n'


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        (HEAD.replace('"shop"', f'"{SECRET}"'), 2, "source[0].name"),
        (f'[board]\ntitle = "{SECRET}"\n' + HEAD, 2, "board.title"),
        (f'[board]\nme = ["dana", "{SECRET}"]\n' + HEAD, 2, "board.me"),
        (HEAD + f'labels = ["urgent", "{SECRET}"]\n', 5, "source[0].labels"),
        (HEAD.replace("acme/shop", f"acme/{SECRET}"), 4, "source[0].repo"),
        (JIRA_HEAD + f'project = "{SECRET}"\n', 5, "source[0].project"),
        (JIRA_HEAD + f'project = "PAY"\nemail = "{SECRET}@acme.io"\n', 6, "source[0].email"),
    ],
    ids=["source-name", "title", "me", "label", "repo", "project", "email"],
)
def test_a_token_shaped_name_is_a_config_error_never_echoed(
    tmp_path: Path, text: str, line: int, key: str
) -> None:
    found = problems(tmp_path, text)
    assert len(found) == 1, found
    assert found[0].startswith(f"{tmp_path / 'config.toml'}, line {line}: {key}: "), found[0]
    assert "looks like a token" in found[0] and "pullboard auth set" in found[0]
    assert SECRET[4:16] not in found[0] and "***" not in found[0]


def test_a_token_shaped_source_name_stops_export_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(HEAD.replace('"shop"', f'"{SECRET}"'), encoding="utf-8")
    assert cli.main(["export", "--offline", "--config", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert f"{path}, line 2: source[0].name: " in err
    assert SECRET[4:16] not in err


@pytest.mark.parametrize("char", ["\\u200b", "\\r", "\\n", "\\t", "\\u0007", "\\u2028", "\\u202e"])
def test_an_email_with_control_or_format_characters_is_a_config_error(
    tmp_path: Path, char: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        JIRA_HEAD + f'project = "PAY"\nemail = "dana{char}@acme.io"\n', encoding="utf-8"
    )
    assert cli.main(["export", "--offline", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}, line 6: source[0].email: " in err
    assert "invisible or control characters" in err
    raw = char.encode().decode("unicode_escape")
    assert raw not in err.rstrip("\n")
