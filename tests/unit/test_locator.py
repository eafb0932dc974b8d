"""The config line finder: the right line for a dotted key, whatever the TOML layout."""

from __future__ import annotations

import tomllib

import pytest

from pullboard.config.locator import Locator, Path, show, split_key

TEXT = """\
# [board] in a comment is not a header
title = "top"            # line 2
[board]
title = "board"          # line 4
links.home = "q"         # line 5: dotted key inside [board]
notes = '''
[[source]]
name = "inside a literal string"
'''
[board.keymap]           # line 10
"app.help" = "?"         # line 11
[[source]]               # line 12
name = "a"
labels = { x = 1, y = [
  2, 3 ] }               # line 15: still inside the inline table
repos = [
  ["nested"],            # line 17: not a header
  "a/b",
]
[source.extra]           # line 20: belongs to source[0]
flag = true
[[source]]               # line 22
name = "b"               # line 23
'token' = "x"            # line 24
"""

CASES: list[tuple[Path, int | None]] = [
    (("title",), 2),
    (("board",), 3),
    (("board", "title"), 4),
    (("board", "links", "home"), 5),
    (("board", "links"), 5),
    (("board", "notes"), 6),
    (("board", "keymap"), 10),
    (("board", "keymap", "app.help"), 11),
    (("source",), 12),
    (("source", 0), 12),
    (("source", 0, "name"), 13),
    (("source", 0, "labels"), 14),
    (("source", 0, "labels", "y"), 14),  # inside an inline table: the key's own line
    (("source", 0, "repos"), 16),
    (("source", 0, "extra"), 20),
    (("source", 0, "extra", "flag"), 21),
    (("source", 0, "missing"), 12),  # a missing key: its table's header
    (("source", 1), 22),
    (("source", 1, "name"), 23),
    (("source", 1, "token"), 24),
    (("source", 2, "name"), 12),  # no third source: the array's first header
    (("nowhere",), None),
]


@pytest.mark.parametrize(("path", "line"), CASES, ids=[show(p) for p, _ in CASES])
def test_line_of_each_key(path: Path, line: int | None) -> None:
    tomllib.loads(TEXT)  # the sample is valid TOML, as every text `config` locates in
    assert Locator(TEXT).line(path) == line


def test_key_at_a_line_and_repeats() -> None:
    locator = Locator('[board]\ntitle = "a"\ntitle = "b"\n[[source]]\n[[source]]\n')
    assert locator.key_at(2) == ("board", "title")
    assert Locator("a.b.c = 1\n").key_at(1) == ("a", "b", "c")
    assert locator.key_at(5) == ("source", 1)
    assert locator.repeated == [(("board", "title"), 3)]


@pytest.mark.parametrize(
    ("dotted", "parts"),
    [("a", ("a",)), ("a.b", ("a", "b")), ('a."b.c" . d', ("a", "b.c", "d")), ("'x y'", ("x y",))],
)
def test_split_key(dotted: str, parts: tuple[str, ...]) -> None:
    assert split_key(dotted) == parts


def test_show() -> None:
    assert show(("source", 1, "repo")) == "source[1].repo"
    assert show(("board", "keymap", "app.help")) == 'board.keymap."app.help"'
