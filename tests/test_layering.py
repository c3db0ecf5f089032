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


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_networkx_stays_in_graph() -> None:
    assert [p.name for p in _modules() if "networkx" in _imports(p)] == ["graph.py"]


def test_report_does_not_reach_into_the_stages() -> None:
    """The report renders an AuditResult; it never runs assessment, graph or ingest code itself."""
    offenders = []
    for path in sorted((PACKAGE / "report").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                module = (
                    node.module
                    if node.level == 0
                    else f"sovereign.{'report.' if node.level == 1 else ''}{node.module}"
                )
                if any(
                    module.startswith(f"sovereign.{stage}")
                    for stage in ("assess", "graph", "inventory", "pipeline")
                ):
                    offenders.append(f"{path.name}: {module}")
    assert offenders == []
