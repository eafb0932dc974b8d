"""The insights file as TOML: bytes <-> a Document of raw `[[insight]]` tables, and back.

Writes work on the tables as parsed, not on Insight objects, so a rewrite changes only the one
insight it means to change: unknown keys, other tools' additions and even insights this version
can't read are written back as they were. Tables <-> Insight lives in `insights_schema`.
"""

from __future__ import annotations

import copy
import functools
import re
import tomllib
from pathlib import Path
from typing import Any

import msgspec
import tomli_w

from pullboard import files
from pullboard.errors import InsightsError

VERSION = 2
"""Format version this pullboard writes; files from a newer one are read but never rewritten.

2: back-briefs (`[insight.acks.NAME]` tables with at, revision, stance, note), `kind` and
`to` (asks), `[audiences.NAME]` and `[[goal]]`. Version 1 files read as they are (a plain
`NAME = time` ack is stance `read`) and are upgraded on the next write."""

HEADER = (
    "# Shared insights for pullboard. pullboard writes this file, and every change rewrites it:\n"
    "# comments are not kept (keys it doesn't know are).\n"
    "# Change it with `pullboard pin|edit|unpin|ack` or the board; edit by hand with care.\n\n"
)

KEYS = (
    "id", "on", "kind", "title", "summary", "detail", "why", "author", "created", "updated",
    "updated_by", "expires", "audience", "to", "pinned", "revision", "acks",
)  # fmt: skip
"""Known keys in the order they are written, so diffs of the file stay small and readable."""


class Document(msgspec.Struct):
    """The file as parsed: other top-level keys and the raw `[[insight]]` tables, in order.

    Change it only through `add`, `remove` and `changing`: tables may be shared with the parse
    cache, and each table's text as read is reused verbatim until the table changes.
    """

    version: int = VERSION
    top: dict[str, Any] = msgspec.field(default_factory=dict)
    """Top-level keys other than `version` and `insight`, kept on rewrite."""
    tables: list[dict[str, Any]] = msgspec.field(default_factory=list)
    lines: list[int | None] = msgspec.field(default_factory=list)
    """Line of each table's `[[insight]]` header, for messages (None when not known)."""
    texts: list[str | None] = msgspec.field(default_factory=list)
    """Each table's text as read (None once changed, or when the file had to be parsed whole)."""
    heads: dict[str, list[int]] = msgspec.field(default_factory=dict)
    """Lines of other table headers as read, for messages: `goal` -> each `[[goal]]`,
    `audiences.NAME` -> its `[audiences.NAME]`."""

    def newer(self, path: Path | str) -> str | None:
        """Why this pullboard must not rewrite the file (a newer format), or None."""
        if self.version <= VERSION:
            return None
        return (
            f"{path} is written in insights format {self.version}; this pullboard knows "
            f"format {VERSION}. Upgrade pullboard to change insights."
        )

    def add(self, table: dict[str, Any]) -> None:
        """Append a new table."""
        self.tables.append(table)
        self.lines.append(None)
        self.texts.append(None)

    def remove(self, index: int) -> None:
        """Drop one table."""
        del self.tables[index], self.lines[index], self.texts[index]

    def changing(self, index: int) -> dict[str, Any]:
        """A private copy of one table to change; it is written out anew."""
        self.tables[index] = copy.deepcopy(self.tables[index])
        self.texts[index] = None
        return self.tables[index]


def decode(data: bytes, path: Path | str) -> Document:
    """Parse the file's bytes.

    Raises:
        InsightsError: when the file as a whole is unusable (not UTF-8, not TOML, wrong shape);
            the message names the file and, from tomllib, the line and column.
    """
    advice = "Fix it by hand; pullboard won't write to it until then."
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InsightsError(f"{path} is not UTF-8 text ({err.reason}). {advice}") from err
    doc = _by_table(text)
    if doc is None:
        try:
            raw = files.parse_toml(text)
        except tomllib.TOMLDecodeError as err:
            raise InsightsError(f"{path} is not valid TOML: {err}. {advice}") from err
        doc = Document(top=raw, tables=raw.pop("insight", []))
        doc.lines = _header_lines(text, doc.tables)
        doc.texts = [None] * len(doc.lines)
    doc.heads = _heads(text)
    version = doc.top.pop("version", VERSION)
    if isinstance(version, bool) or not isinstance(version, int):
        raise InsightsError(f"{path}: version: expected a whole number, got {version!r}. {advice}")
    doc.version = version
    if not isinstance(doc.tables, list) or not all(isinstance(t, dict) for t in doc.tables):
        raise InsightsError(
            f"{path}: insight: expected one [[insight]] table per insight. {advice}"
        )
    return doc


