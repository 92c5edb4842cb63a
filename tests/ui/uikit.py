"""Helpers of the web page tests: the token, a loaded store, the settings, the app under uvicorn."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from coprokg.settings import Settings
from coprokg.store import EmbeddedStore
from coprokg.store.loader import load_project

TOKEN = "ui-test-token-0123456789abcdef"
PROJECT = Path(__file__).resolve().parents[2]
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
    values: dict[str, object] = {
        "store_path": path,
        "api_token": TOKEN,
        "query_timeout": 5.0,
        "max_rows": 1000,
        "query_workers": 1,
        "analysis_workers": 1,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveApp:
    """The real app under uvicorn on a free loopback port, over a copy of the loaded store."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> None:
        env = {
            **os.environ,
            "COPROKG_STORE_PATH": str(self.store),
            "COPROKG_API_TOKEN": TOKEN,
            "COPROKG_QUERY_WORKERS": "1",
        }
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "api.main:create_app_from_env",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            cwd=PROJECT,
            env=env,
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

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
