"""Layers that show in the folders: ``api/`` uses only the public surface of ``coprokg``.

Public means: a name in the ``__all__`` of ``coprokg`` itself or of one of its direct packages or
modules (``coprokg.cases``, ``coprokg.store``, ``coprokg.errors`` …), or such a module itself.
Nothing deeper (``coprokg.cases.convert``, ``coprokg.store.base``) and nothing private. The
library, for its part, imports no web framework, and page rendering lives in ``api/ui``.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(folder: str) -> Iterator[tuple[Path, int, str, str | None]]:
    for path in sorted((ROOT / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    yield path, node.lineno, node.module, alias.name
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    yield path, node.lineno, alias.name, None


def test_api_imports_only_public_names_of_coprokg() -> None:
    wrong = []
    for path, line, module, name in _imports("api"):
        if not module.startswith("coprokg"):
            continue
        where = f"{path.relative_to(ROOT)}:{line}: {module}" + (f".{name}" if name else "")
        if name is None or module.count(".") > 1:
            wrong.append(f"{where} (import from coprokg or one of its direct packages and modules)")
            continue
        exported = getattr(importlib.import_module(module), "__all__", None)
        if exported is not None and name in exported:
            continue
        if module == "coprokg":  # a direct module of coprokg with a public surface of its own
            try:
                submodule = importlib.import_module(f"coprokg.{name}")
            except ImportError:
                submodule = None
            if submodule is not None and hasattr(submodule, "__all__"):
                continue
        wrong.append(f"{where} (not in {module}.__all__)")
    assert wrong == []


def test_the_library_imports_no_web_framework() -> None:
    # uvicorn is not among them: it is the ASGI server `coprokg serve` starts (imported lazily there)
    frameworks = ("fastapi", "starlette", "jinja2", "markupsafe")
    found = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path, line, module, _name in _imports("coprokg")
        if module.split(".")[0] in frameworks
    ]
    assert found == []


def test_page_rendering_lives_in_api_ui() -> None:
    for name in ("plots", "ontology_docs", "result_tables", "case_filters"):
        assert not (ROOT / "coprokg" / f"{name}.py").exists(), f"coprokg/{name}.py renders pages: it belongs in api/ui"
    pages = {p.stem for p in (ROOT / "api" / "ui").glob("*_page.py")}
    assert {"cases_page", "case_page", "classify_page", "sparql_page", "ontology_page", "plots_page"} <= pages
