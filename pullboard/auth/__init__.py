"""Tokens: found along one chain (env -> gh -> keyring -> netrc) and stored in the keyring.

- `chain`: where a source's token comes from, and `auth set|status|clear`.
- `keystore`: the keyring, with every way it can be missing turned into one sentence.
"""

from __future__ import annotations

from pullboard.auth.chain import (
    Token,
    clear,
    ensure_keyring,
    env_names,
    find_token,
    headless_help,
    netrc_hosts,
    netrc_problem,
    places,
    read_secret,
    store,
    token_advice,
    web_host,
)

__all__ = [
    "Token",
    "clear",
    "ensure_keyring",
    "env_names",
    "find_token",
    "headless_help",
    "netrc_hosts",
    "netrc_problem",
    "places",
    "read_secret",
    "store",
    "token_advice",
    "web_host",
]
