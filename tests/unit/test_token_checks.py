"""A token is checked where it is found: a sloppy paste is refused by where it came from,
never echoed, and never reaches an HTTP header (where the library would quote it back)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import keyring
import pytest
from test_auth import MemoryKeyring, fake_gh

from pullboard import auth, cli
from pullboard.config import SourceConfig
from pullboard.errors import AuthFailed

SHOP = SourceConfig(name="shop", kind="github", url="https://api.github.com", repos=("a/b",))
SECRET = "ghp_fakeTokenForTests0123456789abcdef"

BAD = [
    pytest.param(SECRET[:10] + "\n" + SECRET[10:], "contains a line break", id="newline"),
    pytest.param(SECRET[:10] + "\r" + SECRET[10:], "contains a line break", id="cr"),
    pytest.param(
        SECRET[:5] + "\x07" + SECRET[5:], "contains a control character (U+0007)", id="bell"
    ),
    pytest.param(
        SECRET[:5] + "\u200b" + SECRET[5:],
        "contains a non-ASCII character (U+200B ZERO WIDTH SPACE)",
        id="zero-width",
    ),
    pytest.param(
        SECRET[:5] + "é" + SECRET[5:],
        "contains a non-ASCII character (U+00E9 LATIN SMALL LETTER E WITH ACUTE)",
        id="accent",
    ),
]

Put = Callable[[pytest.MonkeyPatch, Path, str], None]


def _env(mp: pytest.MonkeyPatch, tmp: Path, value: str) -> None:
    mp.setenv("GITHUB_TOKEN", value)


def _gh(mp: pytest.MonkeyPatch, tmp: Path, value: str) -> None:
    fake_gh(tmp / "bin", "github.com", "", script=f"printf '%s\\n' '{value}'\n")


def _keyring(mp: pytest.MonkeyPatch, tmp: Path, value: str) -> None:
    backend = MemoryKeyring()
    backend.set_password("pullboard", "shop", value)
    keyring.set_keyring(backend)


def _netrc(mp: pytest.MonkeyPatch, tmp: Path, value: str) -> None:
    path = tmp / "home" / ".netrc"
    path.write_text(f"machine api.github.com login me password {value}\n", encoding="utf-8")
    path.chmod(0o600)


ROUTES = [
    pytest.param(_env, "the token in $GITHUB_TOKEN", "set $GITHUB_TOKEN again", id="env"),
    pytest.param(
        _gh, "the token from `gh auth token --hostname github.com`", "gh auth login", id="gh"
    ),
    pytest.param(
        _keyring, "the token stored in the keyring (pullboard/shop)", "pullboard auth set shop",
        id="keyring",
    ),
    pytest.param(
        _netrc, "the password for machine api.github.com in ~/.netrc", "correct that line",
        id="netrc",
    ),
]  # fmt: skip


CASES = [
    pytest.param(*route.values, *bad.values, id=f"{route.id}-{bad.id}")
    for route in ROUTES
    for bad in BAD
    # gh prints one token per line and netrc splits on whitespace: neither holds a break
    if not (route.id in ("gh", "netrc") and bad.id in ("newline", "cr"))
]


@pytest.mark.parametrize(("put", "place", "fix", "value", "problem"), CASES)
def test_a_bad_token_is_refused_naming_where_it_came_from(
    put: Put,
    place: str,
    fix: str,
    value: str,
    problem: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    put(monkeypatch, tmp_path, value)
    with pytest.raises(AuthFailed) as caught:
        auth.find_token(SHOP)
    message = str(caught.value)
    assert message.startswith(f"shop: {place} {problem}; "), message
    assert fix in message
    assert SECRET[:12] not in message and SECRET[-12:] not in message


@pytest.mark.parametrize(("put", "place", "fix"), ROUTES)
def test_surrounding_whitespace_is_not_a_problem(
    put: Put, place: str, fix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    put(monkeypatch, tmp_path, f"  {SECRET}\t" if put is not _netrc else SECRET)
    token = auth.find_token(SHOP)
    assert token is not None and token.value == SECRET


@pytest.mark.parametrize(("value", "problem"), BAD[2:])
def test_auth_set_refuses_a_bad_token_and_stores_nothing(
    value: str,
    problem: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    config = tmp_path / "config.toml"
    config.write_text('[[source]]\nname = "shop"\nkind = "github"\nrepo = "a/b"\n', "utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO(value + "\n"))
    assert cli.main(["auth", "set", "shop", "--config", str(config)]) == 1
    out, err = capsys.readouterr()
    assert err == f"pullboard: The token given for shop {problem}; nothing was stored.\n"
    assert memory.items == {}
    assert SECRET[:12] not in out + err


def test_auth_set_notes_an_unusable_variable_that_would_still_win(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    keyring.set_keyring(MemoryKeyring())
    config = tmp_path / "config.toml"
    config.write_text('[[source]]\nname = "shop"\nkind = "github"\nrepo = "a/b"\n', "utf-8")
    monkeypatch.setenv("GH_TOKEN", SECRET + "\n" + SECRET)
    monkeypatch.setattr("sys.stdin", io.StringIO("ghp_good0123\n"))
    assert cli.main(["auth", "set", "shop", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "Stored the token for shop" in out
    assert "the token in $GH_TOKEN contains a line break" in out
    assert SECRET[:12] not in out
