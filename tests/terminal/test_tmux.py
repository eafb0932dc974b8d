"""`pullboard --demo` in a real terminal at 80x24: paints, answers keys, quits cleanly."""

from __future__ import annotations

from terminal_driver import Terminal


def test_demo_board_in_a_real_terminal(terminal: Terminal, board_command: str) -> None:
    terminal.start(board_command + "; echo EXITED=$?; sleep 5")
    screen = terminal.wait_for("1 Milestones 9")
    lines = screen.splitlines()
    assert len(lines) <= 24 and all(len(line) <= 80 for line in lines)
    assert "Acme delivery (demo)" in lines[0]
    assert "▲ at risk" in screen and "Forecast" in screen
    terminal.keys("2")
    terminal.wait_for("Why now")
    terminal.keys("?")
    terminal.wait_for("Esc closes")
    terminal.keys("Escape")
    terminal.wait_gone("Esc closes")
    terminal.keys("q")
    assert "EXITED=0" in terminal.wait_for("EXITED=")


def test_board_fits_a_resized_terminal(terminal: Terminal, board_command: str) -> None:
    terminal.start(board_command, width=120, height=40)
    screen = terminal.wait_for("1 Milestones 9")
    assert "2.0 Accessibility pass" in screen
    terminal.keys("q")
