"""Atlassian Document Format (Jira Cloud rich text) rendered as readable Markdown.

Jira Cloud's REST v3 sends descriptions as an ADF tree rather than a string. The board shows
bodies as Markdown, so the common nodes map to their Markdown form. Atlassian adds node types
often, so anything unknown degrades to the text inside it instead of vanishing or raising.
The result is not cleaned here: callers run it through `pullboard.text.clean` like any body.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

MAX_DEPTH = 60
"""Nesting beyond this is cut off (a hostile document must not exhaust the stack)."""

Node = Mapping[str, Any]


def to_markdown(doc: Any) -> str:
    """Render an ADF document (or any ADF node) as Markdown.

    Args:
        doc: the parsed JSON of a `description` field; a plain string passes through, and
            anything that is not ADF gives an empty string.

    Returns:
        Markdown text without leading or trailing blank lines.
    """
    if isinstance(doc, str):
        return doc
    if not isinstance(doc, Mapping):
        return ""
    if doc.get("type") == "doc":
        return _blocks(doc.get("content"), 0).strip("\n")
    return _block(doc, 0).strip("\n")


def _children(node: Node) -> list[Node]:
    content = node.get("content")
    if not isinstance(content, list):
        return []
    return [c for c in content if isinstance(c, Mapping)]


def _attr(node: Node, name: str) -> Any:
    attrs = node.get("attrs")
    return attrs.get(name) if isinstance(attrs, Mapping) else None


def _blocks(content: Any, depth: int, sep: str = "\n\n") -> str:
    nodes = [c for c in content if isinstance(c, Mapping)] if isinstance(content, list) else []
    rendered = (_block(n, depth + 1) for n in nodes)
    return sep.join(r for r in rendered if r.strip())


def _block(node: Node, depth: int) -> str:
    """One block node; inline nodes met at block level are rendered inline."""
    if depth > MAX_DEPTH:
        return "…"
    kind = node.get("type")
    render = _BLOCKS.get(kind) if isinstance(kind, str) else None
    if render is not None:
        return render(node, depth)
    if kind in _INLINE:
        return _inline([node], depth)
    children = _children(node)
    if children and all(c.get("type") in _INLINE for c in children):
        return _inline(children, depth)
    return _blocks(node.get("content"), depth) if children else _text_of(node)


def _heading(node: Node, depth: int) -> str:
    level = _attr(node, "level")
    hashes = "#" * (level if isinstance(level, int) and 1 <= level <= 6 else 2)
    return f"{hashes} {_inline(_children(node), depth)}"


def _expand(node: Node, depth: int) -> str:
    title = _attr(node, "title")
    inner = _blocks(node.get("content"), depth)
    return f"**{title}**\n\n{inner}" if isinstance(title, str) and title else inner


def _card(node: Node, depth: int) -> str:
    url = _attr(node, "url")
    return f"<{url}>" if isinstance(url, str) and url else ""


def _list(node: Node, depth: int) -> str:
    kind = node.get("type")
    start = _attr(node, "order")
    number = start if isinstance(start, int) and start >= 0 else 1
    lines: list[str] = []
    for item in _children(node):
        if kind == "orderedList":
            marker = f"{number}. "
            number += 1
        elif kind == "taskList":
            marker = "- [x] " if _attr(item, "state") == "DONE" else "- [ ] "
        else:
            marker = "- "
        body = _blocks(item.get("content"), depth, sep="\n")
        if item.get("type") in ("taskItem", "decisionItem"):
            body = _inline(_children(item), depth)
        first, *rest = body.splitlines() or [""]
        pad = " " * len(marker)
        lines.append(marker + first)
        lines += [pad + line if line else "" for line in rest]
    return "\n".join(lines)


def _code(node: Node, depth: int = 0) -> str:
    text = "".join(str(c.get("text", "")) for c in _children(node))
    language = _attr(node, "language")
    lang = language if isinstance(language, str) and language.isprintable() else ""
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}{lang}\n{text.rstrip(chr(10))}\n{fence}"


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def _table(node: Node, depth: int) -> str:
    rows: list[list[str]] = []
    for row in _children(node):
        cells = [_blocks(cell.get("content"), depth, sep=" ") for cell in _children(row)]
        rows.append([" ".join(c.split()).replace("|", "\\|") for c in cells])
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    lines = ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in rows]
    lines.insert(1, "|" + " --- |" * width)
    return "\n".join(lines)


def _media(node: Node, depth: int = 0) -> str:
    names = [_attr(n, "alt") for n in [node, *_children(node)]]
    name = next((n for n in names if isinstance(n, str) and n), "")
    return f"[attachment: {name}]" if name else "[attachment]"


def _inline(nodes: list[Node], depth: int) -> str:
    parts: list[str] = []
    for node in nodes:
        kind = node.get("type")
        if kind == "text":
            parts.append(_marked(str(node.get("text", "")), node.get("marks")))
        elif kind == "hardBreak":
            parts.append("  \n")
        elif kind == "mention":
            name = str(_attr(node, "text") or _attr(node, "id") or "someone")
            parts.append(name if name.startswith("@") else f"@{name}")
        elif kind == "emoji":
            parts.append(str(_attr(node, "text") or _attr(node, "shortName") or ""))
        elif kind == "inlineCard":
            url = _attr(node, "url")
            parts.append(f"<{url}>" if isinstance(url, str) and url else "")
        elif kind == "date":
            parts.append(_date(_attr(node, "timestamp")))
        elif kind == "status":
            parts.append(f"[{_attr(node, 'text') or ''}]")
        elif kind != "placeholder" and depth < MAX_DEPTH:
            parts.append(_block(node, depth + 1))
    return "".join(parts)


def _marked(text: str, marks: Any) -> str:
    """Apply Markdown for the marks a text run carries; spaces stay outside the markers."""
    if not text.strip() or not isinstance(marks, list):
        return text
    kinds = {m.get("type"): m for m in marks if isinstance(m, Mapping)}
    core = text.strip()
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    if "code" in kinds:
        tick = "``" if "`" in core else "`"
        core = f"{tick}{core}{tick}"
    for mark, wrap in (("em", "*"), ("strong", "**"), ("strike", "~~")):
        if mark in kinds:
            core = f"{wrap}{core}{wrap}"
    link = kinds.get("link")
    href = _attr(link, "href") if link else None
    if isinstance(href, str) and href:
        core = f"[{core}]({href.replace(')', '%29').replace(' ', '%20')})"
    return f"{lead}{core}{trail}"


def _date(timestamp: Any) -> str:
    try:
        when = datetime.fromtimestamp(int(timestamp) / 1000, UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return ""
    return when.date().isoformat()


def _text_of(node: Node) -> str:
    """The plain text of an unknown node: its `text`, a text-like attribute, or its children's."""
    words: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        values = [current.get("text")] + [_attr(current, k) for k in _TEXTUAL]
        found = next((v for v in values if isinstance(v, str) and v), None)
        if found:
            words.append(found)
        stack.extend(reversed(_children(current)))
    return " ".join(words)


_BLOCKS: dict[str, Callable[[Node, int], str]] = {
    "paragraph": lambda node, depth: _inline(_children(node), depth),
    "heading": _heading,
    "bulletList": _list,
    "orderedList": _list,
    "taskList": _list,
    "decisionList": _list,
    "codeBlock": _code,
    "blockquote": lambda node, depth: _quoted(_blocks(node.get("content"), depth)),
    "panel": lambda node, depth: _quoted(_blocks(node.get("content"), depth)),
    "rule": lambda node, depth: "---",
    "expand": _expand,
    "nestedExpand": _expand,
    "table": _table,
    "mediaSingle": _media,
    "mediaGroup": _media,
    "mediaInline": _media,
    "media": _media,
    "blockCard": _card,
    "embedCard": _card,
}
_TEXTUAL = ("text", "title", "url", "shortName")
"""Attributes that hold an unknown node's visible text, in order of preference."""
_INLINE = frozenset(
    ("text", "hardBreak", "mention", "emoji", "inlineCard", "date", "status", "placeholder")
)
