"""core/ is standard library only: decisions stay testable without any framework."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "callcenter" / "core"
FORBIDDEN = {"flask", "redis", "rq", "sqlalchemy", "twilio", "werkzeug", "phonenumbers", "yaml", "requests"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_core_imports_only_the_standard_library_and_itself() -> None:
    files = sorted(CORE.glob("*.py"))
    assert len(files) >= 5
    for path in files:
        roots = imported_roots(path)
        assert not roots & FORBIDDEN, f"{path.name} imports {roots & FORBIDDEN}"
        outside = {r for r in roots if r not in sys.stdlib_module_names and r != "__future__"}
        assert not outside, f"{path.name} imports non-standard modules {outside}"


def test_the_purity_check_would_catch_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom redis import Redis\n")
    assert imported_roots(bad) & FORBIDDEN == {"redis"}
