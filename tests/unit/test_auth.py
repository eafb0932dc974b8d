"""Token lookup order, keyring edge cases and `auth set|clear` without a real Secret Service."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import KeyringLocked, PasswordDeleteError

from pullboard import auth, cli
from pullboard.auth import chain, keystore
from pullboard.config import SourceConfig

GITHUB = SourceConfig(
    name="shop", kind="github", url="https://api.github.com", repos=("a/b",), token_env="SHOP_TOKEN"
)
ENTERPRISE = SourceConfig(
    name="ghe", kind="github", url="https://ghe.example/api/v3", repos=("a/b",), token_env="GHE_T"
)
JIRA = SourceConfig(
    name="pay", kind="jira", url="https://acme.atlassian.net", projects=("PAY",), token_env="PAY_T"
)


class MemoryKeyring(KeyringBackend):
    """A working keyring held in memory (the real Secret Service runs in test_keyring_real)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.items.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


class LockedKeyring(MemoryKeyring):
    """A keyring the user didn't unlock: every call raises."""

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("locked")


@pytest.fixture
def memory() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend


def fake_gh(bin_dir: Path, host: str, token: str, *, script: str = "") -> None:
    """A `gh` that prints `token` only for `gh auth token --hostname HOST`."""
    body = script or (
        f'[ "$1 $2 $3 $4" = "auth token --hostname {host}" ] && echo {token} && exit 0\nexit 1\n'
    )
    gh = bin_dir / "gh"
    gh.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    gh.chmod(0o755)


Place = Callable[[pytest.MonkeyPatch, Path, SourceConfig], None]


def _env(name: str) -> Place:
    return lambda mp, tmp, source: mp.setenv(name, f"from-{name}")


def _gh(mp: pytest.MonkeyPatch, tmp: Path, source: SourceConfig) -> None:
    fake_gh(tmp / "bin", auth.web_host(source), "from-gh")


def _keyring(mp: pytest.MonkeyPatch, tmp: Path, source: SourceConfig) -> None:
    backend = MemoryKeyring()
    backend.set_password("pullboard", source.name, "from-keyring")
    keyring.set_keyring(backend)


def _netrc(host: str) -> Place:
    def put(mp: pytest.MonkeyPatch, tmp: Path, source: SourceConfig) -> None:
        path = tmp / "home" / ".netrc"
        path.write_text(f"machine {host}\n  login me\n  password from-netrc\n", encoding="utf-8")
        path.chmod(0o600)  # a netrc others can read is refused
        path.chmod(0o600)

    return put


ORDERS = [
    (GITHUB, [("SHOP_TOKEN", _env("SHOP_TOKEN")), ("GH_TOKEN", _env("GH_TOKEN")),
              ("GITHUB_TOKEN", _env("GITHUB_TOKEN")), ("gh", _gh), ("keyring", _keyring),
              ("netrc", _netrc("api.github.com"))]),
    (ENTERPRISE, [("GHE_T", _env("GHE_T")), ("GH_ENTERPRISE_TOKEN", _env("GH_ENTERPRISE_TOKEN")),
                  ("gh", _gh), ("keyring", _keyring), ("netrc", _netrc("ghe.example"))]),
    (JIRA, [("PAY_T", _env("PAY_T")), ("JIRA_API_TOKEN", _env("JIRA_API_TOKEN")),
            ("keyring", _keyring), ("netrc", _netrc("acme.atlassian.net"))]),
]  # fmt: skip
CASES = [
    pytest.param(source, places[start:], id=f"{source.name}-{places[start][0]}")
    for source, places in ORDERS
    for start in range(len(places))
]


