"""Untrusted text is made inert once, where it enters; secrets never reach a message."""

from __future__ import annotations

import json
import unicodedata

import pytest

from pullboard.text import INVISIBLE, clean, json_inert, looks_secret, one_line, redact, web_url

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
C1 = "".join(map(chr, range(0x80, 0xA0)))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain", "plain"),
        ("[bold red]x[/]", "[bold red]x[/]"),  # markup stays literal text
        ("\x1b[31mred\x1b[0m", "␛[31mred␛[0m"),
        ("\x1b]8;;http://evil\x07link", "␛]8;;http://evil␇link"),  # OSC 8 hyperlink
        ("\x1b]52;c;ZXZpbA==\x07", "␛]52;c;ZXZpbA==␇"),  # OSC 52: writes the clipboard
        ("\x1b]0;title\x1b\\", "␛]0;title␛\\"),  # OSC 0 ended by ST: sets the window title
        ("a\r\nb\tc", "a\nb\tc"),
        ("a\rb", "a␍b"),  # a lone CR would overwrite the line
        ("bell\x07 del\x7f c1\x9b", "bell␇ del␡ c1⟨U+009B⟩"),
        ("\x9d0;title\x9c", "⟨U+009D⟩0;title⟨U+009C⟩"),  # 8-bit OSC and ST
        ("abc\u202edcba", "abc⟨U+202E⟩dcba"),  # right-to-left override
        ("PAY\u200b-1", "PAY⟨U+200B⟩-1"),  # zero-width space
        ("\u2066x\u2069", "⟨U+2066⟩x⟨U+2069⟩"),  # isolates
        ("bom\ufeff", "bom⟨U+FEFF⟩"),
        ("line\u2028sep", "line⟨U+2028⟩sep"),
        ("tag\U000e0041", "tag⟨U+E0041⟩"),  # invisible tag characters smuggle text
        ("lone\ud800", "lone⟨U+D800⟩"),  # a lone surrogate can't even be printed as UTF-8
        ("ünïcødé 🚀 中文 עברית", "ünïcødé 🚀 中文 עברית"),
        (None, ""),
    ],
)
def test_clean(raw: str | None, expected: str) -> None:
    assert clean(raw) == expected
    assert clean(clean(raw)) == expected, "cleaning twice changes nothing"


def test_clean_leaves_nothing_a_terminal_would_act_on_or_hide() -> None:
    everything = "".join(map(chr, range(0x110000)))
    cleaned = clean(everything)
    cleaned.encode("utf-8")  # no lone surrogates left
    kept = set(cleaned)
    for char in "\x1b\x07\x9b\x7f\r" + C1 + BIDI + ZERO_WIDTH:
        assert char not in kept, f"U+{ord(char):04X}"
    for char in kept:
        category = unicodedata.category(char)
        assert char in "\t\n" or category not in ("Cc", "Cf", "Cs", "Zl", "Zp"), f"{ord(char):X}"


@pytest.mark.parametrize(
    "text",
    [
        "plain title",
        " lead",
        "trail ",
        "two  spaces",
        "tab\there",
        "é ü 漢字",
        "\u3000wide",
        "x",
        " ",
    ],
)
def test_one_line_takes_its_short_cut_only_where_folding_changes_nothing(text: str) -> None:
    assert one_line(text) == " ".join(clean(text).split())


def test_one_line_folds_whitespace() -> None:
    assert one_line("  a\n\n b\t c ") == "a b c"
    assert one_line("a\u2029b\x85c") == "a⟨U+2029⟩b⟨U+0085⟩c"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://github.com/acme/shop/issues/1", "https://github.com/acme/shop/issues/1"),
        ("http://127.0.0.1:8080/browse/PAY-1", "http://127.0.0.1:8080/browse/PAY-1"),
        ("  https://x.example/a  ", "https://x.example/a"),
        ("HTTPS://X.example/a", "HTTPS://X.example/a"),
        ("https://x.example/a%20b", "https://x.example/a%20b"),  # never encoded twice
        ("https://x.example/a b", "https://x.example/a%20b"),
        ("https://x.example/?q=a&sprint=3#top", "https://x.example/?q=a&sprint=3#top"),
        ("https://x.example/a\x1b]0;pwned\x07", "https://x.example/a%1B]0;pwned%07"),
        ("https://x.example/\x1b]52;c;ZXZpbA==\x07", "https://x.example/%1B]52;c;ZXZpbA==%07"),
        ("https://x.example/\u202egpj.exe", "https://x.example/%E2%80%AEgpj.exe"),
        ("https://x.example/\u200bx\x9b", "https://x.example/%E2%80%8Bx%C2%9B"),
        ("https://x.example/<script>\"'", "https://x.example/%3Cscript%3E%22'"),
        ("javascript:alert(1)", ""),
        ("file:///etc/passwd", ""),
        ("ssh://host/x", ""),
        ("https:///no-host", ""),
        ("/relative/path", ""),
        ("", ""),
        (None, ""),
        (123, ""),
    ],
)
def test_web_url(raw: object, expected: str) -> None:
    assert web_url(raw) == expected
    assert web_url(web_url(raw)) == expected


