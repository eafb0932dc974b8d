"""Nothing outside `pullboard.tui` imports textual (harlequin's import-hygiene test)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pullboard


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
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
