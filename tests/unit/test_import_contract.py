"""The import contract in pyproject.toml holds for the tree, and catches a layer violation."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter on `tree` (its pyproject.toml and its own copy of pullboard)."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    """A copy of the package and its contract, to break on purpose."""
    shutil.copytree(ROOT / "pullboard", tmp_path / "pullboard")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_every_contract() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("analysis/milestone.py", "from pullboard import board", "Layers"),
        ("sources/base.py", "from pullboard.tui import theme", "Layers"),
        ("board.py", "import textual", "Textual and Rich only under tui"),
        ("export.py", "import httpx", "httpx only under sources"),
        ("tui/views.py", "import keyring", "keyring only under auth"),
        ("tui/screens/issue.py", "from pullboard.tui import app", "Screens and widgets"),
    ],
)
def test_a_violation_breaks_the_contract(
    tree_copy: Path, module: str, line: str, contract: str
) -> None:
    target = tree_copy / "pullboard" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n")
    result = lint_imports(tree_copy)
    assert result.returncode == 1, result.stdout
    broken = [ln for ln in result.stdout.splitlines() if ln.endswith("BROKEN")]
    assert len(broken) == 1 and broken[0].startswith(contract), result.stdout