@pytest.mark.parametrize(("source", "places"), CASES)
def test_lookup_order_first_place_that_has_a_token_wins(
    source: SourceConfig,
    places: list[tuple[str, Place]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for _, setup in places:
        setup(monkeypatch, tmp_path, source)
    token = auth.find_token(source)
    assert token is not None
    expected = places[0][0]
    assert token.value == {"gh": "from-gh", "keyring": "from-keyring", "netrc": "from-netrc"}.get(
        expected, f"from-{expected}"
    )
    assert expected.replace("netrc", ".netrc") in token.where


@pytest.mark.parametrize(
    ("source", "ignored"),
    [
        (ENTERPRISE, "GH_TOKEN"),
        (ENTERPRISE, "GITHUB_TOKEN"),
        (GITHUB, "GH_ENTERPRISE_TOKEN"),
        (GITHUB, "JIRA_API_TOKEN"),
        (JIRA, "GH_TOKEN"),
    ],
)
def test_other_trackers_variables_are_ignored(
    source: SourceConfig, ignored: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ignored, "wrong-place")
    assert auth.find_token(source) is None


def test_gh_is_never_asked_for_jira(tmp_path: Path) -> None:
    fake_gh(tmp_path / "bin", "acme.atlassian.net", "gh-token")
    assert auth.find_token(JIRA) is None


def test_netrc_falls_back_to_web_host(tmp_path: Path) -> None:
    _netrc("github.com")(pytest.MonkeyPatch(), tmp_path, GITHUB)
    token = auth.find_token(GITHUB)
    assert token is not None and token.where == "~/.netrc (machine github.com)"


@pytest.mark.parametrize(
    "script",
    [
        "exit 4\n",  # not logged in
        "echo 'not logged in to any hosts' ; exit 0\n",  # chatter, not a token
        "sh -c 'sleep 5'; echo late\n",  # hangs: the timeout ends it
        "echo\nexit 0\n",  # empty
    ],
    ids=["fails", "chatter", "hangs", "empty"],
)
def test_gh_problems_are_skipped(
    script: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chain, "GH_TIMEOUT", 0.3)
    fake_gh(tmp_path / "bin", "", "", script=script)
    _netrc("api.github.com")(monkeypatch, tmp_path, GITHUB)
    token = auth.find_token(GITHUB)
    assert token is not None and token.value == "from-netrc"


@pytest.mark.parametrize(
    "text",
    ["machine api.github.com login me password", "machine\n", "default"],
    ids=["no-password-value", "no-machine-name", "bare-default"],
)
def test_broken_netrc_is_skipped(text: str, tmp_path: Path) -> None:
    netrc = tmp_path / "home" / ".netrc"
    netrc.write_text(text, encoding="utf-8")
    netrc.chmod(0o600)  # private, so it is parsed (and found broken)
    assert auth.find_token(GITHUB) is None


@pytest.mark.parametrize(
    "backend",
    [fail.Keyring(), null.Keyring(), LockedKeyring()],
    ids=["fail", "null", "locked"],
)
def test_unusable_keyrings_never_break_lookup(backend: KeyringBackend) -> None:
    keyring.set_keyring(backend)
    assert auth.find_token(JIRA) is None


def test_broken_backend_setting_reads_as_no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> KeyringBackend:
        raise ModuleNotFoundError("No module named 'nope'")

    monkeypatch.setattr(keyring, "get_keyring", broken)
    assert keystore.problem() == "the keyring backend can't be loaded (No module named 'nope')"
    assert auth.find_token(JIRA) is None


def test_token_repr_and_str_hide_the_value() -> None:
    token = auth.Token("ghp_secret", "keyring")
    assert "ghp_secret" not in repr(token)
    assert "ghp_secret" not in str(token)
    assert "ghp_secret" not in repr([token])


def test_places_lists_every_step_in_order() -> None:
    assert auth.places(ENTERPRISE) == [
        "$GHE_T",
        "$GH_ENTERPRISE_TOKEN",
        "gh auth token --hostname ghe.example",
        "keyring (pullboard/ghe)",
        "~/.netrc (ghe.example)",
    ]


# -- auth set / clear through the CLI ---------------------------------------------------------


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        '[[source]]\nname = "shop"\nkind = "github"\nrepo = "acme/shop"\n'
        '[[source]]\nname = "pay"\nkind = "jira"\nurl = "https://acme.atlassian.net"\n'
        'project = "PAY"\n',
        encoding="utf-8",
    )
    return path


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_set_reads_piped_stdin_and_stores_in_keyring(
    memory: MemoryKeyring,
    config_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _stdin(monkeypatch, "ghp_piped\n")
    assert cli.main(["auth", "set", "shop", "--config", str(config_file)]) == 0
    assert memory.items == {("pullboard", "shop"): "ghp_piped"}
    out, err = capsys.readouterr()
    assert "Stored the token for shop in the keyring" in out
    assert "ghp_piped" not in out + err
    token = auth.find_token(SourceConfig(name="shop", kind="github", url="https://api.github.com"))
    assert token is not None and token.value == "ghp_piped"


def test_set_on_a_terminal_prompts_without_echo(
    memory: MemoryKeyring, config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    prompts: list[str] = []

    def getpass(prompt: str) -> str:
        prompts.append(prompt)
        return "  typed-token "

    monkeypatch.setattr("sys.stdin", Tty())
    monkeypatch.setattr(chain.getpass, "getpass", getpass)
    assert cli.main(["auth", "set", "pay", "--config", str(config_file)]) == 0
    assert prompts == ["Token for pay (acme.atlassian.net): "]
    assert memory.items[("pullboard", "pay")] == "typed-token"


def test_set_warns_when_an_env_var_still_wins(
    memory: MemoryKeyring,
    config_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GH_TOKEN", "older")
    _stdin(monkeypatch, "newer\n")
    assert cli.main(["auth", "set", "shop", "--config", str(config_file)]) == 0
    assert "environment variable GH_TOKEN is used first" in capsys.readouterr().out


def test_set_with_empty_input_stores_nothing(
    memory: MemoryKeyring,
    config_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _stdin(monkeypatch, "\n")
    assert cli.main(["auth", "set", "shop", "--config", str(config_file)]) == 1
    assert "No token given for shop" in capsys.readouterr().err
    assert memory.items == {}


@pytest.mark.parametrize(
    ("backend", "source", "names"),
    [
        (fail.Keyring(), "shop", "export GH_TOKEN=<token> (or GITHUB_TOKEN)"),
        (null.Keyring(), "shop", "export GH_TOKEN=<token> (or GITHUB_TOKEN)"),
        (fail.Keyring(), "pay", "export JIRA_API_TOKEN=<token>"),
    ],
    ids=["fail-github", "null-github", "fail-jira"],
)
def test_set_without_keyring_offers_the_env_route_and_exits_1(
    backend: KeyringBackend,
    source: str,
    names: str,
    config_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    keyring.set_keyring(backend)
    _stdin(monkeypatch, "never-read\n")
    assert cli.main(["auth", "set", source, "--config", str(config_file)]) == 1
    out, err = capsys.readouterr()
    first = err.splitlines()[0]
    assert first == (
        f"pullboard: Can't store the token for {source}: this machine has no usable keyring "
        "(normal over SSH or without a desktop session)."
    )
    assert names in err
    assert out == ""
    assert "never-read" not in err
    assert sys.stdin.read() == "never-read\n"  # refused before asking


def test_set_with_locked_keyring_says_why(
    config_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    keyring.set_keyring(LockedKeyring())
    _stdin(monkeypatch, "tok\n")
    assert cli.main(["auth", "set", "shop", "--config", str(config_file)]) == 1
    err = capsys.readouterr().err
    assert "the keyring refused to store it (locked)" in err
    assert "export GH_TOKEN" in err


def test_clear(
    memory: MemoryKeyring, config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    memory.set_password("pullboard", "shop", "x")
    assert cli.main(["auth", "clear", "shop", "--config", str(config_file)]) == 0
    assert cli.main(["auth", "clear", "shop", "--config", str(config_file)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Removed the token for shop from the keyring.",
        "No token for shop was stored in the keyring.",
    ]


def test_clear_without_keyring_exits_1(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["auth", "clear", "shop", "--config", str(config_file)]) == 1
    assert "no usable keyring" in capsys.readouterr().err


def test_unknown_source_is_a_usage_error(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["auth", "set", "shp", "--config", str(config_file)]) == 2
    assert "did you mean 'shop'" in capsys.readouterr().err


def test_a_backend_failing_mid_call_never_breaks_lookup() -> None:
    class DbusGone(MemoryKeyring):
        def get_password(self, service: str, username: str) -> str | None:
            raise ConnectionResetError("D-Bus connection lost")

    keyring.set_keyring(DbusGone())
    assert auth.find_token(JIRA) is None
