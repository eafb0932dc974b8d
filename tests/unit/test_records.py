"""Model records are msgspec Structs: JSON walks them field by field, `replace` keeps the rest
and re-runs what construction does."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from msgspec.structs import replace

from pullboard.codec import to_jsonable
from pullboard.model import Ack, Insight, Issue, Milestone, SourceData, State

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def test_json_walks_a_record_field_by_field_in_declared_order() -> None:
    insight = Insight(
        "i1", "board", "Title", expires=date(2026, 12, 1), acks={"sam": Ack(NOW, stance="agree")}
    )
    out = to_jsonable(insight)
    assert list(out) == [
        "id", "on", "title", "summary", "detail", "why", "author", "created", "updated",
        "updated_by", "expires", "audience", "pinned", "revision", "acks", "kind", "to", "extra",
    ]  # fmt: skip
    assert out["expires"] == "2026-12-01"
    assert out["acks"] == {
        "sam": {"at": "2026-11-21T12:00:00+00:00", "revision": 1, "stance": "agree", "note": ""}
    }
    assert out["audience"] == [] and out["extra"] == {}


def test_replace_keeps_every_other_field_and_records_stay_frozen() -> None:
    insight = Insight("i1", "board", "Title", summary="s", revision=3, to=("sam",), kind="ask")
    edited = replace(insight, title="New")
    assert edited.title == "New"
    assert replace(edited, title="Title") == insight
    assert hash(Ack(NOW)) == hash(Ack(NOW, 1, "read", ""))
    with pytest.raises(AttributeError):
        insight.title = "x"  # type: ignore[misc]


def _milestone(url: str) -> Milestone:
    return Milestone(url, "acme/web@1.0", "gh", "1.0", State.OPEN, None, 1, 0)


def _issue(milestone: str) -> Issue:
    url = "https://github.com/acme/web/issues/1"
    return Issue(url, "acme/web#1", "gh", milestone, "Fix", State.OPEN, "Open", NOW, NOW)


def test_source_data_repoints_issues_when_built_and_when_replaced() -> None:
    """An issue naming its milestone on another host belongs to it: on construction, and on
    every copy `replace` makes (it runs `__post_init__` as the constructor does)."""
    own = "https://api.example.com/acme/web/milestone/1"
    other = "https://example.com/acme/web/milestone/1"
    data = SourceData((_milestone(own),), (_issue(other),), NOW)
    assert data.issues[0].milestone == own
    again = replace(data, issues=(_issue(other),), complete=frozenset({own}))
    assert again.issues[0].milestone == own
    assert again.milestones == data.milestones and again.fetched_at == NOW
