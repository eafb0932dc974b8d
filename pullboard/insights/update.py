"""One change to the insights file, whichever store holds it: read, apply, write, and again
should another writer get there first. Every write (insights, back-briefs, goals) goes here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from pullboard.errors import InsightsError
from pullboard.insights.format import Document, decode, encode
from pullboard.insights.schema import parse_table, where
from pullboard.insights.store import Edit, Store, as_store
from pullboard.model import Insight
from pullboard.text import one_line

T = TypeVar("T")


def update(
    where: Store | Path,
    change: Callable[[Document], tuple[T, bool]],
    message: Callable[[T], str],
) -> T:
    """Apply `change` to the file as the store reads it now (again, should another writer
    get there first), and store it if it changed something; `message` describes it."""
    store = as_store(where)
    results: list[T] = []

    def apply(data: bytes | None) -> Edit | None:
        try:
            doc = Document() if data is None else decode(data, store.where)
        except InsightsError as err:
            raise InsightsError(f"Nothing was saved: {err}") from None
        if reason := doc.newer(store.where):
            raise InsightsError(reason)
        result, changed = change(doc)
        results.append(result)
        return Edit(encode(doc), message(result)) if changed else None

    store.update(apply)
    return results[-1]


def find(doc: Document, store: Store, insight_id: str) -> tuple[int, Insight]:
    """The index and value of the insight with this id, which must be valid to be changed."""
    for index, table in enumerate(doc.tables):
        raw = table.get("id")
        if isinstance(raw, str) and one_line(raw) == insight_id:
            insight, problems = parse_table(table, where(store.where, doc, index))
            if insight is None:
                raise InsightsError(f"{'; '.join(problems)}. Fix it by hand before changing it.")
            return index, insight
    raise InsightsError(
        f"There is no insight {insight_id} in {store.where} (it may have been removed)."
    )


def who(user: str) -> str:
    """A user name as written on changes; refused when empty."""
    name = one_line(user)
    if not name:
        raise InsightsError("No user name: set `me` in the [board] table of the config.")
    return name
