"""Imports go one way: nothing below cli.py imports click or rich, or exits the process."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sovereign"
FORBIDDEN = {"click", "rich"}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name != "cli.py" and p.name != "__main__.py")


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_cli_imports_below_cli(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            bad += [a.name for a in node.names if a.name.split(".")[0] in FORBIDDEN]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in FORBIDDEN:
            bad.append(node.module)
        elif (
            isinstance(node, ast.Attribute) and node.attr == "exit" and getattr(node.value, "id", "") == "sys"
        ):
            bad.append("sys.exit")
    assert bad == [], f"{path.name} uses {bad}"


def test_networkx_stays_in_graph() -> None:
    users = [p.name for p in _modules() if "import networkx" in p.read_text(encoding="utf-8")]
    assert users == ["graph.py"]
