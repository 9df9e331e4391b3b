"""ARCHITECTURE.md: cases may import partners; partners never imports cases."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_partners_never_imports_cases():
    offenders = []
    for path in (ROOT / "partners").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] == "cases"
            ]
    assert offenders == []
