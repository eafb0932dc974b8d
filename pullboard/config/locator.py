"""Line numbers for dotted keys in a TOML text, because `tomllib` gives values but no positions.

A lenient line scanner, not a parser: it tracks `[table]` and `[[array]]` headers (with their
element index), dotted keys (`keymap.quit = "q"`), sub-tables of the last array element
(`[source.extra]`), and skips multi-line strings and arrays so their contents are never
mistaken for keys or headers. It also works on text that is not valid TOML, to name the key
on the line a syntax error points at.
"""

from __future__ import annotations

import re

Path = tuple[str | int, ...]
"""A key path: `("source", 1, "repo")` is the `repo` key of the second `[[source]]` table."""

_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_DOTTED = rf"{_PART}(?:\s*\.\s*{_PART})*"
_ARRAY_HEADER = re.compile(rf"\[\[\s*({_DOTTED})\s*\]\]\s*(?:#.*)?$")
_HEADER = re.compile(rf"\[\s*({_DOTTED})\s*\]\s*(?:#.*)?$")
_KEY = re.compile(rf"({_DOTTED})\s*=(.*)$")
_STRINGS = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\]|\\.)*"|\'[^\']*\'')
_BARE = re.compile(r"[A-Za-z0-9_-]+")


def split_key(dotted: str) -> tuple[str, ...]:
    """`a."b.c".d` -> `("a", "b.c", "d")`."""
    parts = re.findall(_PART, dotted)
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)


def show(path: Path) -> str:
    """A path as users write it: `source[1].repo`, `board.keymap."app.quit"`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = part if _BARE.fullmatch(part) else f'"{part}"'
            out += f".{name}" if out else name
    return out


class Locator:
    """Maps key paths to 1-based line numbers in one TOML text."""

    def __init__(self, text: str) -> None:
        self._lines: dict[Path, int] = {}
        self._at: dict[int, Path] = {}
        self.repeated: list[tuple[Path, int]] = []
        """Keys and tables written a second time, with the line of the repeat."""
        self._scan(text.splitlines())

    def line(self, path: Path) -> int | None:
        """The line of `path`, else of its nearest enclosing key or table; None if none."""
        for end in range(len(path), 0, -1):
            found = self._lines.get(path[:end])
            if found is not None:
                return found
        return None

    def key_at(self, line: int) -> Path | None:
        """The key (or table header) written on `line`, when the line holds one."""
        return self._at.get(line)

    def _scan(self, lines: list[str]) -> None:
        table: Path = ()
        counts: dict[tuple[str, ...], int] = {}
        skip_until: str | None = None  # closing delimiter of a multi-line string
        depth = 0  # open brackets of a multi-line array or inline table
        for number, raw in enumerate(lines, start=1):
            if skip_until is not None:
                skip_until = _continue_string(raw, skip_until)
                continue
            text = raw.strip()
            if depth > 0:
                depth, skip_until = _track(text, depth)
                continue
            if not text or text.startswith("#"):
                continue
            header = _ARRAY_HEADER.match(text)
            if header:
                name = split_key(header.group(1))
                counts[name] = counts.get(name, -1) + 1
                table = (*_resolve(name[:-1], counts), name[-1], counts[name])
                self._mark(table, number)
                self._mark(table[:-1], number)
                continue
            header = _HEADER.match(text)
            if header:
                table = _resolve(split_key(header.group(1)), counts)
                self._mark(table, number, once=True)
                continue
            key = _KEY.match(text)
            if key:
                parts = split_key(key.group(1))
                self._mark((*table, *parts), number, once=True)
                for end in range(1, len(parts)):  # `a.b = 1` also writes the table `a`
                    self._mark((*table, *parts[:end]), number)
                depth, skip_until = _track(key.group(2), 0)

    def _mark(self, path: Path, number: int, *, once: bool = False) -> None:
        if once and path in self._lines:
            self.repeated.append((path, number))
        self._lines.setdefault(path, number)
        self._at.setdefault(number, path)


def _resolve(names: tuple[str, ...], counts: dict[tuple[str, ...], int]) -> Path:
    """`[source.extra]` after `[[source]]` means the last source element's `extra` table."""
    path: Path = ()
    for end in range(1, len(names) + 1):
        path = (*path, names[end - 1])
        if names[:end] in counts:
            path = (*path, counts[names[:end]])
    return path


def _continue_string(raw: str, closing: str) -> str | None:
    """Still inside a multi-line string after this line? Its delimiter if so."""
    if closing not in raw:
        return closing
    rest = raw.split(closing, 1)[1]
    return _track(rest, 0)[1]


def _track(value: str, depth: int) -> tuple[int, str | None]:
    """Bracket depth after `value`, and the delimiter of a multi-line string left open."""
    for delimiter in ('"""', "'''"):
        if value.count(delimiter) % 2 == 1:
            return depth, delimiter
    bare = _STRINGS.sub("", value).split("#", 1)[0]
    depth += bare.count("[") + bare.count("{") - bare.count("]") - bare.count("}")
    return max(depth, 0), None
