"""Fixtures of the store tests: a writable copy of the loaded store (helpers in ``tests/support.py``)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import Listener, build_loaded_store  # noqa: F401 - re-exported to the store tests

from coprokg.store import EmbeddedStore

pytest_plugins = ["support"]  # loaded_store_dir, listener


@pytest.fixture
def store(loaded_store_dir: Path, tmp_path: Path) -> Iterator[EmbeddedStore]:
    copy = tmp_path / "store"
    shutil.copytree(loaded_store_dir, copy)
    s = EmbeddedStore(copy, workers=1, query_timeout=5.0, max_rows=1000)
    yield s
    s.close()
