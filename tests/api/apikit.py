"""Fixtures of the API tests: a copy of the loaded store, apps over it with and without a token, a
live server. The helpers themselves (token, settings, listener, live server) are in ``tests/support.py``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from support import (  # noqa: F401 - re-exported to the API tests
    AUTH,
    FIXTURE,
    TOKEN,
    Listener,
    LiveServer,
    build_loaded_store,
    free_port,
    settings_for,
)

from api.main import create_app
from coprokg.store import EmbeddedStore

pytest_plugins = ["support"]  # loaded_store_dir, listener


@pytest.fixture(scope="module")
def store_dir(loaded_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("api") / "store"
    shutil.copytree(loaded_store_dir, copy)
    return copy


@pytest.fixture(scope="module")
def shared_store(store_dir: Path) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(store_dir, workers=1, query_timeout=5.0, max_rows=1000)
    yield store
    store.close()


@pytest.fixture(scope="module")
def client(store_dir: Path, shared_store: EmbeddedStore) -> Iterator[TestClient]:
    """A read-write app (token configured)."""
    with TestClient(create_app(settings_for(store_dir), store=shared_store)) as c:
        yield c


@pytest.fixture(scope="module")
def readonly_client(store_dir: Path, shared_store: EmbeddedStore) -> Iterator[TestClient]:
    """The same store behind an app with no token: writes disabled."""
    with TestClient(create_app(settings_for(store_dir, api_token=None), store=shared_store)) as c:
        yield c


@pytest.fixture(scope="module")
def live_server(loaded_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    copy = tmp_path_factory.mktemp("live") / "store"
    shutil.copytree(loaded_store_dir, copy)
    server = LiveServer(copy)
    server.start()
    yield server
    server.stop()
