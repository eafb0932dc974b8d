"""No token on any output: a sloppy token fails only its source, with a sentence naming where
it came from; exception text that quotes a header or a credential never reaches a message."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fakes.github_server import TOKEN
from fakes.identity import GitHubWithUser

from pullboard import cli
from pullboard.cli import entry
from pullboard.errors import SourceError
from pullboard.sources.http import Backoff, HttpClient

BAD = [
    pytest.param(TOKEN[:10] + "\n" + TOKEN[10:], "contains a line break", id="newline"),
    pytest.param(
        TOKEN[:5] + "\u200b" + TOKEN[5:],
        "contains a non-ASCII character (U+200B ZERO WIDTH SPACE)",
        id="zero-width",
    ),
]


@pytest.fixture
def github() -> Iterator[GitHubWithUser]:
    with GitHubWithUser(prefix="/api/v3", token=TOKEN) as fake:
        fake.add_repo("acme/shop")
        fake.add_milestone("acme/shop", "v1.0")
        yield fake


def two_sources(tmp_path: Path, url: str) -> Path:
    """`shop` reads $SHOP_TOKEN, `other` reads $OTHER_TOKEN: same server, one bad token."""
    path = tmp_path / "config.toml"
    path.write_text(
        "".join(
            f'[[source]]\nname = "{name}"\nkind = "github"\nurl = "{url}"\n'
            f'repo = "acme/shop"\ntoken_env = "{name.upper()}_TOKEN"\n'
            for name in ("shop", "other")
        ),
        encoding="utf-8",
    )
    return path


def assert_no_token(*outputs: str) -> None:
    for output in outputs:
        for part in (TOKEN[:12], TOKEN[12:24], TOKEN[-12:]):
            assert part not in output, output


@pytest.mark.parametrize(("bad", "problem"), BAD)
def test_a_bad_token_fails_its_source_only_and_is_never_printed(
    bad: str,
    problem: str,
    github: GitHubWithUser,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = str(two_sources(tmp_path, github.url))
    monkeypatch.setenv("SHOP_TOKEN", bad)
    monkeypatch.setenv("OTHER_TOKEN", TOKEN)
    sentence = (
        f"shop: the token in $SHOP_TOKEN {problem}; "
        "set $SHOP_TOKEN again with the token alone, or unset it."
    )

    assert cli.main(["export", "--config", config]) == 1
    out, err = capsys.readouterr()
    sources = {s["name"]: s for s in json.loads(out)["sources"]}
    assert sources["shop"]["error"] == sentence
    assert sources["other"]["ok"], "the healthy source still delivers"
    assert "internal error" not in err
    assert_no_token(out, err)

    for command in (["doctor"], ["auth", "status"]):
        assert cli.main([*command, "--config", config]) == 1
        out, err = capsys.readouterr()
        assert f"✗ {sentence}" in out.splitlines(), out
        assert "✓ other: token from environment variable OTHER_TOKEN" in out
        assert_no_token(out, err)


async def get_user(url: str, authorization: str) -> None:
    client = HttpClient(
        "shop",
        url,
        headers={"Authorization": authorization},
        backoff=Backoff(attempts=1),
        timeout=httpx.Timeout(5.0),
    )
    try:
        await client.get("user")
    finally:
        await client.aclose()


@pytest.mark.parametrize(
    "header",
    [f"Bearer {TOKEN}\nX: y", f"Bearer {TOKEN[:5]}\u200b{TOKEN[5:]}"],
    ids=["line-break", "non-ascii"],
)
async def test_a_header_the_library_refuses_is_never_quoted(
    header: str, github: GitHubWithUser
) -> None:
    """Defence in depth: were a bad token ever sent, httpx and h11 quote the whole header."""
    with pytest.raises(SourceError) as caught:
        await get_user(github.url, header)
    message = str(caught.value)
    assert message.startswith("shop: pullboard couldn't ") and "127.0.0.1" in message
    assert "a header holds a character HTTP doesn't allow" in message
    assert_no_token(message)


def test_the_last_resort_handler_prints_no_exception_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: object) -> int:
        raise UnicodeEncodeError("ascii", f"Bearer {TOKEN[:5]}\u200b{TOKEN[5:]}", 12, 13, "no")

    monkeypatch.setattr(entry, "cmd_export", broken)
    assert cli.main(["export", "--demo"]) == 1
    out, err = capsys.readouterr()
    log = Path(os.environ["XDG_STATE_HOME"]) / "pullboard" / "crash.log"
    assert err == f"pullboard: internal error (UnicodeEncodeError). Details in {log}\n"
    crash = log.read_text(encoding="utf-8")
    assert "UnicodeEncodeError" in crash and "Traceback" in crash
    assert_no_token(out, err, crash)
