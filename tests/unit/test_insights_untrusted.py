"""The shared insights file is as untrusted as a tracker: nothing in it, not even a problem
message quoting one of its keys, reaches the terminal as an escape sequence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pullboard import cli, insights

HOSTILE = "\\u001b]0;pwned\\u0007\\u202e\\u200b\\u009b2J"
"""TOML escapes: the file holds ESC, BEL, a bidi override, a zero-width space and a C1 CSI."""
RAW = {"\x1b", "\x07", "\u202e", "\u200b", "\x9b"}


def test_insights_listing_and_problems_are_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = tmp_path / "insights.toml"
    shared.write_text(
        "version = 1\n"
        f'[[insight]]\nid = "a1"\non = "board"\ntitle = "T {HOSTILE}"\nauthor = "lee {HOSTILE}"\n'
        f'[insight.acks]\n"dana{HOSTILE}" = 2025-03-01T09:30:00Z\n'
        f'[[insight]]\nid = "b2"\non = "board"\ntitle = "ok"\nauthor = "lee"\n'
        f'[insight.acks]\n"kim{HOSTILE}" = 5\n',
        encoding="utf-8",
    )
    config = tmp_path / "config.toml"
    config.write_text(
        f'[board]\ninsights = "{shared}"\n'
        '[[source]]\nname = "shop"\nkind = "github"\nrepo = "acme/shop"\n',
        encoding="utf-8",
    )
    for flags in ([], ["--json"]):
        assert cli.main(["insights", "--config", str(config), *flags]) == 1
        out, err = capsys.readouterr()
        assert not RAW & set(out + err), flags
        assert "acks.kim␛]0;pwned␇⟨U+202E⟩⟨U+200B⟩⟨U+009B⟩2J" in err
    listed = json.loads(out)
    assert listed["insights"][0]["title"] == "T ␛]0;pwned␇⟨U+202E⟩⟨U+200B⟩⟨U+009B⟩2J"
    loaded = insights.load(shared)  # what the board and doctor show, cleaned where it enters
    assert loaded.problems and not RAW & set("".join(loaded.problems))
