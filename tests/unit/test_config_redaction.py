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
