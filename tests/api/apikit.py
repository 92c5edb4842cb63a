"""Helpers of the API tests: the token, a loaded store, a counting TCP listener, a live server."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from coprokg.settings import Settings
from coprokg.store import EmbeddedStore
from coprokg.store.loader import load_project

TOKEN = "test-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "buurt.json"


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


def settings_for(path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "store_path": path,
        "api_token": TOKEN,
        "query_timeout": 5.0,
        "max_rows": 1000,
        "max_body_bytes": 200_000,
        "query_workers": 1,
        "analysis_workers": 1,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """``coprokg serve`` in a subprocess on a free loopback port."""

    def __init__(self, store: Path, **env: str) -> None:
        self.store = store
        self.env = {**os.environ, "COPROKG_API_TOKEN": TOKEN, "COPROKG_QUERY_WORKERS": "1", **env}
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "coprokg.cli",
                "serve",
                "--port",
                str(self.port),
                "--store",
                str(self.store),
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            env=self.env,
        )
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            assert self.proc.poll() is None, "the server exited at start"
            assert time.monotonic() < deadline, "the server did not become ready"
            time.sleep(0.05)  # polling interval while the server starts

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


# ---------------------------------------------------------------- fixtures (imported by the test modules)


@pytest.fixture(scope="session")
def loaded_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_loaded_store(tmp_path_factory.getbasetemp())


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


@pytest.fixture
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.close()


@pytest.fixture(scope="module")
def live_server(loaded_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    copy = tmp_path_factory.mktemp("live") / "store"
    shutil.copytree(loaded_store_dir, copy)
    server = LiveServer(copy)
    server.start()
    yield server
    server.stop()
