"""Who may change the insights file: every change, from the CLI or the board, goes through a
`Writer`, which checks the writer's role first (leads pin, edit and remove; members
acknowledge; viewers only read) and says why when it refuses.

Roles bind the people `[[person]]` lists, who come in through `pullboard serve` and can do
nothing but what the board offers. A name no `[[person]]` lists (someone running pullboard
under their own account) is not limited: write access to the file is theirs anyway.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

import msgspec

from pullboard.errors import InsightsError
from pullboard.insights import briefs, changes
from pullboard.insights.store import Store
from pullboard.model import Insight

Action = Literal["pin", "edit", "unpin", "ack", "goals"]

ALLOWED: dict[str, frozenset[str]] = {
    "lead": frozenset({"pin", "edit", "unpin", "ack", "goals"}),
    "member": frozenset({"ack"}),
    "viewer": frozenset(),
}
"""Role -> the actions it may take."""

_DOING = {
    "pin": "pin insights",
    "edit": "edit insights",
    "unpin": "remove insights",
    "ack": "acknowledge insights",
    "goals": "change goals",
}


class Refused(InsightsError):
    """The writer's role doesn't allow this change; nothing was written."""


def refusal(user: str, role: str | None, action: Action) -> str | None:
    """Why `user` with `role` may not take `action`, as a sentence; None when they may (a
    name no `[[person]]` lists, role None, is not limited)."""
    if role is None or action in ALLOWED.get(role, frozenset()):
        return None
    may = [_DOING[a] for a in _DOING if a in ALLOWED.get(role, frozenset())]
    can = f"{role}s may {' and '.join(may)}" if may else f"{role}s only read"
    return (
        f"{user} is a {role} on this board, so can't {_DOING[action]}: {can}. "
        "A lead can change your role in the board's config ([[person]] role)."
    )


def allow(user: str, role: str | None, action: Action) -> None:
    """Refuse (`Refused`, with the reason) unless `user` with `role` may take `action`."""
    if reason := refusal(user, role, action):
        raise Refused(reason)


class Writer(msgspec.Struct, frozen=True):
    """Changes to the insights, made as one person.

    Attributes:
        store: where the insights live (a local file's path, or any `Store`).
        user: the name written on pins, edits and acknowledgements.
        role: `lead`, `member` or `viewer`; None for a name no `[[person]]` lists.
    """

    store: Store | Path
    user: str
    role: str | None = None

    def refusal(self, action: Action) -> str | None:
        """Why this writer may not take `action`, as a sentence; None when they may."""
        return refusal(self.user, self.role, action)

    def pin(self, insight: Insight, *, now: datetime | None = None) -> Insight:
        """`changes.pin`, if this writer may pin."""
        self.allow("pin")
        return changes.pin(self.store, insight, now=now)

    def edit(
        self, insight_id: str, change: changes.Changes, *, base_revision: int, now: datetime
    ) -> Insight:
        """`changes.edit` as this writer, if they may edit."""
        self.allow("edit")
        return changes.edit(
            self.store, insight_id, change, base_revision=base_revision, user=self.user, now=now
        )

    def unpin(self, insight_id: str, *, base_revision: int | None = None) -> Insight:
        """`changes.unpin`, if this writer may remove insights."""
        self.allow("unpin")
        return changes.unpin(self.store, insight_id, base_revision=base_revision, user=self.user)

    def ack(
        self,
        insight_id: str,
        now: datetime,
        *,
        base_revision: int | None = None,
        stance: str = "read",
        note: str = "",
    ) -> Insight:
        """`briefs.ack` (a back-brief: read, or a stance, and a note) as this writer, if they
        may acknowledge."""
        self.allow("ack")
        return briefs.ack(
            self.store,
            insight_id,
            self.user,
            now,
            base_revision=base_revision,
            stance=stance,
            note=note,
        )

    def allow(self, action: Action) -> None:
        """Refuse (`Refused`, with the reason) unless this writer may take `action`."""
        allow(self.user, self.role, action)
