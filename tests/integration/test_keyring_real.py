"""`auth set` / lookup / `auth clear` against a real Secret Service (gnome-keyring-daemon).

Each test starts a private D-Bus session with `dbus-run-session` and a keyring daemon whose
files live in a temporary XDG_DATA_HOME, then runs pullboard inside it in a child process
(the parent's keyring backend is fixed at `fail` by conftest). Needs the Debian packages
`dbus`, `gnome-keyring` and `libsecret-tools`; without them the tests skip with the reason
(and fail under `.ci/run`, which installs them).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from needs import needs

PACKAGES = "dbus gnome-keyring libsecret-tools"
INSIDE = r"""
import io, json, subprocess, sys
import keyring
from pullboard import auth, cli, config

path = sys.argv[1]
source = config.load(path).source("shop")
backend = keyring.get_keyring()
sys.stdin = io.StringIO("ghp_in_the_secret_service\n")
rc_set = cli.main(["auth", "set", "shop", "--config", path])
found = auth.find_token(source)
lookup = subprocess.run(
    ["secret-tool", "lookup", "service", "pullboard", "username", "shop"],
    capture_output=True, text=True, timeout=10,
)
rc_clear = cli.main(["auth", "clear", "shop", "--config", path])
print("RESULT " + json.dumps({
    "backend": f"{type(backend).__module__}.{type(backend).__name__}",
    "rc_set": rc_set,
    "found": [found.value, found.where] if found else None,
    "secret_tool": lookup.stdout,
    "rc_clear": rc_clear,
    "after_clear": auth.find_token(source) is not None,
}))
"""


def _run_in_session(tmp_path: Path, unlock: bool) -> tuple[dict[str, Any], str]:
    needs("dbus-run-session", "gnome-keyring-daemon", "secret-tool", package=PACKAGES)
    config = tmp_path / "config.toml"
    config.write_text(
        '[[source]]\nname = "shop"\nkind = "github"\nrepo = "acme/shop"\n', encoding="utf-8"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")  # the keyring files: never the real home
    daemon = "gnome-keyring-daemon --components=secrets"
    start = f"echo -n pass | {daemon} --unlock" if unlock else daemon
    script = f'{start} >/dev/null && exec "$0" -c "$1" "$2"'
    done = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", script, sys.executable, INSIDE, str(config)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, f"no result (exit {done.returncode}):\n{done.stdout}\n{done.stderr}"
    said = [line for line in done.stdout.splitlines() if not line.startswith("RESULT ")]
    return json.loads(lines[-1][len("RESULT ") :]), "\n".join(said) + done.stderr


def test_set_lookup_clear_round_trip_in_secret_service(tmp_path: Path) -> None:
    result, output = _run_in_session(tmp_path, unlock=True)
    assert result["backend"] == "keyring.backends.SecretService.Keyring"
    assert result["rc_set"] == 0
    assert result["found"] == ["ghp_in_the_secret_service", "keyring (SecretService Keyring)"]
    assert result["secret_tool"] == "ghp_in_the_secret_service"  # really in the Secret Service
    assert result["rc_clear"] == 0
    assert result["after_clear"] is False
    assert "Stored the token for shop in the keyring (SecretService Keyring)." in output
    assert "Removed the token for shop from the keyring." in output
    assert "ghp_in_the_secret_service" not in output  # pullboard never printed it


def test_locked_secret_service_is_reported_not_crashed(tmp_path: Path) -> None:
    result, output = _run_in_session(tmp_path, unlock=False)
    assert result["rc_set"] == 1
    assert result["found"] is None
    assert "Can't store the token for shop: the keyring refused to store it" in output
    assert "export GH_TOKEN=<token>" in output
    assert "Traceback" not in output
