"""What people add to the board in the shared insights file: insights, back-briefs (acks),
audiences and goals. Its own module because this vocabulary belongs to the file people write,
not to a tracker: `pullboard.insights` reads and writes it, the board pins it on items.
"""

from __future__ import annotations

from datetime import date, datetime

import msgspec

BOARD = "board"
"""The `on` value of an insight pinned to the whole board rather than one item."""

STANCES = ("read", "agree", "commit", "concern", "accept", "decline")
"""What a back-brief can say: read it; agree; disagree and commit; a concern; and, to an ask,
accept or decline."""
ANSWERS = ("accept", "decline")
"""The stances that answer an ask (and only an ask)."""
NOTE = "note"
ASK = "ask"
KINDS = (NOTE, ASK)
"""An insight is a note for its audience, or an ask: a request to the people in `to`."""


class Ack(msgspec.Struct, frozen=True):
    """One reader's back-brief on an insight: that they read it, where they stand, and
    optionally one line in their own words."""

    at: datetime
    revision: int = 1
    """The revision it was made on: an edit makes it stale (the reader should look again)."""
    stance: str = "read"
    """One of `STANCES`."""
    note: str = ""
    """One line in the reader's own words (what they understood, or their concern)."""


HEADLINE = "headline"
DETAIL = "detail"
DEPTHS = (HEADLINE, DETAIL)
EVERYONE = ("all", "everyone")
"""Audience tags that address everyone (as does no audience at all)."""


class Audience(msgspec.Struct, frozen=True):
    """A named group in the insights file (`[audiences.NAME]`): who expects which insights,
    and how much of them they see by default."""

    name: str
    members: tuple[str, ...] = ()
    depth: str = HEADLINE
    """`headline` (title and summary) or `detail` (why, detail and notes too)."""


class Goal(msgspec.Struct, frozen=True):
    """An outcome that spans milestones of any source (`[[goal]]` in the insights file)."""

    id: str
    title: str
    outcome: str = ""
    """What the world looks like once it is reached."""
    done: str = ""
    """What "done" means, in words everyone reads the same way."""
    why: str = ""
    """Why now."""
    owner: str = ""
    milestones: tuple[str, ...] = ()
    """Its milestones by web URL or short ref (`acme/web@2.0`, `PAY@2.1`), as written."""
    due: date | None = None
    updated: datetime | None = None
    updated_by: str = ""
    extra: dict[str, object] = msgspec.field(default_factory=dict)
    """Keys pullboard does not know, kept so a rewrite never drops them."""

    @property
    def url(self) -> str:
        """How insights (`on`) and the history name it: `goal:ID`."""
        return f"goal:{self.id}"


class Insight(msgspec.Struct, frozen=True):
    """A short note a lead pins on a milestone, an issue or the whole board."""

    id: str
    on: str
    """URL of a milestone or issue, or `"board"`."""
    title: str
    summary: str = ""
    """One line: the headline for people who only want that."""
    detail: str = ""
    """Markdown for the working team."""
    why: str = ""
    """Why it matters now."""
    author: str = ""
    created: datetime | None = None
    updated: datetime | None = None
    updated_by: str = ""
    """Who made the last change (empty until someone edits it): named when an edit conflicts."""
    expires: date | None = None
    audience: tuple[str, ...] = ()
    pinned: bool = True
    """Shown on the overview strip; unpinned insights still show on their item."""
    revision: int = 1
    """Bumped by every edit; an edit based on an older revision is refused, never merged."""
    acks: dict[str, Ack] = msgspec.field(default_factory=dict)
    """Who has read it (user name -> their back-brief)."""
    kind: str = NOTE
    """`note`, or `ask`: a request to the people in `to`, answered by accept or decline."""
    to: tuple[str, ...] = ()
    """Who an ask is addressed to (user names)."""
    extra: dict[str, object] = msgspec.field(default_factory=dict)
    """Keys pullboard does not know, kept so a rewrite never drops them."""

    def expired(self, today: date) -> bool:
        """True once the expiry date has passed (an insight is still shown on its last day)."""
        return self.expires is not None and self.expires < today

    def acked_by(self, user: str) -> bool:
        """True when `user` acknowledged this revision (an ack before the last edit is stale)."""
        ack = self.acks.get(user)
        return ack is not None and ack.revision >= self.revision

    def answer(self, user: str) -> Ack | None:
        """`user`'s answer to this ask (accept or decline, any revision), or None."""
        ack = self.acks.get(user)
        return ack if self.kind == ASK and ack is not None and ack.stance in ANSWERS else None

    def waits_on(self, user: str) -> bool:
        """True for an ask addressed to `user` that they have not yet accepted or declined:
        it stays in their Mine view and change feed until they do."""
        return self.kind == ASK and user in self.to and self.answer(user) is None
