"""The import-linter contracts in pyproject.toml really hold, and really bite.

A contract that names a module wrongly, or lists the wrong sources, is "kept" for ever and
checks nothing. So each test copies the package and pyproject.toml into a temporary
directory, drops in one throwaway module that makes a forbidden import, and runs
``lint-imports`` on the copy: it must fail, naming the contract that forbids that import
and the probe module (which exists only in the copy, so this also proves the copy was
analysed rather than the installed package). The unmodified copy must keep every contract.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "smtui"

TEXTUAL = "The AWS, catalogue, live, form-engine, service and emulator layers never import Textual"
EMULATOR_IMPORTS = "The emulator imports nothing of smtui but smtui.aws"
ONLY_CLI = "Only the CLI imports the emulator"


def _contracts() -> dict[str, dict[str, Any]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["name"]: c for c in config["tool"]["importlinter"]["contracts"]}


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(PACKAGE, tmp_path / "smtui", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


# The lint-imports console script, run by this interpreter (no reliance on PATH).
_LINT_IMPORTS = "from importlinter.cli import lint_imports_command; lint_imports_command()"


def _lint(where: Path) -> tuple[int, str]:
    """Run lint-imports on the copy in ``where``; its output with whitespace runs collapsed."""
    # PYTHONPATH (and cwd) put the copy ahead of the editable install, which only the venv's
    # .pth file adds, at the end of sys.path.
    env = {**os.environ, "PYTHONPATH": str(where), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-c", _LINT_IMPORTS, "--no-cache", "--no-logo"],
        cwd=where,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # Rich wraps long contract names at the terminal width; compare on collapsed whitespace.
    return done.returncode, re.sub(r"\s+", " ", done.stdout + done.stderr)


def test_the_contracts_this_file_tests_exist() -> None:
    assert {TEXTUAL, EMULATOR_IMPORTS, ONLY_CLI} <= set(_contracts())


def test_every_other_top_level_module_is_forbidden_the_emulator() -> None:
    """A new top-level module must join the sources of the only-the-CLI contract."""
    top = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    top |= {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    sources = {m.removeprefix("smtui.") for m in _contracts()[ONLY_CLI]["source_modules"]}
    assert sources == top - {"cli", "emulator"}


def test_the_unmodified_copy_keeps_every_contract(tmp_path: Path) -> None:
    code, out = _lint(_copy(tmp_path))
    assert code == 0, out
    for name in _contracts():
        assert f"{name} KEPT" in out, (name, out)
    assert f"Contracts: {len(_contracts())} kept, 0 broken." in out, out


@pytest.mark.parametrize(
    ("probe", "source", "contract"),
    [
        # A lazy import inside a function counts too: that is how smtui.cli imports the emulator.
        ("ui/_probe.py", "def start() -> None:\n    from smtui.emulator import start_child\n", ONLY_CLI),
        ("emulator/_probe.py", "import smtui.config\n", EMULATOR_IMPORTS),
        ("emulator/_probe.py", "import textual\n", TEXTUAL),
        ("live/_probe.py", "from textual.widget import Widget\n", TEXTUAL),
    ],
    ids=["ui-imports-emulator", "emulator-imports-config", "emulator-imports-textual", "live-imports-textual"],
)
def test_a_forbidden_import_breaks_its_contract(tmp_path: Path, probe: str, source: str, contract: str) -> None:
    where = _copy(tmp_path)
    (where / "smtui" / probe).write_text(source, encoding="utf-8")
    code, out = _lint(where)
    assert code != 0, out
    assert f"{contract} BROKEN" in out, out
    # Only that contract breaks: the probe is the one thing that changed.
    assert "1 broken" in out, out
    module = "smtui." + probe.removesuffix(".py").replace("/", ".")
    assert module in out, out
