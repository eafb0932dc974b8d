"""Opening links: a local browser when there is one, else the caller shows the URL as text."""

from __future__ import annotations

import os
import sys
import webbrowser


def has_browser() -> bool:
    """False on SSH sessions and headless hosts, where `webbrowser` would start a text browser
    inside the board's own terminal (or silently do nothing)."""
    if os.environ.get("PULLBOARD_NO_BROWSER"):
        return False
    remote = bool(os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"))
    graphical = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and not graphical:
        return False
    if remote and not graphical:
        return False
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    # Console browsers (lynx, w3m, www-browser) would fight the board for the terminal.
    return type(browser).__name__ != "GenericBrowser" or os.environ.get("BROWSER") is not None


def open_url(url: str) -> bool:
    """Open `url` in the local browser; False when there is none (show the URL instead)."""
    if not has_browser():
        return False
    try:
        return webbrowser.open(url, new=2)
    except webbrowser.Error:
        return False
