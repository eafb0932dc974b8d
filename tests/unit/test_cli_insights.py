"""`pullboard pin|edit|unpin|ack|insights`: output, exit codes, and which file and user they use."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import date
from pathlib import Path

import pytest

from pullboard import insights
from pullboard.board import Board
from pullboard.cache import SnapshotCache
from pullboard.cli import main
from pullboard.config import load
from pullboard.paths import state_dir
from pullboard.sources.demo import demo_config

SOURCE = '[[source]]\nname = "shop"\nkind = "github"\nrepo = "acme/shop"\n'
ISSUE = "https://github.com/acme/shop/issues/12"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    (tmp_path / "shared").mkdir()  # the team's folder: pullboard never creates it
    path = tmp_path / "config.toml"
    path.write_text(
        f'[board]\nme = "lee"\ninsights = "shared/insights.toml"\n\n{SOURCE}', encoding="utf-8"
    )
    return path


@pytest.fixture
def shared(config: Path) -> Path:
    """The insights file the config names (relative to the config file)."""
    return config.parent / "shared" / "insights.toml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def pin(capsys: pytest.CaptureFixture[str], config: Path, *extra: str) -> str:
    code, out, err = run(
        capsys, "pin", ISSUE, "--title", "Hot fix", "--config", str(config), *extra
    )
    assert code == 0, err
    return out.strip()


def test_pin_prints_only_the_new_id_and_stores_every_field(
    capsys: pytest.CaptureFixture[str], config: Path, shared: Path
) -> None:
    new_id = pin(
        capsys, config, "--summary", "Ship it Friday", "--detail", "# Plan\n\nSteps",
        "--why", "Customers wait", "--expires", "2030-01-31", "--audience", "team, leads",
        "--unpinned",
    )  # fmt: skip

    assert re.fullmatch(r"[0-9a-f]{8}", new_id)
    (stored,) = insights.load(shared).insights
    assert (stored.id, stored.on, stored.title, stored.author) == (new_id, ISSUE, "Hot fix", "lee")
    assert (stored.summary, stored.detail, stored.why) == (
        "Ship it Friday",
        "# Plan\n\nSteps",
        "Customers wait",
    )
    assert (stored.expires, stored.audience, stored.pinned) == (
        date(2030, 1, 31),
        ("team", "leads"),
        False,
    )


def test_the_author_is_me_else_the_os_user_unless_given(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOGNAME", "osuser")
    anonymous = tmp_path / "anon.toml"
    anonymous.write_text(f'[board]\ninsights = "anon-insights.toml"\n\n{SOURCE}', "utf-8")

    pin(capsys, anonymous)
    pin(capsys, anonymous, "--author", "dana")

    authors = [i.author for i in insights.load(tmp_path / "anon-insights.toml").insights]
    assert authors == ["osuser", "dana"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["pin", "https://github.com/acme/shop", "--title", "T"], "doesn't look like a milestone"),
        (["pin", ISSUE, "--title", "T", "--expires", "31.01.2030"], "expected a date such as"),
        (["pin", ISSUE], "the following arguments are required: --title"),
        (["edit", "abc"], "nothing to change"),
    ],
)
def test_bad_usage_exits_2_with_a_sentence(
    capsys: pytest.CaptureFixture[str], config: Path, shared: Path, argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv, "--config", str(config))

    assert (code, out) == (2, "")
    assert message in err
    assert not shared.exists()


def test_unpin_removes_and_an_unknown_id_is_a_sentence_and_exit_1(
    capsys: pytest.CaptureFixture[str], config: Path, shared: Path
) -> None:
    new_id = pin(capsys, config)

    assert run(capsys, "unpin", new_id, "--config", str(config))[0] == 0
    assert insights.load(shared).insights == ()
    code, out, err = run(capsys, "unpin", new_id, "--config", str(config))
    assert (code, out) == (1, "")
    expected = f"There is no insight {new_id} in {shared} (it may have been removed)."
    assert err == f"pullboard: {expected}\n"


def test_ack_records_me_and_edit_makes_it_stale(
    capsys: pytest.CaptureFixture[str], config: Path, shared: Path
) -> None:
    new_id = pin(capsys, config, "--expires", "2030-01-31")

    assert run(capsys, "ack", new_id, "--config", str(config))[0] == 0
    assert insights.get(shared, new_id).acked_by("lee")
    code, _, err = run(
        capsys, "edit", new_id, "--title", "Hotter fix", "--no-expires", "--config", str(config)
    )

    assert code == 0, err
    edited = insights.get(shared, new_id)
    assert (edited.title, edited.expires, edited.revision, edited.updated_by) == (
        "Hotter fix",
        None,
        2,
        "lee",
    )
    assert not edited.acked_by("lee")


def test_ack_with_a_stance_and_a_note_is_listed_and_a_bad_stance_is_usage(
    capsys: pytest.CaptureFixture[str], config: Path, shared: Path
) -> None:
    new_id = pin(capsys, config)

    code, _, err = run(
        capsys,
        "ack",
        new_id,
        "--stance",
        "concern",
        "--note",
        "QA\nis short",
        "--config",
        str(config),
    )

    assert code == 0 and "back-briefed (concern)" in err
    brief = insights.get(shared, new_id).acks["lee"]
    assert (brief.stance, brief.note) == ("concern", "QA is short")
    assert "acks: lee concern " in run(capsys, "insights", "--config", str(config))[1]
    assert run(capsys, "ack", new_id, "--stance", "accept", "--config", str(config))[0] == 1
    assert run(capsys, "ack", new_id, "--stance", "maybe", "--config", str(config))[0] == 2


def test_insights_lists_flags_and_acks(
    capsys: pytest.CaptureFixture[str], config: Path, shared: Path
) -> None:
    old = pin(capsys, config, "--expires", "2020-01-01")
    live = pin(capsys, config)
    run(capsys, "ack", live, "--config", str(config))

    code, out, _ = run(capsys, "insights", "--config", str(config))

    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "UPDATED", "(UTC)", "AUTHOR", "REV", "FLAGS", "TITLE"]
    row = next(line for line in lines if line.startswith(old))
    assert "pinned EXPIRED" in row and row.endswith("Hot fix")
    assert f"on: {ISSUE}" in out
    assert "acks: none yet" in out and re.search(r"acks: lee \d{4}-\d\d-\d\d", out)


def test_insights_json_is_for_scripts(
    capsys: pytest.CaptureFixture[str], config: Path, shared: Path
) -> None:
    old = pin(capsys, config, "--expires", "2020-01-01")
    run(capsys, "ack", old, "--config", str(config))

    code, out, _ = run(capsys, "insights", "--json", "--config", str(config))

    data = json.loads(out)
    assert code == 0
    assert (data["file"], data["error"], data["problems"]) == (str(shared), None, [])
    (row,) = data["insights"]
    assert (row["id"], row["expired"], row["acked_by"]) == (old, True, ["lee"])


def test_a_broken_file_is_reported_with_its_line_and_left_alone(
    capsys: pytest.CaptureFixture[str], config: Path, shared: Path
) -> None:
    shared.write_text('version = 1\n[[insight]]\nid = "a"\ntitle = oops\n', encoding="utf-8")
    before = shared.read_bytes()

    code, out, err = run(capsys, "insights", "--config", str(config))
    assert (code, out) == (1, "")
    assert f"{shared} is not valid TOML" in err and "line 4" in err

    code, out, err = run(capsys, "pin", ISSUE, "--title", "T", "--config", str(config))
    assert (code, out) == (1, "")
    assert err.startswith("pullboard: Nothing was saved: ") and "line 4" in err
    assert shared.read_bytes() == before


def test_problems_with_single_insights_go_to_stderr_and_exit_1(
    capsys: pytest.CaptureFixture[str], config: Path, shared: Path
) -> None:
    good = pin(capsys, config)
    with shared.open("a", encoding="utf-8") as handle:
        handle.write('\n[[insight]]\nid = "bad"\non = "board"\ntitle = "T"\npinned = "yes"\n')

    code, out, err = run(capsys, "insights", "--config", str(config))

    assert code == 1
    assert good in out and "bad" not in out
    assert "insight 'bad' (#2): pinned: expected true or false" in err


def test_demo_uses_its_own_seeded_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "pin", "board", "--title", "Demo pin", "--demo")
    assert code == 0, err

    demo_file = state_dir() / "demo-insights.toml"
    ids = [i.id for i in insights.load(demo_file).insights]
    assert ids[0] == "demo-1" and ids[-1] == out.strip()
    code, out, _ = run(capsys, "insights", "--demo")
    assert code == 0 and "Demo pin" in out and "Code freeze" in out


def test_a_missing_config_is_bad_usage(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "insights", "--config", str(tmp_path / "none.toml"))

    assert (code, out) == (2, "")
    assert "no config file" in err


def test_pin_by_ref_resolves_to_the_item_url(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "pin", "--demo", "PAY-94", "--title", "By ref")
    assert code == 0, err
    demo_file = Board(demo_config()).insights_path
    stored = next(i for i in insights.load(demo_file).insights if i.id == out.strip())
    assert stored.on == "https://acme.atlassian.net/browse/PAY-94"
    code, out, err = run(capsys, "pin", "--demo", "NOPE-1", "--title", "x")
    assert code == 1 and out == "" and "not a ref on this board" in err


@pytest.mark.parametrize("field", ["--title", "--summary", "--detail", "--why"])
def test_a_token_in_insight_text_is_refused_never_stored_or_echoed(
    capsys: pytest.CaptureFixture[str], config: Path, shared: Path, field: str
) -> None:
    """Insights are shared (and may be committed to a repository): a pasted token must not
    land there (a QA finding). Commit SHAs and other long hex stay allowed."""
    token = "ghp_" + "a1" * 18
    argv = ["pin", ISSUE, "--config", str(config), field, f"see {token}"]
    if field != "--title":
        argv += ["--title", "Hot fix"]
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == "" and token not in err and "looks like a token" in err
    assert not shared.exists() or insights.load(shared).insights == ()
    sha = "9fceb02d0ae598e95dc970b74767f19372d61af8"
    pin(capsys, config, "--detail", f"Fixed in {sha}")


@pytest.mark.parametrize("stale", [False, True], ids=["from the index", "from the snapshot"])
def test_pin_by_ref_reads_the_cache_of_the_configured_board(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    stale: bool,
) -> None:
    demo = Board(demo_config())
    asyncio.run(demo.refresh(full=True))
    data = demo._data[demo.config.sources[0].name]
    path = tmp_path / "config.toml"
    path.write_text(
        '[board]\ninsights = "insights.toml"\n[[source]]\nname = "shop"\nkind = "github"\n'
        'repo = "acme/shop"\n',
        encoding="utf-8",
    )
    cache = SnapshotCache()
    assert cache.save(load(path).sources[0], data) is None
    if stale:  # the snapshot changed after its index was written: the snapshot decides
        (index,) = cache.root.glob("*.refs")
        index.write_text('{"snapshot": [0, 0], "refs": {}}')
    else:  # the index alone answers
        monkeypatch.setattr(SnapshotCache, "load", lambda *a: pytest.fail("read the board"))
    issue = data.issues[0]

    code, out, err = run(capsys, "pin", "--config", str(path), issue.ref, "--title", "By ref")

    assert code == 0, err
    (stored,) = insights.load(tmp_path / "insights.toml").insights
    assert (stored.id, stored.on) == (out.strip(), issue.url)


def test_pinning_an_insight_that_has_already_expired_says_so(
    capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    """It is saved (a lead may be recording history), but never silently (a QA finding)."""
    code, out, err = run(
        capsys, "pin", ISSUE, "--title", "Old", "--expires", "2020-01-01", "--config", str(config)
    )
    assert code == 0 and out.strip() and "expired on 2020-01-01" in err
