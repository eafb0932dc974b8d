"""Jira wiki markup (Server / Data Center descriptions) rewritten as readable Markdown.

REST v2 returns descriptions in Jira's own wiki notation. The board renders Markdown, where
`h1.`, `*bold*` and `{code}` would show as noise or, worse, `# item` would become a heading.
Only the common constructs are converted; anything else is left exactly as typed, which is
still readable. Code and noformat blocks are copied verbatim.
"""

from __future__ import annotations

import re

_CODE_OPEN = re.compile(r"^\s*\{(code|noformat)(?::([^}]*))?\}(.*)$")
_CODE_CLOSE = re.compile(r"\{(code|noformat)\}")
_HEADING = re.compile(r"^\s*h([1-6])\.\s+(.*)$")
_LIST = re.compile(r"^\s*([*#]+|-)\s+(.*)$")
_QUOTE_LINE = re.compile(r"^\s*bq\.\s+(.*)$")
_QUOTE_BLOCK = re.compile(r"^\s*\{quote\}\s*$")
_RULE = re.compile(r"^\s*-{4,}\s*$")
_TABLE = re.compile(r"^\s*(\|\|?)(.*?)\|*\s*$")
_DROP_TAGS = re.compile(r"\{(?:color(?::[^}]*)?|panel(?::[^}]*)?|quote)\}")

_MONO = re.compile(r"\{\{(.+?)\}\}")
_LINK = re.compile(r"\[([^\[\]|]*)\|([^\[\]]+)\]")
_BARE_LINK = re.compile(r"\[((?:https?|mailto|ftp):[^\[\]\s]+)\]")
_MENTION = re.compile(r"\[~(?:accountid:)?([^\[\]]+)\]")
_BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_(?=\S)([^_\n]*?\S)_(?![\w_])")
_STASH = re.compile("\ue000(\\d+)\ue001")


def to_markdown(text: str | None) -> str:
    """Convert Jira wiki markup to Markdown.

    Args:
        text: a v2 `description` (None when the issue has none).

    Returns:
        Markdown: headings, bold, italics, monospace, links, mentions, bullet and numbered
        lists (nested), quotes, rules, tables and fenced code blocks.
    """
    out: list[str] = []
    fence: str | None = None
    quoting = False
    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        line = raw
        if fence is not None:
            after = _inside_code(raw, fence, out)
            if after is None:
                continue
            fence, line = None, after.lstrip()
            if not line.strip():
                continue
        opened = _CODE_OPEN.match(line)
        if opened:
            fence = _open_fence(opened, out)
            continue
        if _QUOTE_BLOCK.match(line):
            quoting = not quoting
            continue
        out.extend(f"> {c}" if quoting else c for c in _line(line))
    if fence is not None:
        out.append(fence)
    return "\n".join(out).strip("\n")


def _inside_code(line: str, fence: str, out: list[str]) -> str | None:
    """A line inside a code block: copied verbatim; at the closing tag the fence is closed
    and what follows the tag is returned (None while the block goes on)."""
    close = _CODE_CLOSE.search(line)
    if close is None:
        out.append(line)
        return None
    if line[: close.start()].strip():
        out.append(line[: close.start()])
    out.append(fence)
    return line[close.end() :]


def _open_fence(opened: re.Match[str], out: list[str]) -> str | None:
    """Start a fenced block; a block opened and closed on one line is emitted whole."""
    params = (opened.group(2) or "").split("|")[0]
    lang = params if opened.group(1) == "code" and "=" not in params else ""
    out.append(f"```{lang.strip()}")
    rest = opened.group(3)
    close = _CODE_CLOSE.search(rest)
    if close is not None:
        if rest[: close.start()]:
            out.append(rest[: close.start()])
        out.append("```")
        return None
    if rest.strip():
        out.append(rest)
    return "```"


def _line(line: str) -> list[str]:
    """One line outside code blocks as Markdown (a table header row brings its separator)."""
    if m := _HEADING.match(line):
        return [f"{'#' * int(m.group(1))} {inline(m.group(2))}"]
    if _RULE.match(line):
        return ["---"]
    if m := _QUOTE_LINE.match(line):
        return [f"> {inline(m.group(1))}"]
    if m := _LIST.match(line):
        return [_list_item(m.group(1), inline(m.group(2)))]
    if m := _TABLE.match(line):
        cells = [inline(c.strip()) for c in re.split(r"\|\|?", m.group(2))]
        row = "| " + " | ".join(cells) + " |"
        return [row, "|" + " --- |" * len(cells)] if m.group(1) == "||" else [row]
    return [inline(line)]


def _list_item(markers: str, text: str) -> str:
    """`*`, `**`, `#`, `#*`... as Markdown items, indented under their parents."""
    indent = "".join("   " if m == "#" else "  " for m in markers[:-1])
    bullet = "1." if markers[-1] == "#" else "-"
    return f"{indent}{bullet} {text}"


def inline(text: str) -> str:
    """Inline wiki markup to Markdown: monospace and links are protected from the rest."""
    stash: list[str] = []

    def keep(value: str) -> str:
        stash.append(value)
        return f"\ue000{len(stash) - 1}\ue001"

    text = _MONO.sub(lambda m: keep(f"`{m.group(1)}`"), text)
    text = _MENTION.sub(lambda m: keep(f"@{m.group(1)}"), text)
    text = _LINK.sub(lambda m: keep(_link(m.group(1), m.group(2))), text)
    text = _BARE_LINK.sub(lambda m: keep(f"<{m.group(1)}>"), text)
    text = _DROP_TAGS.sub("", text).replace("\\\\", "  \n")
    text = _BOLD.sub(r"**\1**", text)
    text = _ITALIC.sub(r"*\1*", text)
    return _STASH.sub(lambda m: stash[int(m.group(1))], text)


def _link(label: str, target: str) -> str:
    target = target.strip()
    if target.startswith("~"):
        return f"@{target[1:]}"
    shown = label.strip() or target
    if re.match(r"(?:https?|mailto|ftp):", target):
        return f"[{shown}]({target.replace(' ', '%20')})"
    return f"{shown} ({target})"
