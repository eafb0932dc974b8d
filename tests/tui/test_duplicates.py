"""Row identity is unique whatever the data says: duplicate URLs never crash the board."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fakes.github_server import TOKEN, FakeGitHub
from rich.text import Text
from textual.app import App, ComposeResult
from tui_helpers import NOW, settle, table_text

from pullboard.config import BoardConfig, Config, SourceConfig
from pullboard.tui.app import create_app
from pullboard.tui.widgets.item_table import ItemTable, Row


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    monkeypatch.setenv("FAKE_TOKEN", TOKEN)
    with FakeGitHub(token=TOKEN) as server:
        server.add_repo("acme/app")
        server.add_milestone("acme/app", "v2.0", due_on=NOW + timedelta(days=10))
        server.add_milestone("acme/app", "v2.1", due_on=NOW + timedelta(days=20))
        for milestone in (1, 2):
            server.add_issue("acme/app", f"work for {milestone}", milestone=milestone)
        yield server


def source(fake: FakeGitHub, name: str) -> SourceConfig:
    return SourceConfig(
        name=name,
        kind="github",
        url=fake.url,
        repos=("acme/app",),
        milestones="open",
        token_env="FAKE_TOKEN",
    )


def config(*sources: SourceConfig) -> Config:
    return Config(path=None, board=BoardConfig(title="t"), sources=sources)


async def test_two_milestones_with_one_html_url_show_once(fake: FakeGitHub) -> None:
    repo = fake.repos["acme/app"]
    first, second = (fake.milestone_json(repo, m) for m in repo.milestones.values())
    second["html_url"] = first["html_url"]
    fake.fail("/repos/acme/app/milestones", 200, times=None, body=[first, second])
    app = create_app(config(source(fake, "app")), clock=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app)
        await pilot.pause()
        assert app.snapshot is not None
        urls = [m.url for m in app.snapshot.milestones]
        assert urls == [first["html_url"]], "one row per URL, the first one the server sent"
        await pilot.press("5", "3", "2", "1", "enter")
        await settle(app)
        await pilot.pause()
        assert app.is_running


async def test_two_sources_on_one_repository_show_each_item_once(fake: FakeGitHub) -> None:
    app = create_app(config(source(fake, "app"), source(fake, "again")), clock=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app)
        await pilot.pause()
        assert app.snapshot is not None
        assert [m.title for m in app.snapshot.milestones] == ["v2.0", "v2.1"]
        assert len({i.url for i in app.snapshot.issues}) == len(app.snapshot.issues) == 2
        assert all(s.ok for s in app.snapshot.sources)
        table = app.screen.query_one("#milestones", ItemTable)
        assert table_text(table).count("v2.0") == 1
        await pilot.press("2", "3", "5", "1", "enter")
        await settle(app)
        await pilot.pause()
        assert app.is_running


class OneTable(App[None]):
    def compose(self) -> ComposeResult:
        yield ItemTable([("Title", None)], id="t")


async def test_the_table_keeps_the_first_of_two_rows_with_one_key() -> None:
    app = OneTable()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(ItemTable)
        rows = [Row("a", (Text("first"),)), Row("a", (Text("second"),)), Row("b", (Text("b"),))]
        table.show(rows)
        await pilot.pause()
        assert table_text(table) == "first\nb"
        table.show(rows)  # the same rows again: updated in place, still no crash
        await pilot.pause()
        assert table_text(table) == "first\nb"
