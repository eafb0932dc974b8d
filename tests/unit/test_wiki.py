"""Jira wiki markup (Server descriptions) to Markdown: one row per construct."""

from __future__ import annotations

import pytest

from pullboard.sources.jira.wiki import to_markdown

CASES = [
    ("headings", "h1. Big\nh3. Small", "# Big\n### Small"),
    ("bold and italics", "a *bold* and _it_ word", "a **bold** and *it* word"),
    ("bold needs word edges", "2*3*4 and snake_case_name", "2*3*4 and snake_case_name"),
    ("monospace protects its content", "run {{*not* _this_}}", "run `*not* _this_`"),
    (
        "link with label",
        "see [the docs|https://x.test/a b]",
        "see [the docs](https://x.test/a%20b)",
    ),
    ("bare link", "[https://x.test/p]", "<https://x.test/p>"),
    ("link to an issue", "[details|PAY-12]", "details (PAY-12)"),
    ("mentions", "ask [~jdoe] or [~accountid:5b10ac]", "ask @jdoe or @5b10ac"),
    ("bullets nest", "* one\n** two\n* three", "- one\n  - two\n- three"),
    ("numbered and mixed", "# first\n#* sub\n# second", "1. first\n   - sub\n1. second"),
    ("dash bullets", "- a\n- b", "- a\n- b"),
    ("rule", "above\n----\nbelow", "above\n---\nbelow"),
    ("quote line", "bq. said so", "> said so"),
    ("quote block", "{quote}\nline *one*\n{quote}", "> line **one**"),
    (
        "code block kept verbatim with its language",
        "{code:java}\nint *x* = 1;\n# not a list\n{code}",
        "```java\nint *x* = 1;\n# not a list\n```",
    ),
    (
        "code block parameters are not a language",
        "{code:title=Foo.java|borderStyle=solid}\nx\n{code}",
        "```\nx\n```",
    ),
    ("noformat on one line", "{noformat}h1. raw{noformat}", "```\nh1. raw\n```"),
    ("closing tag mid-line", "{code}\na{code} after *b*", "```\na\n```\nafter **b**"),
    ("unclosed block is closed", "{code}\nx", "```\nx\n```"),
    ("table", "||k||v||\n|a|b|", "| k | v |\n| --- | --- |\n| a | b |"),
    ("colour and panel tags dropped", "{color:red}hot{color}", "hot"),
    ("forced line break", "a\\\\b", "a  \nb"),
    ("CRLF", "h2. A\r\nb", "## A\nb"),
    ("None", None, ""),
]


@pytest.mark.parametrize(("case", "wiki", "expected"), CASES, ids=[c[0] for c in CASES])
def test_to_markdown(case: str, wiki: str | None, expected: str) -> None:
    assert to_markdown(wiki) == expected
