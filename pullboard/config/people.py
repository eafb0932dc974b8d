"""`[serve]` and `[[person]]`: who may connect to `pullboard serve`, with which key and role.

Keys are checked here with the standard library only (the algorithm, base64, and the
algorithm name inside the key blob), so a pasted line cut short or a private key in the wrong
place is a config error with file and line; `serve` parses them for real when it starts.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from pullboard.config.model import LISTEN, ROLES, Person, ServeConfig
from pullboard.config.rules import Problems, Table, describe, named, shown, within

SERVE_KEYS = ("listen", "host_key", "max_sessions", "idle_minutes")
PERSON_KEYS = ("name", "keys", "role")
KEY_TYPES = (
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
)
"""The public key types OpenSSH's ssh-keygen makes today (DSA is gone from OpenSSH)."""
_LISTEN = re.compile(r"(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<host>[\w.-]*)):(?P<port>\d{1,5})")
_KEY_EXAMPLE = 'keys = ["ssh-ed25519 AAAAC3Nza... dana@laptop"] (the line of ~/.ssh/id_ed25519.pub)'


def serve(raw: Any, problems: Problems) -> ServeConfig:
    """The `[serve]` table (defaults when it is missing)."""
    if raw is None:
        return ServeConfig()
    if not isinstance(raw, dict):
        problems.add(("serve",), f"expected a table, written [serve]; got {describe(raw)}")
        return ServeConfig()
    t = Table(raw, ("serve",), problems)
    t.unknown(SERVE_KEYS)
    listen = t.get("listen", str, 'HOST:PORT, e.g. listen = "0.0.0.0:2222"', LISTEN)
    if listen_address(listen) is None:
        t.report(
            "listen", f'expected HOST:PORT such as "0.0.0.0:2222" or ":2222", got {shown(listen)}'
        )
        listen = LISTEN
    host_key = t.get("host_key", str, "a file path", "")
    return ServeConfig(
        listen=listen,
        host_key=host_key,
        max_sessions=within(t, "max_sessions", 20, 1, 1000, "1 to 1000 sessions", None),
        idle_minutes=within(t, "idle_minutes", 60, 1, 10080, "0 (never) or 1 to 10080", 0),
    )


def listen_address(value: str) -> tuple[str, int] | None:
    """`HOST:PORT` (`[::1]:2222`, `:2222` for every address) as (host, port); None if not."""
    found = _LISTEN.fullmatch(value.strip())
    if found is None or not 0 < int(found["port"]) < 65536:
        return None
    return found["v6"] or found["host"] or "", int(found["port"])


def people(raw: Any, problems: Problems) -> tuple[Person, ...]:
    """The `[[person]]` tables: who may connect to `serve`, and what each may change."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        problems.add(("person",), "expected an array of tables, written [[person]]")
        return ()
    found: list[Person] = []
    first_name: dict[str, int] = {}
    first_key: dict[str, int] = {}
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            problems.add(("person", index), f"expected a table, got {describe(item)}")
            continue
        t = Table(item, ("person", index), problems)
        t.unknown(PERSON_KEYS)
        name = named(t, "name", t.get("name", str, 'a name, e.g. name = "dana"', ""), "a name")
        if not name.strip() or not name.isprintable():
            t.report("name", 'expected a name people know you by, e.g. name = "dana"')
            continue
        if name in first_name:
            t.report("name", f"{name!r} is already person[{first_name[name]}]; names are unique")
        first_name.setdefault(name, index)
        role = t.get("role", str, "lead, member or viewer", "member")
        if role not in ROLES:
            t.report("role", f'expected "lead", "member" or "viewer", got {describe(role)}')
        keys = _keys(t, index, first_key)
        found.append(Person(name, keys, role if role in ROLES else "viewer"))
    return tuple(found)


def _keys(t: Table, index: int, first: dict[str, int]) -> tuple[str, ...]:
    value = t.raw.get("keys", [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        t.report("keys", f"expected an array of OpenSSH public key lines, got {describe(value)}")
        return ()
    keys: list[str] = []
    for line in value:
        if problem := key_problem(line):
            t.report("keys", problem)
            continue
        blob = line.split()[1]
        if blob in first and first[blob] != index:
            t.report("keys", f"this key is person[{first[blob]}]'s too; a key names one person")
        first.setdefault(blob, index)
        keys.append(" ".join(line.split()[:2]))
    if not keys and not t.reported("keys"):
        t.report("keys", f"missing; expected {_KEY_EXAMPLE}")
    return tuple(keys)


def key_problem(line: str) -> str | None:
    """Why `line` is not an OpenSSH public key line (never echoing it: it may be a private
    key pasted in the wrong place); None when it is one."""
    parts = line.split()
    if "PRIVATE KEY" in line:
        return "that is a private key; put the public one here (the .pub file's line)"
    if len(parts) < 2 or parts[0] not in KEY_TYPES:
        return f"expected a public key line starting with its type (ssh-ed25519); {_KEY_EXAMPLE}"
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        return f"the {parts[0]} key is not valid base64 (cut short when pasted?)"
    size = int.from_bytes(blob[:4], "big")
    if blob[4 : 4 + size] != parts[0].encode() or len(blob) < 4 + size + 16:
        return f"the {parts[0]} key's data doesn't hold a {parts[0]} key (cut short when pasted?)"
    return None
