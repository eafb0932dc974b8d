"""The insights API: pin, edit (with conflicts), unpin, ack, seed, and what a rewrite keeps."""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from msgspec.structs import replace

from pullboard import insights
from pullboard.errors import InsightsError
from pullboard.insights import changes
from pullboard.insights.format import KEYS
from pullboard.model import Ack, Insight

NOW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
MILESTONE = "https://github.com/acme/shop/milestone/3"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """The shared file, in a folder that exists: pullboard never creates a shared folder."""
    (tmp_path / "shared").mkdir()
    return tmp_path / "shared" / "insights.toml"


def draft(**changes: Any) -> Insight:
    """A valid insight as a pin form would send it."""
    base = Insight(
        id="",
        on=MILESTONE,
        title="A11y pass slips",
        summary="Lands a week late",
        detail="# Audit\n\n12 of 40 open.",
        why="Contract date",
        author="priya",
        audience=("team", "leads"),
        expires=date(2025, 4, 1),
    )
    return replace(base, **changes)


def raw(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_pin_round_trips_every_field_under_a_fresh_short_id(path: Path) -> None:
    stored = insights.pin(path, draft(id="ignored", revision=7, acks={"x": NOW}), now=NOW)

    assert re.fullmatch(r"[0-9a-f]{8}", stored.id)
    assert (stored.revision, stored.acks, stored.created, stored.updated) == (1, {}, NOW, NOW)
    assert insights.load(path).insights == (stored,)
    assert stored.detail == "# Audit\n\n12 of 40 open."
    assert stored.audience == ("team", "leads")
    assert stored.expires == date(2025, 4, 1)


def test_file_says_who_writes_it_and_keeps_a_stable_key_order(path: Path) -> None:
    insights.pin(path, draft(), now=NOW)
    text = path.read_text(encoding="utf-8")

    assert text.startswith("# ")
    assert "pullboard writes this file" in text.splitlines()[0]
    assert "comments are not kept" in text
    table = raw(path)["insight"][0]
    assert list(table) == [k for k in KEYS if k in table]
    assert raw(path)["version"] == insights.VERSION


def test_pin_folds_one_line_fields_and_makes_escapes_inert(path: Path) -> None:
    stored = insights.pin(
        path, draft(title="Two\nlines", summary="a\tb", detail="red \x1b[31m"), now=NOW
    )

    assert (stored.title, stored.summary) == ("Two lines", "a b")
    assert "\x1b" not in path.read_text(encoding="utf-8")
    assert stored.detail == "red \u241b[31m"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "title: missing"),
        ({"on": "milestone 3"}, "on: expected the URL"),
        ({"author": ""}, "author: missing"),
        ({"audience": ("a,b",)}, "tags can't hold commas"),
    ],
)
def test_pin_refuses_invalid_insights_and_writes_nothing(
    path: Path, changes: dict[str, object], message: str
) -> None:
    assert any(message in p for p in insights.check(draft(**changes)))
    with pytest.raises(InsightsError, match=message):
        insights.pin(path, draft(**changes), now=NOW)
    assert not path.exists()


