"""TUI fixtures: the app built by the CLI's own factory, demo data, a fixed clock."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tui_helpers import NOW

from pullboard.sources.demo import demo_config
from pullboard.tui.app import PullboardApp, create_app


@pytest.fixture(autouse=True)
def no_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never start a browser; `o` shows the link as text, as over SSH."""
    monkeypatch.setenv("PULLBOARD_NO_BROWSER", "1")


@pytest.fixture(autouse=True)
def truecolour_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Snapshots show a 24-bit terminal whatever the one running the tests has (the board
    picks other colours at 16); a test for 16 colours sets TERM and COLORTERM itself."""
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLORTERM", "truecolor")


@pytest.fixture
def demo_app() -> Callable[[], PullboardApp]:
    """A factory for the demo board at a fixed time."""
    return lambda: create_app(demo_config(), clock=lambda: NOW)
