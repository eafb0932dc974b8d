"""TUI fixtures: the app built by the CLI's own factory, demo data, a fixed clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from pullboard.sources.demo import demo_config
from pullboard.tui.app import PullboardApp, create_app

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def no_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never start a browser; `o` shows the link as text, as over SSH."""
    monkeypatch.setenv("PULLBOARD_NO_BROWSER", "1")


@pytest.fixture
def demo_app() -> Callable[[], PullboardApp]:
    """A factory for the demo board at a fixed time."""
    return lambda: create_app(demo_config(), clock=lambda: NOW)
