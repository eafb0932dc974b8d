"""Typed keys are handled one at a time, each to its end, in the order they were typed.

A terminal hands over a burst of keys (fast typing, keystrokes bundled over SSH) in one read,
and Textual queues them all on the app before it handles the first. Handling one key takes
several hops through message queues: the focused widget and its parents see it, the app runs
its binding, the action posts an intent that the app turns into a pushed screen, and that
screen mounts and focuses its first field. By then every later key of the burst has been
handed to the old screen: `p` then `quick` quit the board instead of typing a title.

So the app lets one key through, then holds what is typed next until that key has settled,
and the screen it may have pushed has mounted and taken focus; then it lets the next one
through. A single key typed alone goes straight through, as before.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from textual import events
from textual.app import App, ScreenStackError
from textual.dom import DOMNode

Typed = events.Key | events.Paste

MAX_PASSES = 12
"""Passes along the key's path before the next key goes anyway: a key's effects take three
or four (the binding, its intent, the pushed screen's mount and focus); a screen that keeps
repainting must slow typing down, never stop it."""


class KeyGate:
    """Holds typed input that arrives while an earlier key is still being handled.

    Args:
        app: the app whose typed input this orders; it calls `holds` before handling an
            event and `passed` after.
        dispatch: hands a held event to the app as if it had just arrived.
    """

    def __init__(self, app: App[Any], dispatch: Callable[[events.Event], Awaitable[None]]) -> None:
        self.app = app
        self.dispatch = dispatch
        self.held: deque[Typed] = deque()
        self.busy = False
        """True from when a key was handed on until it, and what it set off, settled."""
        self.sending: Typed | None = None
        """The typed event the app is handing on now."""

    def holds(self, event: events.Event) -> bool:
        """True if `event` is typed input that must wait (it is kept, in order)."""
        if not _typed(event) or event is self.sending:
            return False
        assert isinstance(event, Typed)
        if self.busy:
            self.held.append(event)
            return True
        self.busy = True
        self.sending = event
        return False

    def passed(self, event: events.Event) -> None:
        """The app handed `event` on: if it was typed, hold what follows until it settles."""
        if event is self.sending:
            self.sending = None
            self._pass(0)

    def _pass(self, count: int) -> None:
        """Let every node on the focus path, deepest first, handle what it has queued; then
        check, on the app, whether focus moved or anything is still queued."""
        path = self._path()

        def check() -> Awaitable[None] | None:
            now = self._path()
            moved = now != path
            if (moved or any(node.message_queue_size for node in now)) and count < MAX_PASSES:
                self._pass(count + 1)
                return None
            return self._release()

        self._chain(path, check)

    def _chain(
        self, path: list[DOMNode], then: Callable[[], Awaitable[None] | None]
    ) -> Awaitable[None] | None:
        """Run `then` (on the app) once each node of `path` in turn has handled everything
        queued on it: a message a node passes up (a bubbling key, an intent) is on its
        parent's queue by the time that parent is asked."""
        if not path:
            return then()
        node, rest = path[0], path[1:]
        if node.call_later(self._chain, rest, then):
            return None
        if node is self.app:  # the app is closing: nothing is left to type into
            self.held.clear()
            return None
        return self._chain(rest, then)  # a widget that just closed

    def _path(self) -> list[DOMNode]:
        """The focused widget up to the app (or the screen and the app): where a key goes.

        It always ends with the app, so `_chain` calls back on the app's own queue, even
        from a widget that has left the DOM (a closing screen's, at exit)."""
        try:
            start: DOMNode = self.app.focused or self.app.screen
        except ScreenStackError:  # the app is closing
            return [self.app]
        path = start.ancestors_with_self
        return path if path[-1] is self.app else [*path, self.app]

    async def _release(self) -> None:
        """The last key settled: hand on the next held one, as if it had just been typed."""
        self.busy = bool(self.held)
        if self.held:
            self.sending = self.held.popleft()
            await self.dispatch(self.sending)


def _typed(event: events.Event) -> bool:
    """A key or a paste straight from the terminal (not one already forwarded down)."""
    return isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded
