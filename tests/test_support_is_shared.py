"""The test helpers have one copy each: the folders' plugins import them from ``tests/support.py``."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SHARED = {"build_loaded_store", "settings_for", "free_port", "Listener", "LiveServer", "loaded_store_dir", "listener"}


def test_each_shared_helper_is_defined_once() -> None:
    defined: dict[str, list[str]] = {}
    for path in TESTS.rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name in SHARED:
                defined.setdefault(node.name, []).append(str(path.relative_to(TESTS)))
    assert defined == {name: ["support.py"] for name in SHARED}
