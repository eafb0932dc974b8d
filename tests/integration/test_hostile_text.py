"""Hostile trackers end to end: escape sequences, C1 controls, bidi and zero-width characters
in URLs, titles, labels, keys, version ids, reason phrases and the config title never reach
stdout, neither live nor when the board is painted again from the cache."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cachefiles
import pytest
from fakes.github_server import TOKEN, FakeGitHub
from fakes.jira_server import TOKEN as JIRA_TOKEN
from fakes.jira_server import FakeJira

from pullboard import cli
from pullboard.sources.jira.model import FIELDS

OSC_TITLE = "\x1b]0;pwned\x07"
OSC_CLIPBOARD = "\x1b]52;c;ZXZpbA==\x07"
C1_CSI = "\x9b31m"
BIDI = "\u202e"
ZERO_WIDTH = "\u200b"
HOSTILE = f"{OSC_TITLE}{OSC_CLIPBOARD}{C1_CSI} {BIDI}evil{ZERO_WIDTH}"
REASON = f"I'm a teapot {OSC_TITLE}{OSC_CLIPBOARD}\x9b2J"
"""A status line is latin-1: no bidi there, but ESC, BEL and C1 bytes pass."""
FORBIDDEN = {
    "\x1b", "\x07", *map(chr, range(0x80, 0xA0)),
    *"\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    *"\u200b\u200c\u200d\u2060\ufeff",
}  # fmt: skip


def assert_inert(text: str) -> None:
    found = sorted({f"U+{ord(c):04X}" for c in text if c in FORBIDDEN})
    assert not found, f"{found} reached stdout"


def strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub(web=f"https://github.com/{OSC_TITLE}{OSC_CLIPBOARD}{BIDI}", token=TOKEN) as gh:
        gh.add_repo("acme/shop")
        gh.add_milestone("acme/shop", f"v1 {HOSTILE}", description=HOSTILE)
        gh.add_issue(
            "acme/shop", HOSTILE, milestone=1, labels=(f"P1 {HOSTILE}",), assignees=("octo",)
        )
        gh.add_repo("acme/gone")
        gh.fail("/repos/acme/gone/*", 418, reason=REASON, body={"message": HOSTILE}, times=None)
        yield gh


@pytest.fixture
def jira() -> Iterator[FakeJira]:
    """Server flavor; the versions and the search are the fake's own answers, with the
    version id and the issue key made hostile."""
    with FakeJira("server") as fake:
        fake.add_project("PAY")
        version = fake.add_version("PAY", f"2.1 {HOSTILE}", description=HOSTILE)
        fake.add_issue("PAY", HOSTILE, versions=(version.id,), labels=(HOSTILE,), assignee=HOSTILE)
        evil_id, evil_key = f"{version.id}{OSC_TITLE}{BIDI}", f"PAY-1{OSC_CLIPBOARD}{ZERO_WIDTH}"
        _, versions = fake.route("GET", "/rest/api/2/project/PAY/versions", {})
        versions[0]["id"] = evil_id
        query = {"jql": "project = PAY", "fields": ",".join(FIELDS)}
        _, search = fake.route("GET", "/rest/api/2/search", query)
        for issue in search["issues"]:
            issue["key"] = evil_key
            issue["fields"]["fixVersions"][0]["id"] = evil_id
        fake.fail("/rest/api/2/project/PAY/versions", 200, body=versions, times=None)
        fake.fail("/rest/api/2/search", 200, body=search, times=None)
        yield fake


@pytest.fixture
def config(
    github: FakeGitHub, jira: FakeJira, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    monkeypatch.setenv("GH_T", TOKEN)
    monkeypatch.setenv("JIRA_T", JIRA_TOKEN)
    path = tmp_path / "config.toml"
    title = json.dumps(f"Board {HOSTILE}")  # a TOML basic string takes JSON's escapes
    path.write_text(
        f"[board]\ntitle = {title}\n"
        f'[[source]]\nname = "shop"\nkind = "github"\nurl = "{github.url}"\n'
        'repo = "acme/shop"\ntoken_env = "GH_T"\n'
        f'[[source]]\nname = "gone"\nkind = "github"\nurl = "{github.url}"\n'
        'repo = "acme/gone"\ntoken_env = "GH_T"\n'
        f'[[source]]\nname = "pay"\nkind = "jira"\nurl = "{jira.url}"\nproject = "PAY"\n'
        'flavor = "server"\ntoken_env = "JIRA_T"\n',
        encoding="utf-8",
    )
    return str(path)


def export(
    config: str, capsys: pytest.CaptureFixture[str], *options: str
) -> tuple[str, dict[str, Any]]:
    assert cli.main(["export", "--config", config, "--format", "markdown", *options]) in (0, 1)
    markdown, err = capsys.readouterr()
    assert "internal error" not in err
    assert cli.main(["export", "--config", config, "--format", "json", *options]) in (0, 1)
    dumped, _ = capsys.readouterr()
    for text in (markdown, dumped, err):
        assert_inert(text)
    data = json.loads(dumped)
    for value in strings(data):
        assert_inert(value)
    return markdown, data


def test_nothing_from_a_hostile_tracker_reaches_stdout(
    config: str, capsys: pytest.CaptureFixture[str]
) -> None:
    markdown, data = export(config, capsys)
    sources = {s["name"]: s for s in data["sources"]}
    assert "418 I'm a teapot ␛]0;pwned␇␛]52;c;ZXZpbA==␇" in sources["gone"]["error"]
    assert sources["shop"]["ok"] and sources["pay"]["ok"], data["sources"]
    assert data["board"] == "Board ␛]0;pwned␇␛]52;c;ZXZpbA==␇⟨U+009B⟩31m ⟨U+202E⟩evil⟨U+200B⟩"
    issues = {i["source"]: i for i in data["issues"]}
    assert issues["shop"]["url"] == (
        "https://github.com/%1B]0;pwned%07%1B]52;c;ZXZpbA==%07%E2%80%AE/acme/shop/issues/1"
    )
    assert issues["pay"]["ref"] == "PAY-1␛]52;c;ZXZpbA==␇⟨U+200B⟩"
    assert issues["pay"]["url"].endswith("/browse/PAY-1%1B]52;c;ZXZpbA==%07%E2%80%8B")
    assert issues["pay"]["milestone"].endswith("/versions/10002%1B]0;pwned%07%E2%80%AE")
    assert "](https://github.com/%1B]0;pwned%07" in markdown
    assert "**Source failed:** gone: " in markdown

    offline_markdown, offline = export(config, capsys, "--offline")
    assert {i["url"] for i in offline["issues"]} == {i["url"] for i in data["issues"]}
    assert offline_markdown.count("](") == markdown.count("](")


def test_a_tampered_cache_is_cleaned_when_read_back(
    config: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The cache folder may be written by an older pullboard, or by anyone who can."""
    _, live = export(config, capsys)
    folder = Path(os.environ["XDG_CACHE_HOME"]) / "pullboard" / "snapshots"
    files = cachefiles.snapshot_files(folder)
    assert len(files) == 2, files  # shop and pay; gone failed before anything was cached
    for path in files:
        data = cachefiles.read(path)
        for item in data["milestones"] + data["issues"]:
            item["title"] = item["ref"] = HOSTILE
            item["url"] += f"/{OSC_TITLE}{BIDI}"
        for issue in data["issues"]:
            issue["labels"] = issue["assignees"] = [HOSTILE]
            issue["status"] = issue["author"] = HOSTILE
        cachefiles.write(path, data)

    _, offline = export(config, capsys, "--offline")
    assert len(offline["issues"]) == len(live["issues"]) == 2
    for issue in offline["issues"]:
        assert issue["title"] == "␛]0;pwned␇␛]52;c;ZXZpbA==␇⟨U+009B⟩31m ⟨U+202E⟩evil⟨U+200B⟩"
        assert issue["url"].endswith("/%1B]0;pwned%07%E2%80%AE")

    data = cachefiles.read(files[0])
    data["issues"][0]["url"] = "javascript:alert(1)"
    cachefiles.write(files[0], data)
    _, offline = export(config, capsys, "--offline")
    assert len(offline["issues"]) == 1, "a cache holding a non-web URL is not pullboard's"
