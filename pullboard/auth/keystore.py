"""The OS keyring behind one small door, so a missing or broken keyring never crashes anything.

Over SSH there is normally no Secret Service (no D-Bus session), and `keyring` then picks its
`fail` backend (every call raises) or, when configured so, `null` (silently stores nothing).
Both count as "no keyring" here; callers get None or a `KeyringUnavailable` to explain.

`keyring` is imported only when a token lookup reaches the keyring (it costs about 30 ms of
start-up, which commands that never get here, such as `export --demo` or `pin`, don't pay).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pullboard.errors import PullboardError

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend
    from keyring.errors import KeyringError

SERVICE = "pullboard"
"""Keyring service name; the username is the source name."""


class KeyringUnavailable(PullboardError):
    """No usable keyring backend, or the keyring refused the operation."""


def _backend() -> KeyringBackend:
    """The active backend; a broken `PYTHON_KEYRING_BACKEND` reads as no keyring."""
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_keyring()
    except (ImportError, AttributeError, KeyringError) as err:
        raise KeyringUnavailable(f"the keyring backend can't be loaded ({err})") from err


def _usable(backend: KeyringBackend) -> bool:
    from keyring.backends import chainer, fail, null

    if isinstance(backend, chainer.ChainerBackend):
        return any(_usable(b) for b in backend.backends)
    return not isinstance(backend, fail.Keyring | null.Keyring)


def problem() -> str | None:
    """Why the keyring can't be used, as a clause, or None when it can."""
    try:
        backend = _backend()
    except KeyringUnavailable as err:
        return str(err)
    if not _usable(backend):
        return "this machine has no usable keyring (normal over SSH or without a desktop session)"
    return None


def name() -> str:
    """The backend's name for messages, e.g. `SecretService Keyring`."""
    try:
        backend = _backend()
    except KeyringUnavailable:
        return "no keyring"
    return getattr(backend, "name", type(backend).__name__)


def get(username: str) -> str | None:
    """The stored secret, or None when none is stored or the keyring can't be used."""
    if problem() is not None:
        return None
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(SERVICE, username)
    except KeyringError:
        return None
    except Exception:
        # Backends wrap most failures in KeyringError, but a D-Bus error in mid-call (the
        # daemon went away) escapes as jeepney's or dbus's own type. A lookup runs on every
        # board start, so it must never take the board down: no keyring token, move on.
        return None


def put(username: str, secret: str) -> None:
    """Store `secret`, then read it back: a keyring that silently drops it is an error.

    Raises:
        KeyringUnavailable: no usable keyring, or it refused (locked, denied).
    """
    import keyring
    from keyring.errors import KeyringError

    _require()
    try:
        keyring.set_password(SERVICE, username, secret)
        stored = keyring.get_password(SERVICE, username)
    except KeyringError as err:
        raise KeyringUnavailable(f"the keyring refused to store it ({_why(err)})") from err
    if stored != secret:
        raise KeyringUnavailable("the keyring did not keep it (reading it back gave nothing)")


def delete(username: str) -> bool:
    """Remove the stored secret; False when there was none.

    Raises:
        KeyringUnavailable: no usable keyring, or it refused.
    """
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    _require()
    try:
        keyring.delete_password(SERVICE, username)
    except PasswordDeleteError:
        return False
    except KeyringError as err:
        raise KeyringUnavailable(f"the keyring refused to delete it ({_why(err)})") from err
    return True


def _require() -> None:
    reason = problem()
    if reason is not None:
        raise KeyringUnavailable(reason)


def _why(err: KeyringError) -> str:
    return str(err) or type(err).__name__
