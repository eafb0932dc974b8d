"""`pullboard export` keeps the documented JSON shape; Markdown is a readable digest."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from msgspec.structs import replace

from pullboard import export
from pullboard.board import DEMO_LAST_LOOK, Board
from pullboard.cli import main
from pullboard.sources.demo import demo_config
from pullboard.text import json_inert

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)

MILESTONE_KEYS = {
    "url",
    "ref",
    "source",
    "title",
    "state",
    "due",
    "open",
    "closed",
    "progress",
    "forecast",
    "forecast_p85",
    "on_time",
    "risk",
    "reason",
    "blockers",
    "scope_added",
    "scope_removed",
    "due_moves",
    "first_due",
    "history",
    "insights",
}
CHANGE_KEYS = {"at", "kind", "url", "ref", "title", "from", "to", "by", "text"}
ISSUE_KEYS = {
    "url",
    "ref",
    "source",
    "milestone",
    "title",
    "state",
    "status",
    "assignees",
    "labels",
    "priority",
    "updated",
    "closed_at",
    "pressing",
    "insights",
}
INSIGHT_KEYS = {
    "id",
    "on",
    "title",
    "summary",
    "detail",
    "why",
    "author",
    "created",
    "expires",
    "audience",
    "acks",
}


async def demo_snapshot() -> dict[str, object]:
    snap = await Board(demo_config(), clock=lambda: NOW).refresh(full=True)
    return json.loads(export.to_json(snap))


async def test_json_shape() -> None:
    data = await demo_snapshot()
    assert {"generated_at", "board", "sources", "milestones", "issues", "insights"} <= set(data)
    assert datetime.fromisoformat(data["generated_at"]) == NOW  # type: ignore[arg-type]
    for source in data["sources"]:  # type: ignore[attr-defined]
        assert {"name", "kind", "ok", "error"} <= set(source)
    for m in data["milestones"]:  # type: ignore[attr-defined]
        assert set(m) >= MILESTONE_KEYS
        assert m["progress"] is None or 0 <= m["progress"] <= 1
        assert m["due"] is None or date.fromisoformat(m["due"])
        assert m["risk"] in {"done", "on_track", "at_risk", "off_track", "stalled", "unknown"}
        if m["forecast"] is not None:
            assert m["forecast_p85"] is None or m["forecast_p85"] >= m["forecast"]
        assert m["on_time"] is None or 0 <= m["on_time"] <= 1
        assert m["on_time"] is None if m["due"] is None else True
        assert all(isinstance(ref, str) for ref in m["blockers"])
    milestone_urls = {m["url"] for m in data["milestones"]}  # type: ignore[attr-defined]
    for i in data["issues"]:  # type: ignore[attr-defined]
        assert set(i) >= ISSUE_KEYS
        assert i["milestone"] is None or i["milestone"] in milestone_urls
        assert isinstance(i["pressing"], int)
        datetime.fromisoformat(i["updated"])
    for ins in data["insights"]:  # type: ignore[attr-defined]
        assert set(ins) >= INSIGHT_KEYS
        assert isinstance(ins["acks"], dict)
    assert data["since"] == (NOW - DEMO_LAST_LOOK).isoformat()
    assert data["changes"], "the demo's seeded history gives its feed content"
    for c in data["changes"]:  # type: ignore[attr-defined]
        assert set(c) >= CHANGE_KEYS
        assert c["text"].endswith(".")
        # an ask of me stays until I answer it, however long ago it was asked
        assert c["at"] > data["since"] or c["kind"] == "ask"
    assert [c["ref"] for c in data["changes"] if c["kind"] == "ask"] == ["board"]


async def test_milestones_carry_the_forecast_range_blockers_and_scope() -> None:
    data = await demo_snapshot()
    by_title = {m["title"]: m for m in data["milestones"]}  # type: ignore[attr-defined]
    pay = by_title["PAY 2.1"]
    assert (pay["forecast"], pay["forecast_p85"], pay["on_time"]) == (
        "2026-12-01",
        "2026-12-08",
        0.934,
    )
    assert pay["blockers"] == [] and pay["risk"] == "on_track"
    assert (
        pay["reason"] == "Dec 01 – Dec 08, 93% by the due date; needs 0.20 closes/day, doing 0.38."
    )
    search = by_title["2.1 Search revamp"]
    assert search["blockers"] == ["acme/web#434"] and search["risk"] == "at_risk"
    assert search["reason"] == "Dec 11 – Dec 20, 86% by the due date; acme/web#434 blocks it."
    assert (pay["scope_added"], pay["scope_removed"]) == (0, 0)
    a11y = by_title["2.0 Accessibility pass"]
    assert (a11y["scope_added"], a11y["risk"]) == (6, "off_track")
    assert (a11y["due_moves"], a11y["scope_removed"]) == (2, 0)
    assert len({p["due"] for p in a11y["history"]}) == 3, "three due dates over its history"
    assert (by_title["2.1 Search revamp"]["scope_added"], pay["due_moves"]) == (1, 0)
    assert by_title["PAY 2.2"]["risk"] == "stalled"
    empty = by_title["v2.0 Wishlists"]
    assert (empty["forecast"], empty["risk"]) == (None, "unknown")


async def test_insight_ids_link_both_ways() -> None:
    data = await demo_snapshot()
    by_id = {i["id"]: i for i in data["insights"]}  # type: ignore[attr-defined]
    items = [*data["milestones"], *data["issues"]]  # type: ignore[misc]
    linked = [(item["url"], ins) for item in items for ins in item["insights"]]
    assert linked, "the demo pins insights on items"
    assert all(by_id[ins]["on"] == url for url, ins in linked)


async def test_markdown_digest() -> None:
    snap = await Board(demo_config(), clock=lambda: NOW).refresh(full=True)
    text = export.to_markdown(snap)
    assert text.startswith("# Acme delivery (demo)")
    assert "| Milestone | Due | Progress | Forecast | Risk |" in text
    assert "at risk" in text and "## Most pressing" in text
    assert "| 2026-12-01 – 2026-12-08, 93% by due | on track |" in text, "PAY 2.1: range, chance"


def test_cli_export_demo(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["export", "--demo", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["board"] == "Acme delivery (demo)"
    assert err == "", "progress goes to stderr only when it is a terminal"


def test_cli_export_without_config_exits_2(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["export"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "no config file" in err and "Traceback" not in err


def test_board_without_a_terminal_points_to_export(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--demo"]) == 2  # pytest's stdin is not a terminal
    out, err = capsys.readouterr()
    assert out == "" and "needs a terminal" in err and "pullboard export" in err


def test_offline_demo_still_exports(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["export", "--demo", "--offline"]) == 0
    assert json.loads(capsys.readouterr().out)["milestones"]


async def test_json_is_the_standard_encoders_text() -> None:
    """The fast encoder writes exactly what `json.dumps(indent=2)` writes, for the demo board
    and for text full of characters that need escapes."""
    snap = await Board(demo_config()).refresh(full=True)
    odd = '\\" / \x00 \x1f \t \n \u2028 \u202e é 🚀'
    snap = replace(snap, title=odd, insights_error=odd)
    standard = json.dumps(export.to_dict(snap), indent=2, ensure_ascii=False)
    assert export.to_json(snap) == json_inert(standard) + "\n"


async def test_markdown_shows_tracker_text_literally() -> None:
    """A title can't become a link, an image, HTML or a new table cell in the digest."""
    snap = await Board(demo_config()).refresh(full=True)
    hostile = "[Click](https://evil.example) <img src=x onerror=alert(1)> ![p](https://e.x/p) a|b"
    first = snap.milestones[0]
    snap = replace(
        snap,
        title="<script>x</script>",
        milestones=(replace(first, title=hostile), *snap.milestones[1:]),
    )
    text = export.to_markdown(snap)
    assert "# \\<script\\>x\\</script\\>" in text
    assert "\\[Click\\](https://evil.example) \\<img src=x onerror=alert(1)\\>" in text
    assert "\\!\\[p\\](https://e.x/p) a\\|b" in text
    assert "](https://evil.example)" not in text.replace("\\](https://evil.example)", "")
