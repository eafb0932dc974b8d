"""Bad input: a broken file is never written; bad values are reported per insight, the rest load."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from pullboard import insights
from pullboard.errors import InsightsError
from pullboard.model import Ack, Insight

NOW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
GOOD = """\
version = 1

[[insight]]
id = "good0001"
on = "https://github.com/acme/shop/issues/12"
title = "Fine"
author = "lee"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "shared" / "insights.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "key", "message"),
    [
        ('on = "board"', "title", "missing"),
        ('on = "board"\ntitle = ""', "title", "is empty"),
        ('on = "board"\ntitle = 5', "title", "expected a string, got int 5"),
        ('title = "T"', "on", "missing"),
        ('on = "milestone 3"\ntitle = "T"', "on", "expected the URL of a milestone or issue"),
        ('on = "ftp://host/x"\ntitle = "T"', "on", "expected the URL"),
        ('on = "board"\ntitle = "T"\ncreated = "yesterday"', "created", "expected a date and"),
        ('on = "board"\ntitle = "T"\nexpires = "soon"', "expires", "expected a date such as"),
        ('on = "board"\ntitle = "T"\nexpires = 20250301', "expires", "expected a date such as"),
        ('on = "board"\ntitle = "T"\naudience = [1, 2]', "audience", "expected a list of tags"),
        ('on = "board"\ntitle = "T"\npinned = "yes"', "pinned", "expected true or false"),
        ('on = "board"\ntitle = "T"\nrevision = 0', "revision", "whole number from 1"),
        ('on = "board"\ntitle = "T"\nrevision = true', "revision", "whole number from 1"),
        ('on = "board"\ntitle = "T"\nacks = "sam"', "acks", "expected a table of user"),
        ('on = "board"\ntitle = "T"\nacks = { sam = 5 }', "acks.sam", "a back-brief table"),
        ('on = "board"\ntitle = "T"\nkind = "poll"', "kind", "expected one of note, ask"),
        ('on = "board"\ntitle = "T"\nto = [1]', "to", "expected a list of tags"),
        ('on = "board"\ntitle = "T"\nacks.sam.stance = "read"', "acks.sam.at", "missing"),
        (
            'on = "board"\ntitle = "T"\nacks.sam = { at = 2025-03-01T09:30:00Z, stance = "meh" }',
            "acks.sam.stance",
            "expected one of read, agree, commit, concern, accept, decline",
        ),
        (
            'on = "board"\ntitle = "T"\nacks.sam = { at = 2025-03-01T09:30:00Z, revision = -1 }',
            "acks.sam.revision",
            "expected a whole number",
        ),
    ],
)
def test_a_bad_value_is_reported_with_file_line_insight_and_key_and_the_rest_load(
    tmp_path: Path, body: str, key: str, message: str
) -> None:
    path = write(tmp_path, f'{GOOD}\n[[insight]]\nid = "bad00001"\n{body}\n')

    loaded = insights.load(path)

    assert loaded.error is None
    assert [i.id for i in loaded.insights] == ["good0001"]
    (problem,) = loaded.problems
    assert problem.startswith(f"{path}, line 9: insight 'bad00001' (#2): {key}: ")
    assert message in problem


def test_every_problem_of_one_insight_is_reported_and_one_without_id_by_position(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, f'{GOOD}\n[[insight]]\non = "x"\npinned = 1\n')

    problems = insights.load(path).problems

    assert [p.split(": ")[2] for p in problems] == ["id", "on", "title", "pinned"]
    assert all(p.startswith(f"{path}, line 9: insight #2: ") for p in problems)


def test_a_duplicate_id_is_reported_and_the_first_one_wins(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + GOOD.replace("version = 1\n", "").replace("Fine", "Again"))

    loaded = insights.load(path)

    assert [i.title for i in loaded.insights] == ["Fine"]
    assert "id: duplicate" in loaded.problems[0]


def test_hand_written_values_are_read_leniently(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "\ufeff"
        + GOOD
        + 'created = 2025-03-01T09:30:00\nupdated = 2025-03-02\nexpires = "2025-04-01"\n'
        + 'audience = "team"\nacks = { sam = "2025-03-02T10:00:00Z" }\n',
    )

    (insight,) = insights.load(path).insights

    assert insight.created == NOW
    assert insight.updated == datetime(2025, 3, 2, tzinfo=UTC)
    assert insight.expires == date(2025, 4, 1)
    assert insight.audience == ("team",)
    assert insight.acks == {"sam": Ack(datetime(2025, 3, 2, 10, tzinfo=UTC))}
    assert insight.acked_by("sam")


