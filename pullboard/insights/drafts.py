"""What someone typed for a write that failed, kept in the state folder so nothing is lost.

The board keeps its form open instead; a command has no form, so `pin` and `edit` write the
draft here and say where (`$XDG_STATE_HOME/pullboard/drafts/`). Nothing is retried or queued
behind the user's back: the draft is there to copy from when they try again.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

import tomli_w

from pullboard import files
from pullboard.insights.format import ordered
from pullboard.paths import state_dir


def save(kind: str, table: dict[str, Any], now: datetime) -> Path | None:
    """Write the draft of a `kind` ("pin", "edit") as TOML; None when even that fails (the
    caller still says why the write failed)."""
    folder = state_dir() / "drafts"
    name = f"{now:%Y%m%d-%H%M%S}-{kind}-{secrets.token_hex(2)}.toml"
    text = f"# pullboard {kind} that was not saved ({now:%Y-%m-%d %H:%M} UTC)\n"
    text += tomli_w.dumps({k: v for k, v in ordered(table).items() if v is not None})
    try:
        folder.mkdir(parents=True, exist_ok=True)
        files.write_atomic(folder / name, text.encode("utf-8"))
    except OSError:
        return None
    return folder / name
