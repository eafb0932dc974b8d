"""`goal`, `digest`, `pin --ask` and `--audience` from the command line, on a shared file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pullboard import insights
from pullboard.cli import main

MILESTONE = "https://github.com/acme/shop/milestone/4"
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFoH8BC1K8qJWM/Gw39jrb78i7K63kD2tnmVHj5Clyg/ lee"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    (tmp_path / "shared").mkdir()
    path = tmp_path / "config.toml"
    path.write_text(
        '[board]\nme = "lee"\ninsights = "shared/insights.toml"\n\n'
        '[[source]]\nname = "shop"\nkind = "github"\nrepo = "acme/shop"\n',
        encoding="utf-8",
    )
    (tmp_path / "shared" / "insights.toml").write_text(
        'version = 2\n\n[audiences.leads]\nmembers = ["lee", "priya"]\n\n'
        '[audiences.team]\nmembers = ["lee", "sam", "jun", "kim"]\ndepth = "detail"\n',
        encoding="utf-8",
    )
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_goal_add_edit_list_rm(capsys: pytest.CaptureFixture[str], config: Path) -> None:
    cfg = ("--config", str(config))
    code, _, err = run(
        capsys, "goal", "add", "holiday", "--title", "Holiday launch", "--due", "2026-12-20",
        "--milestones", f"{MILESTONE},PAY@2.1", *cfg,
    )  # fmt: skip
    assert code == 0, err
    assert run(capsys, "goal", "add", "holiday", "--title", "Again", *cfg)[0] == 1
    assert run(capsys, "goal", "add", "Bad Id", "--title", "T", *cfg)[0] == 1
    assert run(capsys, "goal", "edit", "holiday", "--no-due", "--owner", "priya", *cfg)[0] == 0
    code, out, _ = run(capsys, "goal", "list", "--json", *cfg)
    (goal,) = json.loads(out)["goals"]
    assert (goal["id"], goal["owner"], goal["due"], goal["milestones"]) == (
        "holiday",
        "priya",
        None,
        [MILESTONE, "PAY@2.1"],
    )
    assert "holiday  Holiday launch  (owner priya)" in run(capsys, "goal", "list", *cfg)[1]
    assert run(capsys, "goal", "rm", "holiday", *cfg)[0] == 0
    assert "No goals yet" in run(capsys, "goal", "list", *cfg)[1]


def test_three_back_briefs_and_the_lead_sees_the_spread(
    capsys: pytest.CaptureFixture[str], config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = config.parent / "shared" / "insights.toml"
    code, out, _ = run(
        capsys, "pin", "board", "--title", "Freeze", "--audience", "team", "--config", str(config)
    )
    assert code == 0
    ident = out.strip()
    for who, stance in (("sam", "agree"), ("jun", "concern")):
        insights.ack(shared, ident, who, insights.load(shared).insights[0].created, stance=stance)
    (stored,) = insights.load(shared).insights
    from pullboard.analysis import spread, spread_text

    assert spread_text(spread(stored, insights.load(shared).audiences)) == (
        "2 of 3 · 1 agree · 1 concern · missing: kim"
    )


def test_an_ask_is_answered_and_refuses_a_bad_answer(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    cfg = ("--config", str(config))
    ident = run(capsys, "pin", "board", "--title", "Review?", "--ask", "sam,jun", *cfg)[1].strip()
    shared = config.parent / "shared" / "insights.toml"
    (ask,) = insights.load(shared).insights
    assert (ask.kind, ask.to) == ("ask", ("sam", "jun"))
    insights.ack(shared, ident, "sam", ask.created or ask.updated, stance="decline", note="busy")  # type: ignore[arg-type]
    (ask,) = insights.load(shared).insights
    assert ask.answer("sam") is not None and ask.answer("jun") is None


def test_demo_digest_and_export_for_an_audience(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "digest", "--demo", "--since", "7d", "--audience", "leads")
    assert code == 0, err
    assert out.startswith("**Acme delivery (demo): digest since ") and ", for leads**" in out
    assert "Goal **Holiday launch**" in out and "Why: " in out
    assert "this week. Why: The blocker's fix" in out, "summary and why read as two sentences"
    assert "**Open asks**" in out and "dana (no answer yet), sam decline" in out
    assert "A11y" not in out, "for the team, not for leads"
    assert "Detail:" not in out, "leads see headlines"
    code, out, _ = run(capsys, "digest", "--demo", "--format", "json", "--since", "2w")
    data = json.loads(out)
    assert code == 0 and data["goals_at_risk"][0]["id"] == "holiday"
    assert {"by": "jun", "stance": "concern"}.items() <= data["concerns"][0].items()
    code, out, _ = run(capsys, "export", "--demo", "--audience", "team")
    data = json.loads(out)
    (goal,) = data["goals"]
    assert data["audience"] == "team" and goal["risk"] in ("at_risk", "off_track", "on_track")
    assert len(goal["milestones"]) == 3 and 0 <= goal["on_time"] <= 1
    a11y = next(i for i in data["insights"] if i["title"].startswith("Accessibility pass"))
    assert a11y["stances"] == {"agree": 1, "commit": 1, "concern": 1}
    assert a11y["acks"]["jun"]["stance"] == "concern" and "lee" in a11y["missing"]
    code, _, err = run(capsys, "export", "--demo", "--audience", "nobody")
    assert code == 2 and "no audience 'nobody'" in err and "known: leads, team" in err
    assert run(capsys, "digest", "--demo", "--since", "someday")[0] == 2


def test_only_a_lead_changes_goals(capsys: pytest.CaptureFixture[str], config: Path) -> None:
    """Goals are what leads pin the board to: a member or viewer is refused with the reason,
    and nothing is written (as for pin, edit and unpin)."""
    text = config.read_text(encoding="utf-8")
    for role in ("member", "viewer"):
        config.write_text(
            f'{text}\n[[person]]\nname = "lee"\nrole = "{role}"\nkeys = ["{KEY}"]\n',
            encoding="utf-8",
        )
        code, _, err = run(capsys, "goal", "add", "q1", "--title", "Q1", "--config", str(config))
        assert code == 1 and f"lee is a {role} on this board, so can't change goals" in err
        assert insights.load(config.parent / "shared" / "insights.toml").goals == ()


def test_a_back_brief_note_holding_a_token_is_refused(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    code, out, err = run(capsys, "pin", MILESTONE, "--title", "Freeze", "--config", str(config))
    token = "glpat-" + "x1" * 12
    code, _, err = run(
        capsys, "ack", out.strip(), "--note", token, "--stance", "agree", "--config", str(config)
    )
    assert code == 1 and "looks like a token" in err and token not in err
    (stored,) = insights.load(config.parent / "shared" / "insights.toml").insights
    assert stored.acks == {}


def test_the_digest_says_what_changed_since_when(capsys: pytest.CaptureFixture[str]) -> None:
    """The demo's seeded story (2.0's due date moved, acme/web#434 moved into 2.1, closes)
    reaches the digest's "What changed" for any WHEN that reaches back to it."""
    for since in ("last-look", "7d"):
        code, out, err = run(capsys, "digest", "--demo", "--since", since)
        assert code == 0, err
        changed = out.split("**What changed**\n")[1].split("\n\n")[0]
        assert "_2.0 Accessibility pass_\n" in changed
        assert "- 2.0 Accessibility pass's due date moved from " in changed
        assert "“Vendor search API v2 returns 503 for EU tenants” joined 2.1 Search" in changed
        assert "- PAY-80 “Store the processor reference on every refund” was closed. (" in changed
        assert "_Q4 hardening (acme/web@Q4)_" in changed, "two milestones are called Q4 hardening"
    code, out, _ = run(capsys, "digest", "--demo", "--format", "json", "--since", "7d")
    data = json.loads(out)
    kinds = {c["kind"] for c in data["changes"]}
    assert {"due_moved", "scope_added", "scope_removed", "closed", "risk_changed"} <= kinds
    due = next(c for c in data["changes"] if c["kind"] == "due_moved")
    assert due["ref"] == "acme/web@2.0" and due["text"].endswith("(14 d later).")
    assert set(due) >= {"at", "kind", "url", "ref", "title", "from", "to", "by", "text"}