def test_text_from_the_file_is_cleaned_where_it_enters(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('"Fine"', '"Fine\\u001b[2J"') + 'why = "a\\u0007b"\n')

    (insight,) = insights.load(path).insights

    assert (insight.title, insight.why) == ("Fine\u241b[2J", "a\u2407b")


BROKEN = [
    ("not TOML", GOOD + 'title = "twice"\n', "line 8"),
    ("bad syntax", GOOD.replace('title = "Fine"', "title = Fine"), "line 6"),
    ("not UTF-8", None, "is not UTF-8 text"),
    ("bad version", GOOD.replace("version = 1", 'version = "one"'), "version: expected"),
    ("wrong shape", 'insight = "x"\n', "one [[insight]] table per insight"),
]
WRITES: dict[str, Callable[[Path], object]] = {
    "pin": lambda p: insights.pin(p, Insight(id="", on="board", title="T", author="a")),
    "edit": lambda p: insights.edit(
        p, "good0001", {"title": "New"}, base_revision=1, user="a", now=NOW
    ),
    "unpin": lambda p: insights.unpin(p, "good0001"),
    "ack": lambda p: insights.ack(p, "good0001", "a", NOW),
}


@pytest.mark.parametrize(("case", "text", "where"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_file_is_unavailable_with_its_reason_and_every_write_refuses_it(
    tmp_path: Path, case: str, text: str | None, where: str
) -> None:
    path = tmp_path / "shared" / "insights.toml"
    path.parent.mkdir()
    if text is None:
        path.write_bytes(GOOD.encode().replace(b"Fine", b"F\xffne"))
    else:
        path.write_text(text, encoding="utf-8")
    before, stat = path.read_bytes(), os.stat(path)

    loaded = insights.load(path)

    assert loaded.insights == ()
    assert loaded.error is not None
    assert str(path) in loaded.error and where in loaded.error
    for name, write_once in WRITES.items():
        with pytest.raises(InsightsError) as caught:
            write_once(path)
        assert loaded.error in str(caught.value), name
        assert str(caught.value).startswith("Nothing was saved: ")
    assert path.read_bytes() == before
    after = os.stat(path)
    assert (after.st_ino, after.st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name, f"{path.name}.lock"]


def test_an_unreadable_path_is_an_error_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "insights.toml").mkdir()

    loaded = insights.load(tmp_path / "insights.toml")

    assert loaded.error is not None and "Can't read" in loaded.error


@pytest.mark.parametrize(
    "url",
    [
        "board",
        "https://github.com/acme/shop/issues/12",
        "https://github.com/acme/shop/milestone/3",
        "https://ghe.example.com/acme/shop/issues/7/",
        "https://acme.atlassian.net/browse/PAY-77",
        "http://jira.local:8080/jira/browse/PAY-77",
        "https://acme.atlassian.net/projects/PAY/versions/10001",
        "https://acme.atlassian.net/projects/PAY/versions/10001/tab/release-report-all-issues",
        "https://acme.atlassian.net/jira/software/projects/PAY/boards/12?sprint=5",
    ],
)
def test_item_urls_people_paste_are_accepted(url: str) -> None:
    assert insights.check_target(url) is None


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("acme/shop#12", "expected the URL"),
        ("Board", "expected the URL"),
        ("https://github.com/acme/shop", "doesn't look like a milestone or issue page"),
        ("https://github.com/acme/shop/pull/5", "doesn't look like"),
        ("https://acme.atlassian.net/browse/PAY", "doesn't look like"),
    ],
)
def test_other_targets_are_refused_with_a_reason(url: str, message: str) -> None:
    assert message in (insights.check_target(url) or "")


def test_the_documented_example_loads_cleanly_and_survives_a_rewrite(tmp_path: Path) -> None:
    example = Path(__file__).parents[2] / "config" / "insights.example.toml"
    copy = write(tmp_path, example.read_text(encoding="utf-8"))

    loaded = insights.load(copy)

    assert (loaded.error, loaded.problems) == (None, ())
    first, board = loaded.insights
    assert first.extra == {"owner_team": "web"}
    assert first.acked_by("sam") and not first.acked_by("priya")
    assert board.on == "board"
    insights.ack(copy, board.id, "sam", NOW)
    assert insights.load(copy).insights[0] == first