GHP = "ghp_fakeTokenForTests0123456789abcdef"
JIRA = "ATATT3xFfGF0fakeJiraTokenForTests0123456789=A1B2C3D4"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # URLs with credentials, in any message
        ("got 'https://user:ghp_x1@host:notaport'", "got 'https://***@host:notaport'"),
        ("http://me@ghe.example/api/v3", "http://***@ghe.example/api/v3"),
        ("https://h.example/x?access_token=abc123&page=2",
         "https://h.example/x?access_token=***&page=2"),
        ("https://h/?token=abc", "https://h/?token=***"),
        ("https://h/?a=1&api_key=k1&client_secret=s;sig=x",
         "https://h/?a=1&api_key=***&client_secret=***;sig=***"),
        ("https://h/?X-Amz-Signature=f00&Password=hunter2",
         "https://h/?X-Amz-Signature=***&Password=***"),
        # credentials in headers, as exception texts quote them
        (f"Illegal header value b'Bearer {GHP[:10]}\\n{GHP[10:]}'",
         "Illegal header value b'Bearer ***'"),
        ("Authorization: Basic ZGFuYUBleGFtcGxlLmNvbTpzZWNyZXQxMjM=", "Authorization: Basic ***"),
        (f"UnicodeEncodeError('ascii', 'Bearer ghp_f\\u200b{GHP[5:]}', 12, 13)",
         "UnicodeEncodeError('ascii', 'Bearer ***', 12, 13)"),
        # token-shaped words
        (f"token {GHP} leaked", "token *** leaked"),
        ("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "***"),
        (f"jira {JIRA}.", "jira ***"),
        ("glpat-abcdefghij0123456789 xoxb-1234-5678-abcdef", "*** ***"),
        ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "***"),
        ("sha 0123456789abcdef0123456789abcdef01234567 here", "sha *** here"),
    ],
)  # fmt: skip
def test_redact(raw: str, expected: str) -> None:
    assert redact(raw) == expected
    assert looks_secret(raw)


@pytest.mark.parametrize(
    "text",
    [
        "Couldn't connect to api.github.com within 10 s (tried 4 times).",
        "shop: the token in $GITHUB_TOKEN contains a line break",
        "token from environment variable GH_TOKEN; send a Bearer token; Basic authentication",
        "/tmp/pytest-of-root/pytest-3/test_each_mistake_names_file_li0/config.toml, line 3",
        "https://github.com/acme/shop/issues/12?page=2&per_page=100 acme/shop#12 PAY-77",
        "https://acme.atlassian.net/jira/software/projects/PAY/boards/12?sprint=31",
        "2026-01-05T12:00:00+00:00 GH_ENTERPRISE_TOKEN SHOP_TOKEN MY_VERY_LONG_VARIABLE_NAME_2",
        "ünïcødé ⟨U+202E⟩ ␛[31m",
    ],
)
def test_redact_leaves_ordinary_messages_alone(text: str) -> None:
    assert redact(text) == text
    assert not looks_secret(text)


def test_json_inert_escapes_invisible_characters_without_changing_values() -> None:
    value = {"t": "a\u202eb\u200b\x9b\x7f\u2028\U000e0041 中文 \x1b", "lone": "\ud800"}
    dumped = json.dumps(value, ensure_ascii=False)
    safe = json_inert(dumped)
    assert json.loads(safe) == value, "the same values, only spelled as escapes"
    assert not set(safe) & (set(INVISIBLE) | {"\x1b", "\x7f"})
    assert "中文" in safe
    safe.encode("utf-8")


def test_every_format_character_is_made_visible() -> None:
    """`INVISIBLE` is written out for speed; this keeps it in step with Python's Unicode."""
    for code in range(0x110000):
        char = chr(code)
        if unicodedata.category(char) in ("Cf", "Cs", "Zl", "Zp") or 0x80 <= code < 0xA0:
            assert char in INVISIBLE, f"U+{code:04X}"
