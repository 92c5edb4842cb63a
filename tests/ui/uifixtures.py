"""Fixtures of the web page tests: apps over a copy of the loaded store, a live server.

A plugin the test modules name in ``pytest_plugins`` (not a ``conftest.py``: ``--doctest-modules``
imports every ``conftest.py`` as the module ``conftest``, and ``tests/cases`` has one already). The
helpers and the loaded store are the shared ones of ``tests/support.py``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from support import LiveServer, settings_for

from api.main import create_app
from coprokg.store import EmbeddedStore

pytest_plugins = ["support"]  # loaded_store_dir


@pytest.fixture(scope="session")
def ui_loaded_store(loaded_store_dir: Path) -> Path:
    return loaded_store_dir


@pytest.fixture(scope="module")
def ui_store_dir(ui_loaded_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("ui") / "store"
    shutil.copytree(ui_loaded_store, copy)
    return copy


@pytest.fixture(scope="module")
def ui_store(ui_store_dir: Path) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(ui_store_dir, workers=1, query_timeout=5.0, max_rows=1000)
    yield store
    store.close()


@pytest.fixture(scope="module")
def ui_client(ui_store_dir: Path, ui_store: EmbeddedStore) -> Iterator[TestClient]:
    """The app with a write token, over a store of its own."""
    with TestClient(create_app(settings_for(ui_store_dir), store=ui_store)) as client:
        yield client


@pytest.fixture(scope="module")
def ui_readonly_client(ui_store_dir: Path, ui_store: EmbeddedStore) -> Iterator[TestClient]:
    """The same store behind an app with no token: saving is disabled."""
    with TestClient(create_app(settings_for(ui_store_dir, api_token=None), store=ui_store)) as client:
        yield client


@pytest.fixture(scope="module")
def live_app(ui_loaded_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    copy = tmp_path_factory.mktemp("live-ui") / "store"
    shutil.copytree(ui_loaded_store, copy)
    app = LiveServer(copy)
    app.start()
    yield app
    app.stop()
