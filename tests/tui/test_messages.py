"""Every message a screen can post up has exactly one handler, in the app."""

from __future__ import annotations

from textual.message import Message

from pullboard.tui import messages
from pullboard.tui.app import PullboardApp


def test_every_message_has_one_handler_in_the_app() -> None:
    posted = {
        value
        for value in vars(messages).values()
        if isinstance(value, type) and issubclass(value, Message) and value is not Message
    }
    # What `@on(...)` registered on the app class (Textual keeps it per class).
    handlers = PullboardApp.__dict__["_decorated_handlers"]
    assert len(posted) >= 8
    assert posted <= set(handlers), "a message nobody handles"
    assert all(len(handlers[m]) == 1 for m in posted), "one handler each"
