"""Messages children send up to the app: requests and facts, each with a handler in app.py."""

from __future__ import annotations

from textual.message import Message


class OpenRequested(Message):
    """The user chose an item (Enter): show the milestone or issue with this URL."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url


class LinkRequested(Message):
    """The user asked to open an item's web page (`o`)."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url


class MilestoneShown(Message):
    """A milestone screen opened: its issues should be fetched if they aren't yet."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