@pytest.mark.parametrize("when", ["someday", "7 d", "2999-01-01"])
def test_a_digest_since_it_cant_read_exits_2_with_a_sentence(
    capsys: pytest.CaptureFixture[str], when: str
) -> None:
    code, out, err = run(capsys, "digest", "--demo", "--since", when)
    assert (code, out) == (2, "")
    assert err.startswith(f"pullboard: --since {when!r} ") and err.rstrip().endswith(".")


def test_a_goal_keeps_a_milestone_named_by_ref_as_its_url(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A ref the board as last seen knows is saved as the milestone's URL (as `pin` does), so
    a renamed milestone stays in the goal; a name it doesn't know is kept as written."""
    from pullboard.board import Board
    from pullboard.sources.demo import demo_config

    pay = "https://acme.atlassian.net/projects/PAY/versions/10200"
    names = f"acme/shop@v1.4,PAY@2.1,{pay},NOPE@1"
    code, _, err = run(capsys, "goal", "add", "launch", "--title", "L", "--milestones", names,
                       "--demo")  # fmt: skip
    assert code == 0, err
    assert "not on the board as last seen (kept as written): NOPE@1" in err
    file = Board(demo_config()).insights_path
    (goal,) = [g for g in insights.load(file).goals if g.id == "launch"]
    assert goal.milestones == (MILESTONE, pay, "NOPE@1"), "one of each"
    code, _, err = run(capsys, "goal", "edit", "launch", "--milestones", "PAY@2.1,acme/shop#101",
                       "--demo")  # fmt: skip
    (goal,) = [g for g in insights.load(file).goals if g.id == "launch"]
    assert code == 0 and goal.milestones == (pay, "acme/shop#101"), "an issue is no milestone"
    assert "(kept as written): acme/shop#101" in err


def test_a_digest_for_an_audience_leaves_the_readers_asks_to_open_asks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The feed's "lee asked you …" is the runner's, not the audience's the digest goes to;
    every ask is under "Open asks" with who has answered."""
    code, out, _ = run(capsys, "digest", "--demo", "--since", "7d", "--audience", "leads")
    assert code == 0 and "asked you" not in out and "**Open asks**" in out
    code, out, _ = run(capsys, "digest", "--demo", "--since", "7d", "--format", "json")
    assert code == 0 and "ask" not in {c["kind"] for c in json.loads(out)["changes"]}
