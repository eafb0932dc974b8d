"""Nothing outside `pullboard.tui` imports textual (harlequin's import-hygiene test), and
nothing inside it but `app.py` imports the app."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import pullboard


def printed(code: str) -> str:
    """What `code` prints, run in a fresh interpreter (imports are the point)."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def headless_modules() -> list[str]:
    return [
        m.name
        for m in pkgutil.walk_packages(pullboard.__path__, "pullboard.")
        if not m.name.startswith("pullboard.tui") and m.name != "pullboard.__main__"
    ]


def test_headless_modules_do_not_import_textual() -> None:
    modules = headless_modules()
    assert "pullboard.board" in modules and "pullboard.sources.demo" in modules
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules)
    code += "print('textual' in sys.modules)"
    assert printed(code) == "False"


def imported_names(path: Path) -> set[str]:
    """Every module a file imports, including under `if TYPE_CHECKING:`."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_only_the_app_knows_the_app() -> None:
    """Screens, widgets and helpers read `BoardContext` and post messages: no import cycle."""
    tui = Path(pullboard.__file__).parent / "tui"
    offenders = [
        str(path.relative_to(tui))
        for path in sorted(tui.rglob("*.py"))
        if path.name != "app.py" and "pullboard.tui.app" in imported_names(path)
    ]
    assert len(list(tui.rglob("*.py"))) > 10
    assert offenders == []


def test_export_demo_loads_no_network_keyring_or_ui_library() -> None:
    """A lean start: what a command never uses, it never imports (each costs 20-60 ms)."""
    code = (
        "import contextlib, io, sys\n"
        "from pullboard.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['export', '--demo']) == 0\n"
        "print(sorted(m for m in ('httpx', 'keyring', 'textual', 'rich') if m in sys.modules))"
    )
    assert printed(code) == "[]"


def test_going_online_loads_no_command_line_or_ui_library() -> None:
    """httpx imports its own CLI (click, rich, pygments) when click is installed; a tracker
    going online must not pay for it. (The test extra installs click: the case is real here.)"""
    code = (
        "import sys\n"
        "import importlib.util\n"
        "assert importlib.util.find_spec('click') is not None\n"
        "import pullboard.sources.github.tracker, pullboard.sources.jira.tracker\n"
        "import httpx\n"
        "print(sorted(m for m in ('click', 'pygments', 'rich', 'textual') if m in sys.modules))"
    )
    assert printed(code) == "[]"


def test_a_pullboard_process_sets_its_garbage_collector() -> None:
    """`python -m pullboard` (and the script) freeze what the start imported and collect the
    young generation less often; tests calling `main` keep their own collector as it is."""
    code = (
        "import contextlib, gc, io, runpy, sys\n"
        "sys.argv = ['pullboard', 'export', '--demo']\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    runpy.run_module('pullboard', run_name='__main__')\n"
        "print(gc.get_threshold()[0], gc.get_freeze_count() > 10_000, gc.isenabled())"
    )
    assert printed(code).split() == ["20000", "True", "True"]


def test_the_entry_package_loads_no_command_before_the_collector_is_paused() -> None:
    """`pullboard.cli` is what the script imports to reach `run`: it must not load the
    commands' modules itself, or they load before `run` pauses the collector."""
    code = (
        "import gc, sys\n"
        "import pullboard.cli\n"
        "print(sorted(m for m in sys.modules if m.startswith('pullboard.')), gc.isenabled())"
    )
    assert printed(code) == "['pullboard.cli', 'pullboard.cli.collector'] True"
