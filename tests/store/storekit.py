"""Fixtures and helpers of the store tests (imported by the test modules): a loaded store, a TCP listener."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from coprokg.store import EmbeddedStore
from coprokg.store.loader import load_project


def build_loaded_store(base: Path) -> Path:
    """Ontology, shapes and every curated case in an embedded store under ``base`` (built once)."""
    path = base / "loaded-store"
    if not (path / "CURRENT").exists():
        store = EmbeddedStore(path, workers=1)
        try:
            report = load_project(store)
            assert not report.failed, report.failed
        finally:
            store.close()
    return path


@pytest.fixture(scope="session")
def loaded_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_loaded_store(tmp_path_factory.getbasetemp())


@pytest.fixture
def store(loaded_store_dir: Path, tmp_path: Path) -> Iterator[EmbeddedStore]:
    copy = tmp_path / "store"
    shutil.copytree(loaded_store_dir, copy)
    s = EmbeddedStore(copy, workers=1, query_timeout=5.0, max_rows=1000)
    yield s
    s.close()


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it accepts."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port: int = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def settled(self, grace: float = 0.5) -> int:
        """The connection count once ``grace`` seconds pass without the count being 0 (a bounded wait)."""
        deadline = time.monotonic() + grace
        while self.connections == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.connections

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.close()
