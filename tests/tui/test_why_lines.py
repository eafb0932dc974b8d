"""`fit`: the rows the lines under a list get when they need more than the box allows."""

from __future__ import annotations

import pytest
from textual.content import Content

from pullboard.tui.widgets.why_lines import fit


def rows(*lines: str, width: int, height: int | None) -> list[str]:
    wrapped = [Content(line).wrap(width) for line in lines]
    return [row.plain for row in fit(wrapped, width, height)]


@pytest.mark.parametrize(
    ("lines", "height", "expected"),
    [
        (("aaa bbb", "ccc"), 3, ["aaa bbb", "ccc"]),  # fits: as wrapped
        (("aaa bbb ccc ddd", "eee"), 3, ["aaa bbb", "ccc ddd", "eee"]),  # the first wraps
        (("aaa bbb ccc ddd", "eee fff ggg"), 3, ["aaa bbb", "ccc ddd", "eee fff…"]),
        (("aaa bbb ccc ddd eee", "fff"), 2, ["aaa bbb…", "fff"]),  # every line keeps a row
        (("aaa", "bbb", "ccc ddd"), 2, ["aaa", "bbb ccc…"]),  # more lines than rows
        (("aaa bbb ccc ddd",), None, ["aaa bbb", "ccc ddd"]),
    ],
)
def test_earlier_lines_get_the_rows_and_a_cut_line_ends_in_an_ellipsis(
    lines: tuple[str, ...], height: int | None, expected: list[str]
) -> None:
    assert rows(*lines, width=8, height=height) == expected
