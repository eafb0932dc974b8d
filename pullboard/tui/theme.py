"""Theme colours for Rich-rendered cells, taken from the app's theme variables.

DataTable cells are Rich text, which can't say `$error`; resolving the variable here keeps
every theme (including the ANSI ones that suit SSH terminals) in charge of the colours.
"""

from __future__ import annotations

from typing import Any

from rich.style import Style
from textual.app import App
from textual.color import Color, ColorParseError

from pullboard.model import Risk

RISK_VARIABLE = {
    Risk.DONE: "success",
    Risk.ON_TRACK: "success",
    Risk.AT_RISK: "warning",
    Risk.OFF_TRACK: "error",
    Risk.UNKNOWN: "",
}


def theme_style(app: App[Any], variable: str) -> Style:
    """A Rich style in the colour of a theme variable (`error`, `warning`, `success`, `accent`)."""
    value = app.theme_variables.get(variable, "") if variable else ""
    try:
        color = Color.parse(value).rich_color if value else None
    except ColorParseError:
        color = None
    # Explicitly not bold: these cells keep regular weight in the (bold) cursor row, as the
    # snapshots show; leaving bold unset would let the row's bold through.
    return Style(color=color, bold=False)
