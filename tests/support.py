"""The one copy of what the tests share: the write token, a loaded store, settings, free ports, a
counting TCP listener and the service in a subprocess — and the fixtures built on them.

Every test folder's plugin module (``tests/api/apikit.py``, ``tests/store/storekit.py``,
``tests/ui/uifixtures.py``, ``tests/store/enginekit.py``) imports from here and adds only what is its
own. ``tests`` is on the import path (``pythonpath`` in ``pyproject.toml``).
"""

from __future__ import annotations

import os
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

from coprokg.settings import Settings
from coprokg.store import EmbeddedStore
from coprokg.store.loader import load_project

PROJECT = Path(__file__).resolve().parents[1]
TOKEN = "test-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
FIXTURE = PROJECT / "tests" / "fixtures" / "buurt.json"
SCREENSHOTS = PROJECT / "test-artifacts" / "screenshots"


def build_loaded_store(base: Path) -> Path:
    """Ontology, shapes and every curated case in an embedded store under ``base`` (built once a session)."""
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
    """Service settings over the store at ``path``: the test token, small limits, one worker of each kind."""
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


def free_port() -> int:
    """A loopback port free at the moment of asking."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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


# ---------------------------------------------------------------- fixtures (registered by the folders' plugins)


@pytest.fixture(scope="session")
def loaded_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store with every curated case, built once a session; copy it before writing."""
    return build_loaded_store(tmp_path_factory.getbasetemp())


@pytest.fixture
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.close()
