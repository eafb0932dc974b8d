"""~/.netrc is used only when it is the user's own and private, as ssh treats its keys: a
token others can read is refused with a sentence (doctor shows it), never used silently."""

from __future__ import annotations

import os
from pathlib import Path

from needs import needs_root

from pullboard import auth
from pullboard.cli import doctor
from pullboard.config import SourceConfig

SHOP = SourceConfig(name="shop", kind="github", url="https://api.github.com", repos=("a/b",))
NOBODY = 65534


def write_netrc(home: Path, mode: int) -> Path:
    path = home / ".netrc"
    path.write_text("machine api.github.com\n  login me\n  password from-netrc\n", "utf-8")
    path.chmod(mode)
    return path


def test_a_private_netrc_is_used(no_stored_credentials: Path) -> None:
    write_netrc(no_stored_credentials, 0o600)
    token = auth.find_token(SHOP)
    assert token is not None and token.value == "from-netrc"
    assert auth.netrc_problem() is None
    assert doctor.netrc_checks() == []


def test_a_netrc_others_can_read_is_refused_with_a_sentence(no_stored_credentials: Path) -> None:
    path = write_netrc(no_stored_credentials, 0o644)
    assert auth.find_token(SHOP) is None
    problem = (
        f"{path} can be read by other users (mode 644), so pullboard ignores it; "
        "run `chmod 600 ~/.netrc`."
    )
    assert auth.netrc_problem() == problem
    (check,) = doctor.netrc_checks()
    assert (check.mark, check.what) == (doctor.Mark.WARN, problem)


def test_a_netrc_that_is_not_a_regular_file_is_never_opened(no_stored_credentials: Path) -> None:
    os.mkfifo(no_stored_credentials / ".netrc", 0o600)
    assert auth.find_token(SHOP) is None  # returns at once: a FIFO would block a reader
    assert auth.netrc_problem() == (
        f"{no_stored_credentials / '.netrc'} is not a regular file, so pullboard ignores it."
    )


def test_a_netrc_owned_by_someone_else_is_refused(no_stored_credentials: Path) -> None:
    needs_root("it gives the file to another user")
    path = write_netrc(no_stored_credentials, 0o600)
    os.chown(path, NOBODY, -1)
    assert auth.find_token(SHOP) is None
    assert auth.netrc_problem() == (
        f"{path} belongs to another user, so pullboard ignores it; it must be yours."
    )
