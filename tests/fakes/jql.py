"""A small JQL evaluator for the fake Jira: AND / OR / NOT, parentheses, `=`, `!=`, `in`,
`not in`, `is [not] EMPTY`, date comparisons with relative (`-5m`) or absolute values, and
ORDER BY (ignored: the fake always answers in key order, as pullboard asks).

Unknown fields and projects are errors worded as Jira words them, so the client's 400
handling is exercised with real messages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

Predicate = Callable[[Any, datetime], bool]
"""(issue, now) -> matches."""

_TOKEN = re.compile(r'\s*(\(|\)|,|!=|>=|<=|=|>|<|"[^"]*"|\'[^\']*\'|[^\s(),=!<>"\']+)')
_RELATIVE = re.compile(r"(-?\d+)([mhdw])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class JqlError(ValueError):
    """The query is wrong; the message is what Jira would say."""


class Fields(Protocol):
    """What the evaluator needs from the fake: field values and known projects."""

    projects: set[str]

    def values(self, issue: Any, field: str) -> list[str] | None:
        """The issue's values for a field (lowercase name), or None for an unknown field."""
        ...

    def moment(self, issue: Any, field: str) -> datetime | None:
        """The issue's timestamp for `created`, `updated`, `resolved`; None otherwise."""
        ...


def parse(jql: str, fields: Fields) -> Predicate:
    """Compile a JQL query into a predicate.

    Raises:
        JqlError: on a syntax error, an unknown field or an unknown project.
    """
    body = re.split(r"\border\s+by\b", jql, maxsplit=1, flags=re.IGNORECASE)[0]
    tokens = [t for t in _TOKEN.findall(body) if t]
    if not tokens:
        return lambda issue, now: True
    parser = _Parser(tokens, fields)
    predicate = parser.expression()
    if parser.pos != len(tokens):
        raise JqlError(f"Error in the JQL Query: unexpected '{tokens[parser.pos]}'.")
    return predicate


class _Parser:
    def __init__(self, tokens: list[str], fields: Fields) -> None:
        self.tokens = tokens
        self.pos = 0
        self.fields = fields

    def peek(self) -> str:
        return self.tokens[self.pos].lower() if self.pos < len(self.tokens) else ""

    def take(self) -> str:
        if self.pos >= len(self.tokens):
            raise JqlError("Error in the JQL Query: the query ends too soon.")
        self.pos += 1
        return self.tokens[self.pos - 1]

    def expression(self) -> Predicate:
        terms = [self.conjunction()]
        while self.peek() == "or":
            self.take()
            terms.append(self.conjunction())
        return lambda issue, now: any(t(issue, now) for t in terms)

    def conjunction(self) -> Predicate:
        terms = [self.term()]
        while self.peek() == "and":
            self.take()
            terms.append(self.term())
        return lambda issue, now: all(t(issue, now) for t in terms)

    def term(self) -> Predicate:
        if self.peek() == "not":
            self.take()
            inner = self.term()
            return lambda issue, now: not inner(issue, now)
        if self.peek() == "(":
            self.take()
            inner = self.expression()
            if self.take() != ")":
                raise JqlError("Error in the JQL Query: expecting ')'.")
            return inner
        return self.comparison()

    def comparison(self) -> Predicate:
        field = _unquote(self.take()).lower()
        op = self.take().lower()
        if op in ("not", "is") and self.peek() in ("in", "not"):
            op = f"{op} {self.take().lower()}"
        if op in ("is", "is not"):
            self.take()  # EMPTY / null
            return self._empty(field, negate=op == "is not")
        values = self._values() if op in ("in", "not in") else [_unquote(self.take())]
        if field in ("created", "updated", "resolved", "resolutiondate"):
            return self._dates(field, op, values[0])
        self._check(field, values)
        wanted = {v.lower() for v in values}
        positive = op in ("=", "in")
        if op not in ("=", "!=", "in", "not in"):
            raise JqlError(f"The operator '{op}' is not supported by the '{field}' field.")

        def match(issue: Any, now: datetime) -> bool:
            have = {v.lower() for v in self.fields.values(issue, field) or ()}
            hit = bool(have & wanted)
            return hit if positive else bool(have) and not hit

        return match

    def _values(self) -> list[str]:
        if self.take() != "(":
            raise JqlError("Error in the JQL Query: expecting '(' after 'in'.")
        values: list[str] = []
        while True:
            values.append(_unquote(self.take()))
            token = self.take()
            if token == ")":
                return values
            if token != ",":
                raise JqlError("Error in the JQL Query: expecting ',' or ')'.")

    def _check(self, field: str, values: list[str]) -> None:
        if self.fields.values(None, field) is None:
            raise JqlError(
                f"Field '{field}' does not exist or you do not have permission to view it."
            )
        if field == "project":
            for value in values:
                if value.upper() not in self.fields.projects:
                    raise JqlError(f"The value '{value}' does not exist for the field 'project'.")

    def _empty(self, field: str, *, negate: bool) -> Predicate:
        self._check(field, [])
        return lambda issue, now: bool(self.fields.values(issue, field)) == negate

    def _dates(self, field: str, op: str, value: str) -> Predicate:
        relative = _RELATIVE.fullmatch(value)
        absolute = None if relative else datetime.fromisoformat(value.replace("/", "-"))
        compare = {
            ">=": lambda a, b: a >= b,
            ">": lambda a, b: a > b,
            "<=": lambda a, b: a <= b,
            "<": lambda a, b: a < b,
        }.get(op)
        if compare is None:
            raise JqlError(f"The operator '{op}' is not supported by the '{field}' field.")

        def match(issue: Any, now: datetime) -> bool:
            if relative:
                unit = _UNITS[relative.group(2)]
                limit = now + timedelta(**{unit: int(relative.group(1))})
            else:
                assert absolute is not None
                limit = absolute if absolute.tzinfo else absolute.replace(tzinfo=now.tzinfo)
            moment = self.fields.moment(issue, field)
            return moment is not None and compare(moment, limit)

        return match


def _unquote(token: str) -> str:
    return token[1:-1] if len(token) >= 2 and token[0] == token[-1] and token[0] in "\"'" else token
