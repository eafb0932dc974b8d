"""ADF (Jira Cloud rich text) to Markdown: one row per node type, unknown nodes degrade."""

from __future__ import annotations

from typing import Any

import pytest

from pullboard.sources.jira.adf import MAX_DEPTH, to_markdown


def text(value: str, *marks: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "text", "text": value}
    if marks:
        node["marks"] = list(marks)
    return node


def para(*content: dict[str, Any]) -> dict[str, Any]:
    return {"type": "paragraph", "content": list(content)}


def doc(*content: dict[str, Any]) -> dict[str, Any]:
    return {"type": "doc", "version": 1, "content": list(content)}


def item(*content: dict[str, Any]) -> dict[str, Any]:
    return {"type": "listItem", "content": list(content)}


LINK = {"type": "link", "attrs": {"href": "https://example.com/a b)"}}

CASES = [
    ("paragraphs", doc(para(text("one")), para(text("two"))), "one\n\ntwo"),
    (
        "headings",
        doc({"type": "heading", "attrs": {"level": 3}, "content": [text("Why")]}),
        "### Why",
    ),
    (
        "marks",
        doc(
            para(
                text("bold ", {"type": "strong"}),
                text("it", {"type": "em"}),
                text(" "),
                text("x()", {"type": "code"}),
                text(" "),
                text("gone", {"type": "strike"}),
                text(" "),
                text("under", {"type": "underline"}, {"type": "textColor"}),
            )
        ),
        "**bold** *it* `x()` ~~gone~~ under",
    ),
    ("link", doc(para(text("docs", LINK))), "[docs](https://example.com/a%20b%29)"),
    ("hard break", doc(para(text("a"), {"type": "hardBreak"}, text("b"))), "a  \nb"),
    (
        "mentions, with and without @",
        doc(
            para(
                {"type": "mention", "attrs": {"id": "5b10", "text": "@Dana Kim"}},
                text(" and "),
                {"type": "mention", "attrs": {"id": "5b11", "text": "Lee"}},
            )
        ),
        "@Dana Kim and @Lee",
    ),
    (
        "emoji, date, status, inline card",
        doc(
            para(
                {"type": "emoji", "attrs": {"shortName": ":smile:", "text": "😄"}},
                text(" "),
                {"type": "date", "attrs": {"timestamp": "1767225600000"}},
                text(" "),
                {"type": "status", "attrs": {"text": "BLOCKED", "color": "red"}},
                text(" "),
                {"type": "inlineCard", "attrs": {"url": "https://x.test/PAY-1"}},
            )
        ),
        "😄 2026-01-01 [BLOCKED] <https://x.test/PAY-1>",
    ),
    (
        "nested lists",
        doc(
            {
                "type": "bulletList",
                "content": [
                    item(
                        para(text("a")),
                        {
                            "type": "orderedList",
                            "attrs": {"order": 3},
                            "content": [item(para(text("b"))), item(para(text("c")))],
                        },
                    ),
                    item(para(text("d"))),
                ],
            }
        ),
        "- a\n  3. b\n  4. c\n- d",
    ),
    (
        "task list",
        doc(
            {
                "type": "taskList",
                "content": [
                    {"type": "taskItem", "attrs": {"state": "DONE"}, "content": [text("x")]},
                    {"type": "taskItem", "attrs": {"state": "TODO"}, "content": [text("y")]},
                ],
            }
        ),
        "- [x] x\n- [ ] y",
    ),
    (
        "code block keeps text verbatim, fence outgrows backticks",
        doc(
            {
                "type": "codeBlock",
                "attrs": {"language": "python"},
                "content": [text("print('```')\n*not bold*")],
            }
        ),
        "````python\nprint('```')\n*not bold*\n````",
    ),
    (
        "quote, panel and rule",
        doc(
            {"type": "blockquote", "content": [para(text("q1")), para(text("q2"))]},
            {"type": "rule"},
            {"type": "panel", "attrs": {"panelType": "info"}, "content": [para(text("p"))]},
        ),
        "> q1\n>\n> q2\n\n---\n\n> p",
    ),
    (
        "table",
        doc(
            {
                "type": "table",
                "content": [
                    {
                        "type": "tableRow",
                        "content": [
                            {"type": "tableHeader", "content": [para(text("k"))]},
                            {"type": "tableHeader", "content": [para(text("v"))]},
                        ],
                    },
                    {
                        "type": "tableRow",
                        "content": [
                            {"type": "tableCell", "content": [para(text("a|b"))]},
                            {"type": "tableCell", "content": [para(text("c"))]},
                        ],
                    },
                ],
            }
        ),
        "| k | v |\n| --- | --- |\n| a\\|b | c |",
    ),
    (
        "media and cards",
        doc(
            {
                "type": "mediaSingle",
                "content": [{"type": "media", "attrs": {"id": "1", "alt": "screen.png"}}],
            },
            {"type": "blockCard", "attrs": {"url": "https://x.test/page"}},
        ),
        "[attachment: screen.png]\n\n<https://x.test/page>",
    ),
    (
        "expand shows its title",
        doc({"type": "expand", "attrs": {"title": "Logs"}, "content": [para(text("l"))]}),
        "**Logs**\n\nl",
    ),
    (
        "unknown block degrades to its content",
        doc({"type": "futureThing", "content": [para(text("kept"))]}, para(text("after"))),
        "kept\n\nafter",
    ),
    (
        "unknown inline degrades to its text",
        doc(para(text("a "), {"type": "futureInline", "attrs": {"text": "b"}})),
        "a b",
    ),
    ("plain string passes through", "already text", "already text"),
    ("not ADF", 42, ""),
    ("empty doc", doc(), ""),
]


@pytest.mark.parametrize(("case", "adf", "expected"), CASES, ids=[c[0] for c in CASES])
def test_to_markdown(case: str, adf: Any, expected: str) -> None:
    assert to_markdown(adf) == expected


def test_hostile_nesting_is_cut_off_not_a_crash() -> None:
    node: dict[str, Any] = para(text("deep"))
    for _ in range(MAX_DEPTH * 20):
        node = {"type": "blockquote", "content": [node]}

    out = to_markdown(doc(node))

    assert "deep" not in out
    assert out.endswith("…")


def test_malformed_nodes_are_skipped() -> None:
    broken = doc(para(text("ok")), "not a node", {"type": "paragraph", "content": "nope"})  # type: ignore[arg-type]
    assert to_markdown(broken) == "ok"
