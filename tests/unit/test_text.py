"""Untrusted text is made inert once, where it enters."""

from __future__ import annotations

import pytest

from pullboard.text import clean, one_line


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain", "plain"),
        ("[bold red]x[/]", "[bold red]x[/]"),  # markup stays literal text
        ("\x1b[31mred\x1b[0m", "␛[31mred␛[0m"),
        ("\x1b]8;;http://evil\x07link", "␛]8;;http://evil␇link"),  # OSC 8 hyperlink
        ("a\r\nb\tc", "a\nb\tc"),
        ("bell\x07 del\x7f c1\x9b", "bell␇ del␡ c1\ufffd"),
        ("ünïcødé 🚀 中文", "ünïcødé 🚀 中文"),
        (None, ""),
    ],
)
def test_clean(raw: str | None, expected: str) -> None:
    assert clean(raw) == expected
    assert "\x1b" not in clean(raw)


def test_one_line_folds_whitespace() -> None:
    assert one_line("  a\n\n b\t c ") == "a b c"
