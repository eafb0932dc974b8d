"""Messages screens send up to the app: requests and facts, each with one handler in app.py.

Screens never call the app; they read `BoardContext` and post one of these.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from pullboard.model import Insight, Issue


@dataclass
class OpenRequested(Message):
    """The user chose an item (Enter, or the command palette): show it on its own screen."""

    url: str
    """A milestone or issue URL, or an insight id (its item is shown)."""


@dataclass
class LinkRequested(Message):
    """The user asked to open an item's web page (`o`)."""

    url: str


@dataclass
class MilestoneShown(Message):
    """A milestone screen opened: its issues should be fetched if they aren't yet."""

    url: str


@dataclass
class BodyRequested(Message):
    """An issue screen opened: fetch the issue's description for it."""

    issue: Issue


@dataclass
class PinRequested(Message):
    """The user wants to pin a new insight (`p`)."""

    on: str
    """The item URL it goes on, or `board`."""


@dataclass
class EditRequested(Message):
    """The user wants to edit an insight (`e`)."""

    insight: Insight
    """The revision on screen: saving is refused if the file has moved on since."""


@dataclass
class UnpinRequested(Message):
    """The user wants to remove an insight from the file (`u`), after confirming."""

    insight: Insight


@dataclass
class AckRequested(Message):
    """The user has read an insight (`a`): record it for the revision on screen."""

    insight: Insight


@dataclass
class SeenRequested(Message):
    """The user has seen every change in the New view (`s`): now is their last look."""
