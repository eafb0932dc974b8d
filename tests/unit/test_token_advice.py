"""What to do about a missing or rejected token, said once for doctor, export and the board:
a variable that holds a bad token must be fixed or unset (it wins over the keyring), and on a
host without a keyring (over SSH) the variable is the way to set one."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend

from pullboard import auth
from pullboard.config import SourceConfig

SHOP = SourceConfig(
    name="shop", kind="github", url="https://api.github.com", repos=("a/b",), token_env="SHOP_TOKEN"
)


class DesktopKeyring(KeyringBackend):
    """A working keyring, as on a desktop session (empty: nothing stored yet)."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        pass

    def delete_password(self, service: str, username: str) -> None:
        pass


@pytest.fixture
def desktop(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    keyring.set_keyring(DesktopKeyring())
    yield


def test_a_rejected_token_from_a_variable_is_fixed_or_unset_there(desktop: None) -> None:
    advice = auth.token_advice(SHOP, found=True, env="SHOP_TOKEN")
    assert advice == (
        "Fix or unset $SHOP_TOKEN: pullboard reads it before the keyring, so "
        "`pullboard auth set shop` can't replace it while it is set."
    )


def test_on_a_desktop_the_keyring_comes_first(desktop: None) -> None:
    assert auth.token_advice(SHOP, found=False) == (
        "Set a token with `pullboard auth set shop` or the variable SHOP_TOKEN or GH_TOKEN or "
        "GITHUB_TOKEN."
    )
    assert auth.token_advice(SHOP, found=True).startswith("Replace it with `pullboard auth set")


def test_over_ssh_the_variable_comes_first(desktop: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.2 52000 10.0.0.1 22")
    assert auth.token_advice(SHOP, found=False) == (
        "Set a token with `export SHOP_TOKEN=<token>` in your shell profile (this is an SSH "
        "session: `pullboard auth set shop` needs a desktop keyring)."
    )


def test_without_a_keyring_the_variable_comes_first() -> None:
    assert auth.token_advice(SHOP, found=True) == (
        "Replace it with `export SHOP_TOKEN=<token>` in your shell profile (this host has no "
        "usable keyring: `pullboard auth set shop` needs a desktop keyring)."
    )


def test_the_token_says_which_variable_it_came_from(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GH_TOKEN", "ghp_x")
    token = auth.find_token(SHOP)
    assert token is not None and token.env == "GH_TOKEN"
