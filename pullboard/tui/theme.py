"""Theme colours for Rich-rendered cells, taken from the app's theme variables.

DataTable cells are Rich text, which can't say `$error`; resolving the variable here keeps
every theme (including the ANSI ones that suit SSH terminals) in charge of the colours.
"""

from __future__ import annotations

from typing import Any

from rich._palettes import STANDARD_PALETTE
from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.style import Style
from textual.app import App
from textual.color import Color, ColorParseError

from pullboard.model import Risk

RISK_VARIABLE = {
    Risk.DONE: "success",
    Risk.ON_TRACK: "success",
    Risk.AT_RISK: "warning",
    Risk.OFF_TRACK: "error",
    Risk.STALLED: "primary",
    Risk.UNKNOWN: "",
}
"""Stalled takes the theme's primary colour: nothing moving is neither a traffic light nor
plain text, and primary is blue or cyan (grey in textual-light) at 16 colours, apart from the
green, yellow and red of the signals."""

SIGNAL_ANSI = {"success": 2, "warning": 3, "error": 1}
"""The traffic lights every 16-colour terminal has (ANSI green, yellow, red), for when a
theme's own signal colours fall on one ANSI hue there: textual-dark's orange warning and
pink-red error both become bright red, and ansi-light's warning is a bright red next to its
red error."""


def theme_style(app: App[Any], variable: str) -> Style:
    """A Rich style in the colour of a theme variable (`error`, `warning`, `success`, `accent`)."""
    color = _color(app, variable)
    if variable in SIGNAL_ANSI and _sixteen_colours(app) and _clashes(app, variable):
        color = _signal(app, SIGNAL_ANSI[variable])
    # Explicitly not bold: these cells keep regular weight in the (bold) cursor row, as the
    # snapshots show; leaving bold unset would let the row's bold through.
    return Style(color=color, bold=False)


def _color(app: App[Any], variable: str) -> RichColor | None:
    value = app.theme_variables.get(variable, "") if variable else ""
    try:
        return Color.parse(value).rich_color if value else None
    except ColorParseError:
        return None


def _signal(app: App[Any], number: int) -> RichColor:
    """ANSI colour `number` as the terminal will show it."""
    if app.current_theme.ansi:
        return RichColor.from_ansi(number)
    # Other themes first turn ANSI colours into their own RGB (Textual's Monokai yellow is an
    # orange that comes out bright red again); the palette's RGB comes out as `number`.
    return RichColor.from_triplet(STANDARD_PALETTE[number])


def _sixteen_colours(app: App[Any]) -> bool:
    """True when the terminal shows only the 16 ANSI colours, or the theme uses only them."""
    return app.current_theme.ansi or app.console.color_system in ("standard", "windows")


def _hue(color: RichColor | None) -> int | None:
    """Which of the eight ANSI hues a colour becomes at 16 colours (bright red is red)."""
    number = color.downgrade(ColorSystem.STANDARD).number if color else None
    return None if number is None else number % 8


def _clashes(app: App[Any], variable: str) -> bool:
    """True when another signal colour shows as the same ANSI hue as this one."""
    hue = _hue(_color(app, variable))
    others = (_hue(_color(app, other)) for other in SIGNAL_ANSI if other != variable)
    return hue is not None and hue in others