def test_pin_draws_a_new_id_when_one_is_taken(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = insights.pin(path, draft(), now=NOW)
    draws = iter([first.id, first.id, "0badcafe"])
    monkeypatch.setattr(changes, "_draw_id", lambda: next(draws))

    assert insights.pin(path, draft(), now=NOW).id == "0badcafe"
    assert [i.id for i in insights.load(path).insights] == [first.id, "0badcafe"]


def test_edit_changes_the_given_fields_and_bumps_revision(path: Path) -> None:
    pinned = insights.pin(path, draft(), now=NOW)
    later = NOW + timedelta(hours=1)

    new = insights.edit(
        path, pinned.id, {"title": "Slips two weeks", "expires": None},
        base_revision=1, user="lee", now=later,
    )  # fmt: skip

    assert (new.title, new.expires, new.revision) == ("Slips two weeks", None, 2)
    assert (new.updated, new.updated_by, new.created) == (later, "lee", NOW)
    assert insights.load(path).insights == (new,)
    assert "expires" not in raw(path)["insight"][0]


def test_edit_from_an_old_revision_is_refused_naming_who_and_when(path: Path) -> None:
    pinned = insights.pin(path, draft(), now=NOW)
    insights.edit(path, pinned.id, {"why": "Sooner"}, base_revision=1, user="lee", now=NOW)
    before = path.read_bytes()

    with pytest.raises(insights.Conflict) as caught:
        insights.edit(path, pinned.id, {"why": "Mine"}, base_revision=1, user="sam", now=NOW)

    assert "changed by lee at 2025-03-01 09:30 UTC, reload" in str(caught.value)
    assert caught.value.current.why == "Sooner"
    assert path.read_bytes() == before


def test_edit_that_changes_nothing_writes_nothing(path: Path) -> None:
    pinned = insights.pin(path, draft(), now=NOW)
    seen = insights.fingerprint(path)

    same = insights.edit(
        path, pinned.id, {"title": pinned.title}, base_revision=1, user="lee", now=NOW
    )

    assert same == pinned
    assert insights.fingerprint(path) == seen


@pytest.mark.parametrize(
    ("insight_id", "changes", "message"),
    [
        ("nope", {"title": "x"}, "There is no insight nope"),
        (None, {"revision": 9}, "Can't edit revision"),
        (None, {"on": "somewhere"}, "on: expected the URL"),
    ],
)
def test_bad_edits_are_refused(
    path: Path, insight_id: str | None, changes: dict[str, object], message: str
) -> None:
    pinned = insights.pin(path, draft(), now=NOW)
    before = path.read_bytes()

    with pytest.raises(InsightsError, match=message):
        insights.edit(
            path, insight_id or pinned.id, changes,  # type: ignore[arg-type]
            base_revision=1, user="lee", now=NOW,
        )  # fmt: skip
    assert path.read_bytes() == before


def test_ack_is_keyed_by_user_and_leaves_revision_and_updated_alone(path: Path) -> None:
    pinned = insights.pin(path, draft(), now=NOW)
    insights.ack(path, pinned.id, "sam", NOW + timedelta(minutes=1))
    insights.ack(path, pinned.id, "lee", NOW + timedelta(minutes=2))
    again = insights.ack(path, pinned.id, "sam", NOW + timedelta(minutes=3))

    (stored,) = insights.load(path).insights
    assert stored == again
    assert stored.acks == {
        "sam": Ack(NOW + timedelta(minutes=3)),
        "lee": Ack(NOW + timedelta(minutes=2)),
    }
    assert (stored.revision, stored.updated) == (1, NOW)
    assert stored.acked_by("sam") and stored.acked_by("lee") and not stored.acked_by("dana")


def test_an_edit_makes_every_earlier_ack_stale_even_within_the_same_second(path: Path) -> None:
    pinned = insights.pin(path, draft(), now=NOW)
    insights.ack(path, pinned.id, "sam", NOW)

    new = insights.edit(path, pinned.id, {"why": "New"}, base_revision=1, user="lee", now=NOW)

    assert not new.acked_by("sam")
    assert new.updated == NOW + timedelta(seconds=1)


def test_an_edit_from_a_slow_clock_never_moves_updated_back(path: Path) -> None:
    pinned = insights.pin(path, draft(), now=NOW)

    new = insights.edit(
        path, pinned.id, {"why": "New"}, base_revision=1, user="lee", now=NOW - timedelta(hours=1)
    )

    assert new.updated == NOW


def test_an_ack_from_a_slow_clock_still_counts_for_the_revision_read(path: Path) -> None:
    pinned = insights.pin(path, draft(), now=NOW)

    acked = insights.ack(path, pinned.id, "sam", NOW - timedelta(minutes=5), base_revision=1)

    assert acked.acks["sam"].at == NOW
    assert acked.acked_by("sam")


def test_ack_of_a_revision_that_changed_is_refused(path: Path) -> None:
    pinned = insights.pin(path, draft(), now=NOW)
    insights.edit(path, pinned.id, {"why": "New"}, base_revision=1, user="lee", now=NOW)

    with pytest.raises(insights.Conflict, match="changed by lee"):
        insights.ack(path, pinned.id, "sam", NOW, base_revision=1)
    assert insights.load(path).insights[0].acks == {}


def test_unpin_removes_only_that_insight_and_returns_it(path: Path) -> None:
    keep = insights.pin(path, draft(title="Keep"), now=NOW)
    drop = insights.pin(path, draft(title="Drop"), now=NOW)

    assert insights.unpin(path, drop.id) == drop
    assert insights.load(path).insights == (keep,)
    with pytest.raises(InsightsError, match=f"no insight {drop.id}"):
        insights.unpin(path, drop.id)


def test_unpin_from_an_old_revision_is_refused(path: Path) -> None:
    pinned = insights.pin(path, draft(), now=NOW)
    insights.edit(path, pinned.id, {"why": "New"}, base_revision=1, user="lee", now=NOW)

    with pytest.raises(insights.Conflict):
        insights.unpin(path, pinned.id, base_revision=1)
    assert len(insights.load(path).insights) == 1


HAND_WRITTEN = """\
# a comment that the next write drops
version = 1
team = "payments"

[[insight]]
id = "hand0001"
on = "board"
title = "Hand-written"
author = "lee"
owner_team = "payments"
links = ["https://wiki.example/x"]

[insight.review]
by = "dana"

[[insight]]
id = "broken01"
on = "board"
title = "Bad date"
expires = "next week"
"""


def test_a_rewrite_keeps_unknown_keys_and_insights_it_cannot_read(path: Path) -> None:
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    before = tomllib.loads(HAND_WRITTEN)

    added = insights.pin(path, draft(), now=NOW)
    insights.ack(path, "hand0001", "sam", NOW)

    after = raw(path)
    assert after["team"] == "payments"
    hand, broken, new = after["insight"]
    assert {k: hand[k] for k in ("owner_team", "links", "review")} == {
        "owner_team": "payments",
        "links": ["https://wiki.example/x"],
        "review": {"by": "dana"},
    }
    assert broken == before["insight"][1]
    assert new["id"] == added.id
    loaded = insights.load(path)
    assert loaded.insights[0].extra["owner_team"] == "payments"
    assert [i.id for i in loaded.insights] == ["hand0001", added.id]


def test_an_insight_with_problems_cannot_be_changed_until_fixed(path: Path) -> None:
    path.write_text(HAND_WRITTEN, encoding="utf-8")

    with pytest.raises(InsightsError, match=r"insight 'broken01' \(#2\): expires"):
        insights.ack(path, "broken01", "sam", NOW)
    with pytest.raises(InsightsError, match="expires"):
        insights.get(path, "broken01")
    assert path.read_text(encoding="utf-8") == HAND_WRITTEN


def test_get_returns_the_current_revision(path: Path) -> None:
    pinned = insights.pin(path, draft(), now=NOW)
    insights.edit(path, pinned.id, {"why": "New"}, base_revision=1, user="lee", now=NOW)

    assert insights.get(path, pinned.id).revision == 2
    with pytest.raises(InsightsError, match="There is no insight zzz"):
        insights.get(path, "zzz")


def test_seed_writes_a_missing_file_once_and_never_touches_an_existing_one(path: Path) -> None:
    demo = [Insight(id="demo-1", on="board", title="Freeze", author="lee", created=NOW)]
    insights.seed(path, demo)
    assert [i.id for i in insights.load(path).insights] == ["demo-1"]

    insights.pin(path, draft(), now=NOW)
    before = path.read_bytes()
    insights.seed(path, [Insight(id="demo-9", on="board", title="Other", author="lee")])
    assert path.read_bytes() == before


def test_a_file_from_a_newer_pullboard_is_read_but_never_rewritten(path: Path) -> None:
    path.write_text('version = 3\n[[insight]]\nid = "a"\non = "board"\ntitle = "T"\n', "utf-8")
    before = path.read_bytes()

    loaded = insights.load(path)

    assert [i.id for i in loaded.insights] == ["a"]
    assert any("insights format 3" in p for p in loaded.problems)
    with pytest.raises(InsightsError, match="Upgrade pullboard"):
        insights.pin(path, draft(), now=NOW)
    assert path.read_bytes() == before


def test_a_missing_file_is_an_empty_board(path: Path) -> None:
    assert insights.load(path) == insights.Loaded(())


def test_tables_that_did_not_change_keep_their_text_and_changed_ones_are_rewritten(
    path: Path,
) -> None:
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    first = HAND_WRITTEN.index("[[insight]]")
    hand_table = HAND_WRITTEN[first : HAND_WRITTEN.index("[[insight]]", first + 1)]

    insights.pin(path, draft(), now=NOW)
    assert hand_table in path.read_text(encoding="utf-8")
    assert "# a comment" not in path.read_text(encoding="utf-8")

    insights.ack(path, "hand0001", "sam", NOW)
    text = path.read_text(encoding="utf-8")
    assert hand_table not in text
    assert 'id = "hand0001"\non = "board"\ntitle = "Hand-written"\nauthor = "lee"\n' in text


@pytest.mark.parametrize(
    "tail",
    [
        '[[insight]]\nid = "x"\non = "board"\ntitle = "T"\ndetail = """\n[[insight]]\n"""\n',
        '[[insight]]\nid = "x"\non = "board"\ntitle = "T"\n\n[meta]\nowner = "payments"\n',
        '[[ insight ]]\nid = "x"\non = "board"\ntitle = "T"\n[[insight]]\nid = "y"\n'
        'on = "board"\ntitle = "U"\n',
    ],
    ids=["header inside a string", "table after the insights", "spaced header"],
)
def test_unusual_layouts_are_read_and_rewritten_as_a_whole_file(path: Path, tail: str) -> None:
    path.write_text(f"version = 1\n\n{tail}", encoding="utf-8")
    before = tomllib.loads(path.read_text(encoding="utf-8"))
    ids = [i.id for i in insights.load(path).insights]

    added = insights.pin(path, draft(), now=NOW)

    after = raw(path)
    assert after["insight"][:-1] == before["insight"]
    assert after.get("meta") == before.get("meta")
    assert [i.id for i in insights.load(path).insights] == [*ids, added.id]


@pytest.mark.parametrize("size", [1, 200], ids=["short", "long"])
def test_a_changed_table_holding_tables_of_its_own_keeps_them(path: Path, size: int) -> None:
    path.write_text(
        'version = 1\n\n[[insight]]\nid = "x"\non = "board"\ntitle = "T"\n\n'
        f'[[insight.links]]\nurl = "https://wiki.example/{"p" * size}"\n',
        encoding="utf-8",
    )
    before = raw(path)["insight"][0]

    insights.ack(path, "x", "sam", NOW)

    brief = {"at": NOW, "revision": 1, "stance": "read"}
    assert raw(path)["insight"][0] == {**before, "acks": {"sam": brief}}