_HEADER_RE = re.compile(r"\s*\[\[\s*insight\s*\]\]")
_SPLIT_RE = re.compile(r"^(?=\[\[insight\]\][ \t]*\r?$)", re.MULTILINE)


def _header_lines(text: str, tables: object) -> list[int | None]:
    headers = [n + 1 for n, line in enumerate(text.splitlines()) if _HEADER_RE.match(line)]
    count = len(tables) if isinstance(tables, list) else 0
    return list(headers) if len(headers) == count else [None] * count


_HEAD_RE = re.compile(r"\s*\[(\[)?\s*(goal|audiences\.\s*(\"[^\"]*\"|[\w-]+))\s*\]")


def _heads(text: str) -> dict[str, list[int]]:
    """Where `[[goal]]` and `[audiences.NAME]` headers are (the cheap way: by line)."""
    heads: dict[str, list[int]] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        if found := _HEAD_RE.match(line):
            kind = "goal" if found[2] == "goal" else f"audiences.{found[3].strip(chr(34))}"
            heads.setdefault(kind, []).append(n)
    return heads


def _by_table(text: str) -> Document | None:
    """Parse table by table, through a cache, as pullboard writes one `[[insight]]` per table.

    Rewriting a long file then costs one parse per changed table, not one per table, which
    keeps the time the lock is held short. Each table's text must parse on its own to exactly
    one insight table (and the rest to plain top-level keys); anything else (a header inside a
    multi-line string, tables in an unusual order) returns None, and the file is parsed whole.
    """
    preamble, *chunks = _SPLIT_RE.split(text)
    top = _parse(preamble)
    if top is None or "insight" in top:
        return None
    doc = Document(top=dict(top))
    line = preamble.count("\n") + 1
    for chunk in chunks:
        parsed = _parse(chunk)
        tables = parsed.get("insight") if parsed is not None and len(parsed) == 1 else None
        if not isinstance(tables, list) or len(tables) != 1:
            return None
        doc.tables.append(tables[0])
        doc.lines.append(line)
        doc.texts.append(chunk)
        line += chunk.count("\n")
    return doc


@functools.lru_cache(maxsize=4096)
def _parse(text: str) -> dict[str, Any] | None:
    """One piece of the file parsed, or None; callers must never change what it returns."""
    try:
        return files.parse_toml(text)
    except tomllib.TOMLDecodeError:
        return None


def encode(doc: Document) -> bytes:
    """The file's new bytes: header comment, `version`, other keys, then one table per insight.

    Tables that did not change keep their text as read; changed and new ones are written by
    tomli-w with their keys in `KEYS` order. The result is parsed back before it is returned
    (cheaply, through the cache); should it not mean exactly `doc`, tomli-w writes the whole
    file instead, so an odd value can cost readability but never data.
    """
    head = tomli_w.dumps({"version": VERSION, **doc.top}, multiline_strings=True)
    parts = [HEADER + head]
    for table, text in zip(doc.tables, doc.texts, strict=True):
        parts.append(_table_text(table) if text is None else text)
    joined = "\n".join(p.rstrip() + "\n" for p in parts)
    again = _by_table(joined)
    if again is None or again.top != {"version": VERSION, **doc.top} or again.tables != doc.tables:
        whole = {"version": VERSION, **doc.top, "insight": [ordered(t) for t in doc.tables]}
        joined = HEADER + tomli_w.dumps(whole, multiline_strings=True)
    return joined.encode("utf-8")


def _table_text(table: dict[str, Any]) -> str:
    """One `[[insight]]` table; tomli-w alone would write a short one inline."""
    keys = ordered(table)
    flat = {k: v for k, v in keys.items() if not isinstance(v, dict)}
    nested = {k: v for k, v in keys.items() if isinstance(v, dict)}
    text = "[[insight]]\n" + tomli_w.dumps(flat, multiline_strings=True)
    if nested:
        text += "\n" + tomli_w.dumps({"insight": nested}, multiline_strings=True)
    return text


def ordered(table: dict[str, Any]) -> dict[str, Any]:
    """Known keys in `KEYS` order, then unknown keys in the order they came."""
    known = {k: table[k] for k in KEYS if k in table}
    return known | {k: v for k, v in table.items() if k not in known}
