"""core/ is standard library only: decisions stay testable without any framework.

Every import in every module under core/ (sub-packages too) is resolved to its absolute
name, relative ones included, and must be the standard library or core itself: a
``from ..store import db`` would bring SQLAlchemy in as surely as ``import sqlalchemy``.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

CALLCENTER = Path(__file__).resolve().parents[2] / "callcenter"
CORE = CALLCENTER / "core"


def package_of(path: Path, root: Path = CALLCENTER) -> str:
    """The dotted package a module file belongs to (``callcenter.core`` for core/routing.py)."""
    return ".".join([root.name, *path.parent.relative_to(root).parts])


def imported_modules(path: Path, package: str) -> set[str]:
    """Absolute names of everything the file imports, relative imports resolved against ``package``."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                base = node.module or ""
            else:
                parts = package.split(".")
                assert node.level <= len(parts), f"{path}: relative import beyond the top package"
                base = ".".join([*parts[:len(parts) - node.level + 1], *([node.module] if node.module else [])])
            names |= {f"{base}.{alias.name}" if not node.module else base for alias in node.names}
    return names


def not_allowed(names: set[str]) -> set[str]:
    """What is neither the standard library nor callcenter.core."""
    return {name for name in names
            if name.split(".")[0] not in sys.stdlib_module_names | {"__future__"}
            and name != "callcenter.core" and not name.startswith("callcenter.core.")}


def test_core_imports_only_the_standard_library_and_itself() -> None:
    files = sorted(CORE.rglob("*.py"))
    assert len(files) >= 5
    for path in files:
        outside = not_allowed(imported_modules(path, package_of(path)))
        assert not outside, f"{path.relative_to(CALLCENTER)} imports {sorted(outside)}"


def test_the_purity_check_would_catch_a_forbidden_import(tmp_path: Path) -> None:
    core = tmp_path / "callcenter" / "core"
    (core / "sub").mkdir(parents=True)
    cases = {
        core / "a.py": ("import os\nfrom redis import Redis\n", {"redis"}),
        core / "b.py": ("from ..store import db\nfrom . import routing\n", {"callcenter.store"}),
        core / "c.py": ("from .. import settings\nimport callcenter.web.app\n",
                        {"callcenter.settings", "callcenter.web.app"}),
        core / "sub" / "d.py": ("from ...services.calls import route_call\nfrom .. import hunt\nimport json\n",
                                {"callcenter.services.calls"}),
    }
    for path, (source, expected) in cases.items():
        path.write_text(source)
        package = package_of(path, root=tmp_path / "callcenter")
        assert not_allowed(imported_modules(path, package)) == expected, path.name
