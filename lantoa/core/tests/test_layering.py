"""Layering rules that import-linter cannot express, kept by reading the source.

import-linter (``lint-imports``, run by .ci/run) keeps which package may import which; it works on
modules, not names. The rule "only ``org`` reads the closure table and successions" is about two
models of ``org.models``, so it is checked here on the syntax tree of every module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import lantoa

ROOT = Path(lantoa.__file__).parent
ORG_ONLY = {"UnitClosure", "Succession"}


def _application_modules() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts and path.relative_to(ROOT).parts[0] != "org"
    ]


def _names_used(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            used.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Attribute):
            used.add(node.attr)
        elif isinstance(node, ast.Name):
            used.add(node.id)
    return used


def test_only_org_reads_the_closure_table_and_successions():
    offenders = {
        str(path.relative_to(ROOT)): sorted(ORG_ONLY & _names_used(path))
        for path in _application_modules()
        if ORG_ONLY & _names_used(path)
    }
    assert offenders == {}, (
        f"Read subtrees and successions through lantoa.org.selectors (the one scope rule), not the models: {offenders}"
    )
