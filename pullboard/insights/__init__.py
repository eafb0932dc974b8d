"""The shared insights file: what leads pin onto milestones and issues, and who has read it.

- `access`: `Writer`, through which every change goes: the writer's role is checked first.
- `changes`: load, pin, edit, unpin: one change at a time, never losing anyone's.
- `briefs`: back-briefs (`ack`): read, agree, commit, concern; accept or decline an ask.
- `goals`: add, edit and remove `[[goal]]`s; `tables` reads them and `[audiences.NAME]`.
- `update`: the one read-apply-write every change goes through, whatever the store.
- `store`: the storage interface (`Store`) and the local-file backend.
- `repo`: the GitHub repository backend, through a `Contents` client it is given.
- `storage`: the local file's lock, atomic replace and cheap change checks.
- `format`: the TOML document, its version and byte-for-byte round trips.
- `schema`: one `[[insight]]` table to an `Insight` and back, with the rules it must meet.
- `listing`: `pullboard insights` as text or JSON.
"""

from __future__ import annotations

from pullboard.insights.access import Action, Refused, Writer, allow
from pullboard.insights.briefs import NOTE_MAX, ack
from pullboard.insights.changes import (
    EDITABLE,
    Changes,
    Conflict,
    Loaded,
    check,
    check_target,
    edit,
    get,
    load,
    new_id,
    pin,
    seed,
    target_label,
    unpin,
)
from pullboard.insights.format import VERSION
from pullboard.insights.goals import GoalChanges, add_goal, edit_goal, remove_goal
from pullboard.insights.repo import Contents, Fetched, RepoStore
from pullboard.insights.storage import Fingerprint, fingerprint, path_problem, sharing, writable
from pullboard.insights.store import Edit, LocalStore, Read, Store

__all__ = [
    "EDITABLE",
    "NOTE_MAX",
    "VERSION",
    "Action",
    "Changes",
    "Conflict",
    "Contents",
    "Edit",
    "Fetched",
    "Fingerprint",
    "GoalChanges",
    "Loaded",
    "LocalStore",
    "Read",
    "Refused",
    "RepoStore",
    "Store",
    "Writer",
    "ack",
    "add_goal",
    "allow",
    "check",
    "check_target",
    "edit",
    "edit_goal",
    "fingerprint",
    "get",
    "load",
    "new_id",
    "path_problem",
    "pin",
    "remove_goal",
    "seed",
    "sharing",
    "target_label",
    "unpin",
    "writable",
]
