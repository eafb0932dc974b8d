"""Untrusted text made safe to show: cleaned where it enters, and once more at every edge.

Three jobs, one module, so every layer uses the same rules:
- `clean` / `one_line`: nothing from a tracker, a cache or a shared file can drive a terminal
  (escape sequences) or hide from a reader (bidi overrides, zero-width characters).
- `web_url`: a URL from outside may be printed and opened: http(s) only, nothing invisible.
- `redact`: credentials never reach a message, even inside exception text we didn't write.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import quote, urlsplit

# C0 controls become their Unicode "control pictures" (ESC -> U+241B), so a title holding
# `\x1b[31m` shows as `␛[31m`: literal, as typed, and inert in any terminal.
_PICTURES: dict[int, int | str] = {c: 0x2400 + c for c in range(0x20) if c not in (0x09, 0x0A)}
_PICTURES[0x7F] = 0x2421

_FORMAT = (
    (0xAD, 0xAD), (0x600, 0x605), (0x61C, 0x61C), (0x6DD, 0x6DD), (0x70F, 0x70F),
    (0x890, 0x891), (0x8E2, 0x8E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x2028, 0x202E),
    (0x2060, 0x2064), (0x2066, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x13438), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)  # fmt: skip
"""Unicode's format characters (category Cf) and the line/paragraph separators, as of the
Unicode version Python 3.11 ships (a unit test checks the list against `unicodedata`)."""
INVISIBLE = frozenset(
    chr(c)
    for first, last in ((0x80, 0x9F), (0xD800, 0xDFFF), *_FORMAT)
    for c in range(first, last + 1)
)
"""Characters a terminal acts on or shows as nothing: C1 controls (8-bit CSI, OSC, ST), bidi
controls (U+202A-U+202E, U+2066-U+2069, U+200E/F, U+061C), zero-width characters (U+200B-D,
U+2060, U+FEFF) and every other format character, line and paragraph separators, and lone
surrogates (which can't even be written as UTF-8). `clean` shows each as `⟨U+XXXX⟩`, so a
reader sees that something is there and what it is."""


@functools.cache
def _table() -> dict[int, int | str]:
    """What `clean` makes of each character it changes (built on first use: most runs never
    meet one, and building it costs a few milliseconds of every start)."""
    return {**_PICTURES, **{ord(c): f"⟨U+{ord(c):04X}⟩" for c in INVISIBLE}}


def _utf16(char: str) -> list[int]:
    """UTF-16 code units: JSON spells characters beyond U+FFFF as two escapes."""
    code = ord(char)
    if code < 0x10000:
        return [code]
    code -= 0x10000
    return [0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)]


@functools.cache
def _json_table() -> dict[int, str]:
    """What `json_inert` spells as escapes (built on first use, as `_table`)."""
    return {ord(c): "".join(f"\\u{u:04x}" for u in _utf16(c)) for c in INVISIBLE | {"\x7f"}}


def clean(text: str | None) -> str:
    """Make control and invisible characters visible and inert; keep tabs, newlines and every
    other character (any script, emoji).

    Rich markup such as `[bold]` is left as typed: widgets display it literally.
    """
    if not text:
        return ""
    if text.isprintable():  # the common case, and what `_table` would leave untouched
        return text
    return text.replace("\r\n", "\n").translate(_table())


def one_line(text: str | None) -> str:
    """`clean`, then fold all whitespace to single spaces (titles, table cells)."""
    if text and text.isprintable() and "  " not in text and text[0] != " " != text[-1]:
        return text  # the common case: nothing to clean or fold (start-up speed)
    return " ".join(clean(text).split())


def shortened(text: str, limit: int = 300) -> str:
    """`text` cut to `limit` characters with an ellipsis: a message quoting what a server sent
    must fit a toast and a line of `export`, whatever the server sent."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def json_inert(dumped: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)`) with every `INVISIBLE` character
    and DEL spelled as a `\\uXXXX` escape: the same values, but nothing a terminal acts on."""
    return dumped.translate(_json_table())


_URL_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '"<>\\^`{|}')
"""Kept as they are; everything else (controls, spaces, non-ASCII) is percent-encoded."""
_PLAIN_URL = re.compile(rf"(?i)https?://[a-z0-9.-]+(?::[0-9]+)?(?:[/?#][{re.escape(_URL_SAFE)}]*)?")


def web_url(value: object) -> str:
    """A URL from outside (a tracker, the cache), safe to print and to open.

    Returns:
        The http(s) URL with every control, space, bidi or other non-ASCII character
        percent-encoded (existing `%XX` escapes are kept); "" for anything that is not an
        http(s) URL with a host (`javascript:`, `file:`, relative paths), so callers fall
        back to a URL they build themselves.
    """
    if not isinstance(value, str):
        return ""
    if _PLAIN_URL.fullmatch(value):  # nearly every URL: nothing to encode (start-up speed)
        return value
    url = quote(value.strip(), safe=_URL_SAFE)
    try:
        parts = urlsplit(url)
        ok = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # a malformed IPv6 host
        ok = False
    return url if ok else ""


_KNOWN_TOKEN = re.compile(
    r"\b(?:gh[pousr]_|github_pat_|glpat-|xox[abprs]-|ATATT|eyJ[\w-]+\.eyJ)[^\s'\"]*"
)
"""Token formats that announce themselves (GitHub, GitLab, Slack, Atlassian, JWTs)."""
_SECRET_NAME = r"[^=&#;\s'\"]*(?:token|key|secret|passw|pwd|sig|auth|credential|session)"
_REDACTIONS = [
    # user:password@ in any URL
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@?#'\"]+@"), r"\1***@"),
    # ?access_token=..., &api_key=..., ;sig=...
    (re.compile(rf"(?i)([?&;]{_SECRET_NAME}[^=&#;\s'\"]*=)[^&#;\s'\"]*"), r"\1***"),
    # a header value as exception texts quote it; a credential has a digit or symbol in it
    (re.compile(r"\b(Bearer|Basic) +(?=[^\s'\"]*[\d=+/_])[^\s'\"]+"), r"\1 ***"),
    # well-known token formats: GitHub, GitLab, Slack, Atlassian, JWTs
    (_KNOWN_TOKEN, "***"),
    # anything else long, random-looking and unbroken (hex or base64 secrets, SHAs)
    (re.compile(r"(?<![A-Za-z0-9])(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z0-9+=]{32,}"), "***"),
]


def redact(text: str) -> str:
    """`text` with anything credential-like replaced by `***`: URL user info, secret-named
    query parameters, `Bearer`/`Basic` header values, and token-shaped words.

    Used on every echo of a config value and on exception text pullboard didn't write, so a
    token pasted in the wrong place, or an HTTP library quoting a header, never reaches the
    screen, stdout, a log or an export.
    """
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


def has_token(text: str) -> bool:
    """True when `text` holds a token of a well-known format (`ghp_…`, `glpat-…`, a JWT): in
    free text, where long hex such as a commit SHA is ordinary, only these are certain."""
    return _KNOWN_TOKEN.search(text) is not None


def looks_secret(text: str) -> bool:
    """True when `redact` would hide part of `text` (a value pasted where a name belongs)."""
    return redact(text) != text
