"""Every class of config mistake gives one message naming file, line, dotted key and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from pullboard import cli, config
from pullboard.errors import ConfigError

GITHUB = '[[source]]\nname = "shop"\nkind = "github"\nrepo = "acme/shop"\n'
JIRA = (
    '[[source]]\nname = "pay"\nkind = "jira"\nurl = "https://acme.atlassian.net"\nproject = "PAY"\n'
)
BOARD = '[board]\ntitle = "Team"\n'

# (id, config text, line, dotted key, words the message must contain)
CASES = [
    (
        "not-toml",
        "[board]\ntitle = My board\n" + GITHUB,
        2,
        "board.title",
        ["not valid TOML", "column 9", "quoted string"],
    ),
    ("not-toml-header", "[board\n", 1, "", ["not valid TOML", "closing ]"]),
    (
        "not-toml-twice",
        BOARD + 'title = "again"\n' + GITHUB,
        3,
        "board.title",
        ["not valid TOML", "set again"],
    ),
    ("not-toml-table-twice", BOARD + "[board]\n" + GITHUB, 3, "board", ["each [table] once"]),
    (
        "unknown-board-key",
        BOARD + 'titel = "x"\n' + GITHUB,
        3,
        "board.titel",
        ["unknown key", "did you mean 'title'"],
    ),
    (
        "unknown-source-key",
        GITHUB + 'repoz = ["a/b"]\n',
        5,
        "source[0].repoz",
        ["did you mean 'repo'"],
    ),
    ("unknown-table", '[boards]\ntitle = "x"\n' + GITHUB, 1, "boards", ["did you mean [board]"]),
    ("board-key-at-top", "refresh = 60\n" + GITHUB, 1, "refresh", ["belongs in the [board]"]),
    ("source-key-at-top", 'repo = "a/b"\n' + GITHUB, 1, "repo", ["belongs in a [[source]]"]),
    (
        "wrong-type-int",
        BOARD + 'refresh = "300"\n' + GITHUB,
        3,
        "board.refresh",
        ["expected a whole number", "got a string ('300')"],
    ),
    (
        "wrong-type-bool",
        BOARD + "stale_days = true\n" + GITHUB,
        3,
        "board.stale_days",
        ["expected a whole number", "true/false"],
    ),
    ("wrong-type-me", BOARD + "me = 5\n" + GITHUB, 3, "board.me", ["expected a user name"]),
    (
        "wrong-type-title",
        '[board]\ntitle = ["a"]\n' + GITHUB,
        2,
        "board.title",
        ["expected a string", "got an array"],
    ),
    (
        "negative-number",
        BOARD + "window_days = 0\n" + GITHUB,
        3,
        "board.window_days",
        ["from 1 to 3650", "got 0"],
    ),
    (
        "keymap-value",
        BOARD + '[board.keymap]\n"view.new" = 1\n' + GITHUB,
        4,
        'board.keymap."view.new"',
        ["expected keys as a string"],
    ),
    (
        "keymap-unknown-id",
        BOARD + '[board.keymap]\n"app.qiut" = "ctrl+q"\n' + GITHUB,
        4,
        'board.keymap."app.qiut"',
        ["unknown binding id 'app.qiut'", "did you mean 'app.quit'?"],
    ),
    (
        "keymap-id-without-a-close-one",
        BOARD + '[board.keymap]\nzzz = "z"\n' + GITHUB,
        4,
        "board.keymap.zzz",
        ["unknown binding id 'zzz'", "valid ids: app.quit, app.refresh,", "view.new"],
    ),
    (
        "keymap-modifier-without-key",
        BOARD + '[board.keymap]\n"app.refresh" = "ctrl+"\n' + GITHUB,
        4,
        'board.keymap."app.refresh"',
        ["'ctrl+' is not a key", 'expected keys such as "r", "ctrl+r", "f5" or "question_mark"'],
    ),
    (
        "keymap-unknown-modifier",
        BOARD + '[board.keymap]\n"app.refresh" = "r,cmd+r"\n' + GITHUB,
        4,
        'board.keymap."app.refresh"',
        ["'cmd+r' is not a key"],
    ),
    (
        "keymap-unknown-name",
        BOARD + '[board.keymap]\n"app.help" = "questionmark"\n' + GITHUB,
        4,
        'board.keymap."app.help"',
        ["'questionmark' is not a key"],
    ),
    (
        "keymap-empty",
        BOARD + '[board.keymap]\n"app.help" = "h,,k"\n' + GITHUB,
        4,
        'board.keymap."app.help"',
        ["an empty key"],
    ),
    (
        "keymap-clash",
        BOARD + '[board.keymap]\n"app.quit" = "r"\n' + GITHUB,
        4,
        'board.keymap."app.quit"',
        ["'r' would be both app.quit and app.refresh on the board", "never run"],
    ),
    (
        "keymap-clash-spelled-as-a-name",
        BOARD + '[board.keymap]\n"app.help" = "/"\n' + GITHUB,
        4,
        'board.keymap."app.help"',
        ["'slash' would be both app.help and list.filter on the board"],
    ),
    (
        "keymap-clash-with-a-choice",
        BOARD + '[board.keymap]\n"choice.cancel" = "d"\n' + GITHUB,
        4,
        'board.keymap."choice.cancel"',
        ["both choice.cancel and the answer d (delete) in the choice u offers"],
    ),
    (
        "window-days-too-large",
        BOARD + "window_days = 1000000\n" + GITHUB,
        3,
        "board.window_days",
        ["expected a whole number of days from 1 to 3650", "got 1000000"],
    ),
    (
        "stale-days-too-large",
        BOARD + "stale_days = 99999\n" + GITHUB,
        3,
        "board.stale_days",
        ["from 1 to 3650", "got 99999"],
    ),
    (
        "refresh-too-large",
        BOARD + "refresh = 1000000000000000000\n" + GITHUB,
        3,
        "board.refresh",
        ["expected 0 (no automatic refresh) or 10 to 86400 seconds", "got 1000000000000000000"],
    ),
    (
        "refresh-too-often",
        BOARD + "refresh = 3\n" + GITHUB,
        3,
        "board.refresh",
        ["10 to 86400 seconds", "got 3"],
    ),
    (
        "keymap-dotted",
        BOARD + 'keymap."app.quit" = 2\n' + GITHUB,
        3,
        'board.keymap."app.quit"',
        ["expected keys as a string"],
    ),
    (
        "wrong-type-labels",
        GITHUB + "labels = 3\n",
        5,
        "source[0].labels",
        ["expected an array of label names"],
    ),
    (
        "wrong-type-repos",
        GITHUB.replace('repo = "acme/shop"', "repos = [1, 2]"),
        4,
        "source[0].repos",
        ["expected an array of strings"],
    ),
    (
        "wrong-type-board",
        JIRA + 'board = "12"\n',
        6,
        "source[0].board",
        ["expected an agile board id"],
    ),
    (
        "duplicate-name",
        GITHUB + GITHUB,
        6,
        "source[1].name",
        ["duplicate source name 'shop'", "source[0] has it too"],
    ),
    ("missing-name", GITHUB.replace('name = "shop"\n', ""), 1, "source[0].name", ["missing"]),
    (
        "empty-name",
        GITHUB.replace('name = "shop"', 'name = ""'),
        2,
        "source[0].name",
        ["non-empty"],
    ),
    (
        "missing-kind",
        GITHUB.replace('kind = "github"\n', ""),
        1,
        "source[0].kind",
        ['expected kind = "github"', "missing"],
    ),
    ("bad-kind", GITHUB.replace('"github"', '"gitlab"'), 3, "source[0].kind", ["'gitlab'"]),
    (
        "missing-repo",
        GITHUB.replace('repo = "acme/shop"\n', ""),
        1,
        "source[0].repo",
        ['missing; expected repo = "owner/name"'],
    ),
    (
        "empty-repos",
        GITHUB.replace('repo = "acme/shop"', "repos = []"),
        1,
        "source[0].repo",
        ["expected at least one"],
    ),
    (
        "bad-repo",
        GITHUB.replace("acme/shop", "acme"),
        4,
        "source[0].repo",
        ["\"owner/name\", got 'acme'"],
    ),
    (
        "missing-project",
        JIRA.replace('project = "PAY"\n', ""),
        1,
        "source[0].project",
        ['missing; expected project = "PAY"'],
    ),
    ("bad-project", JIRA.replace('"PAY"', '"PAY-1"'), 5, "source[0].project", ["project key"]),
    (
        "missing-jira-url",
        JIRA.replace('url = "https://acme.atlassian.net"\n', ""),
        1,
        "source[0].url",
        ["missing"],
    ),
    (
        "bad-url-scheme",
        GITHUB + 'url = "ftp://ghe.example"\n',
        5,
        "source[0].url",
        ["http:// or https://", "ftp://ghe.example"],
    ),
    ("bad-url-text", GITHUB + 'url = "not a url"\n', 5, "source[0].url", ["http://"]),
    (
        "bad-url-port",
        GITHUB + 'url = "https://ghe.example:abc"\n',
        5,
        "source[0].url",
        ["expected a URL"],
    ),
    (
        "bad-url-web-host",
        GITHUB + 'url = "https://github.com"\n',
        5,
        "source[0].url",
        ['"https://api.github.com"'],
    ),
    (
        "bad-url-rest",
        JIRA.replace("atlassian.net", "atlassian.net/rest/api/3"),
        4,
        "source[0].url",
        ["site base"],
    ),
    (
        "bad-url-query",
        GITHUB + 'url = "https://ghe.example/api/v3?x=1"\n',
        5,
        "source[0].url",
        ["?query"],
    ),
    ("jira-only-key", GITHUB + 'jql = "x"\n', 5, "source[0].jql", ["only applies to Jira"]),
    ("github-only-key", JIRA + 'repo = "a/b"\n', 6, "source[0].repo", ["only applies to GitHub"]),
    (
        "bad-milestones",
        GITHUB + 'milestones = "closed"\n',
        5,
        "source[0].milestones",
        ['"open" or "all"'],
    ),
    (
        "sprints-need-board",
        JIRA + 'milestones = "sprints"\n',
        1,
        "source[0].board",
        ["needs the agile board id"],
    ),
    ("bad-flavor", JIRA + 'flavor = "dc"\n', 6, "source[0].flavor", ['"cloud" or "server"']),
    ("bad-email", JIRA + 'email = "dana"\n', 6, "source[0].email", ["e-mail address"]),
    ("no-sources", BOARD, 0, "source", ["no [[source]] tables", "pullboard init"]),
    ("source-not-array", BOARD + '[source]\nname = "x"\n', 3, "source", ["[[source]]"]),
]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "line", "key", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_mistake_names_file_line_key_and_fix(
    tmp_path: Path, text: str, line: int, key: str, words: list[str]
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        config.load(path)
    assert len(caught.value.problems) == 1, caught.value.problems
    message = caught.value.problems[0]
    where = f"{path}, line {line}" if line else f"{path}:"
    assert message.startswith(where), message
    if key:
        assert f": {key}: " in message, message
    for word in words:
        assert word in message, message


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (GITHUB + 'token = "ghp_supersecret"\n', "ghp_supersecret"),
        (GITHUB + 'token_env = "ghp_supersecret"\n', "ghp_supersecret"),
        (GITHUB + "token_env = 123456\n", "123456"),
        (GITHUB + 'url = "https://x:ghp_supersecret@ghe.example/api/v3"\n', "ghp_supersecret"),
    ],
    ids=["token-key", "token-in-token-env", "token-env-type", "credentials-in-url"],
)
def test_secrets_are_never_echoed(tmp_path: Path, text: str, secret: str) -> None:
    with pytest.raises(ConfigError) as caught:
        config.load(_write(tmp_path, text))
    assert secret not in str(caught.value)
    assert ": source[0]." in str(caught.value)


def test_every_problem_is_reported_at_once_in_file_order(tmp_path: Path) -> None:
    text = BOARD + 'titel = "x"\nrefresh = -1\n' + GITHUB.replace("acme/shop", "bad") + GITHUB
    with pytest.raises(ConfigError) as caught:
        config.load(_write(tmp_path, text))
    lines = [int(p.split(", line ")[1].split(":")[0]) for p in caught.value.problems]
    assert len(lines) == 4
    assert lines == sorted(lines)


def test_line_finder_keeps_tables_apart(tmp_path: Path) -> None:
    """Same key in [board], an earlier [[source]] and a multi-line string: the right one."""
    text = (
        '[[source]]\nname = "a"\nkind = "github"\nrepo = "acme/a"\nlabels = ["x"]\n'
        '[board]\ntitle = """\n[[source]]\nlabels = 1\n"""\n'
        "[board.keymap]\nlabels = 1\n"
        '[[source]]\nname = "b"\nkind = "github"\nrepos = [\n  "acme/b",\n  ["nested"],\n]\n'
        "labels = 2\n"
    )
    with pytest.raises(ConfigError) as caught:
        config.load(_write(tmp_path, text))
    found = {p.split(": ")[1]: p.split(", line ")[1].split(":")[0] for p in caught.value.problems}
    assert found == {"board.keymap.labels": "12", "source[1].repos": "16", "source[1].labels": "20"}


@pytest.mark.parametrize(
    ("setup", "words"),
    [
        (lambda p: p.write_bytes(b'[board]\ntitle = "\xff"\n'), ["not UTF-8"]),
        (lambda p: p.mkdir(), ["can't read the config"]),
        (lambda p: None, ["no config file", "pullboard init"]),
    ],
    ids=["not-utf8", "directory", "missing"],
)
def test_unreadable_files(tmp_path: Path, setup: object, words: list[str]) -> None:
    path = tmp_path / "config.toml"
    setup(path)  # type: ignore[operator]
    with pytest.raises(ConfigError) as caught:
        config.load(path)
    assert str(path) in caught.value.problems[0]
    for word in words:
        assert word in caught.value.problems[0]


def test_cli_prints_every_problem_and_exits_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, BOARD + "refresh = true\n" + GITHUB + GITHUB)
    assert cli.main(["export", "--config", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "Traceback" not in err
    assert err.count("pullboard: ") == 2
    assert "board.refresh" in err and "source[1].name" in err


def test_cli_refuses_a_key_given_two_jobs_and_takes_a_swap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clash = _write(tmp_path, BOARD + '[board.keymap]\n"app.quit" = "r"\n' + GITHUB)
    assert cli.main(["insights", "--config", str(clash)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    assert f"{clash}, line 4: board.keymap.\"app.quit\": 'r' would be both app.quit and " in err
    assert "app.refresh on the board" in err
    swap = _write(
        tmp_path, BOARD + '[board.keymap]\n"app.quit" = "r"\n"app.refresh" = "q"\n' + GITHUB
    )
    assert cli.main(["insights", "--config", str(swap)]) == 0, capsys.readouterr().err


def test_valid_config_loads(tmp_path: Path) -> None:
    text = (
        BOARD + 'me = ["dana", "Dana Kim"]\n[board.keymap]\n"app.quit" = "q,ctrl+q"\n'
        + '"app.help" = "question_mark, f1"\n"view.new" = "N"\n' + GITHUB
        + JIRA + 'milestones = "sprints"\nboard = 12\nemail = "d@acme.io"\n'
    )  # fmt: skip
    loaded = config.load(_write(tmp_path, text))
    assert loaded.board.keymap == {
        "app.quit": "q,ctrl+q",
        "app.help": "question_mark, f1",
        "view.new": "N",
    }
    assert [s.name for s in loaded.sources] == ["shop", "pay"]
    assert loaded.sources[1].flavor == "cloud"
    assert loaded.source("pay").board == 12


def test_unknown_source_name_suggests_close_one(tmp_path: Path) -> None:
    loaded = config.load(_write(tmp_path, GITHUB))
    with pytest.raises(ConfigError, match=r"no \[\[source\]\] named 'shp' \(did you mean 'shop'"):
        loaded.source("shp")


def test_a_huge_window_is_a_config_error_with_exit_2_not_an_internal_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, BOARD + "window_days = 1000000\n" + GITHUB)
    assert cli.main(["export", "--offline", "--config", str(path)]) == 2
    _, err = capsys.readouterr()
    assert err == (
        f"pullboard: {path}, line 3: board.window_days: expected a whole number of days from "
        "1 to 3650; got 1000000\n"
    )
