"""Untrusted text from trackers and the insights file, made safe to show once, where it enters."""

from __future__ import annotations

# Control characters become their visible Unicode "control pictures" (ESC -> U+241B), so a
# title holding `\x1b[31m` shows as `␛[31m`: literal, as typed, and inert in any terminal.
_PICTURES = {c: 0x2400 + c for c in range(0x20) if c not in (0x09, 0x0A)}
_PICTURES[0x7F] = 0x2421
_PICTURES.update({c: 0xFFFD for c in range(0x80, 0xA0)})


def clean(text: str | None) -> str:
    """Make control characters visible and inert; keep tabs, newlines and all other unicode.

    Rich markup such as `[bold]` is left as typed: widgets display it literally.
    """
    if not text:
        return ""
    return text.replace("\r\n", "\n").translate(_PICTURES)


def one_line(text: str | None) -> str:
    """`clean`, then fold all whitespace to single spaces (titles, table cells)."""
    return " ".join(clean(text).split())
