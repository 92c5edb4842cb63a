"""A pool of query worker processes, each killed and replaced when a query outruns its limit.

Why processes: pyoxigraph's ``Store.query`` has no timeout, and a GROUP BY or ORDER BY computes
every solution before the first row comes out, so neither a thread nor a check between rows can
stop it. A process can be killed at any instant. Each worker holds a read-only snapshot of the
store (a RocksDB checkpoint made by ``Store.backup``: hard links, ~15-20 ms) because opening the
live store read-only while the service writes to it is undefined behaviour in pyoxigraph.
Measured on the development machine (2 cores): a worker starts in ~0.15 s, opening a snapshot
takes ~20 ms, a round trip to an idle worker costs ~0.1 ms on top of the query.
"""

from __future__ import annotations

import contextlib
import queue
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from coprokg.errors import QueryTimeout, StoreError

START_TIMEOUT = 60.0


@dataclass
class _Process:
    popen: subprocess.Popen[bytes]
    conn: Connection
    sandboxed: bool
    snapshot: str | None = None
    jobs: int = 0
    started: float = field(default_factory=time.monotonic)

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.popen.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=10)
        self.conn.close()


def _spawn() -> _Process:
    parent, child = socket.socketpair()
    try:
        popen = subprocess.Popen(
            [sys.executable, "-m", "coprokg.sparql.worker", str(child.fileno())],
            pass_fds=(child.fileno(),),
            stdin=subprocess.DEVNULL,
            close_fds=True,
        )
    finally:
        child.close()
    conn = Connection(parent.detach())
    if not conn.poll(START_TIMEOUT):
        popen.kill()
        raise StoreError("a query worker did not start")
    try:
        hello = conn.recv()
    except EOFError:
        popen.wait()
        raise StoreError(f"a query worker exited at start (code {popen.returncode})") from None
    return _Process(popen, conn, bool(hello.get("sandboxed")))


class QueryWorkerPool:
    """``size`` worker processes; ``run`` sends a job to an idle one and waits at most ``timeout``."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._idle: queue.Queue[_Process] = queue.Queue()
        self._all: dict[int, _Process] = {}
        self._lock = threading.Lock()
        self._closed = False
        self.killed = 0

    # ------------------------------------------------------------------ life cycle
    def start(self) -> None:
        """Start every worker (in parallel); returns when all are ready."""
        errors: list[BaseException] = []
        threads = [threading.Thread(target=self._add, args=(errors,), daemon=True) for _ in range(self.size)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            self.close()
            raise StoreError(f"query workers failed to start: {errors[0]}")

    def _add(self, errors: list[BaseException] | None = None) -> None:
        try:
            proc = _spawn()
        except (OSError, StoreError) as exc:
            if errors is not None:
                errors.append(exc)
            return
        with self._lock:
            if self._closed:
                proc.kill()
                return
            self._all[proc.popen.pid] = proc
        self._idle.put(proc)

    def _replace(self, proc: _Process) -> None:
        with self._lock:
            self._all.pop(proc.popen.pid, None)
        proc.kill()
        if not self._closed:
            threading.Thread(target=self._add, daemon=True).start()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            procs = list(self._all.values())
            self._all.clear()
        for proc in procs:
            with contextlib.suppress(OSError, ValueError):
                proc.conn.send(None)
            proc.kill()

    # ------------------------------------------------------------------ state
    @property
    def sandboxed(self) -> bool:
        """True when every running worker has outbound sockets blocked."""
        with self._lock:
            return bool(self._all) and all(p.sandboxed for p in self._all.values())

    def snapshots_in_use(self) -> set[str]:
        with self._lock:
            return {p.snapshot for p in self._all.values() if p.snapshot}

    def pids(self) -> list[int]:
        with self._lock:
            return sorted(self._all)

    # ------------------------------------------------------------------ work
    def run(self, job: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Run ``job`` on an idle worker; raise ``QueryTimeout`` when no answer comes in time.

        The time limit covers waiting for a free worker too.
        """
        deadline = time.monotonic() + timeout
        try:
            proc = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise QueryTimeout(
                f"no query worker became free within the time limit of {timeout:g} s; try again later"
            ) from None
        try:
            proc.conn.send(job)
            proc.snapshot = job.get("snapshot")
            if not proc.conn.poll(max(0.0, deadline - time.monotonic())):
                self.killed += 1
                self._replace(proc)
                raise QueryTimeout(
                    f"the query ran longer than the time limit of {timeout:g} s and was stopped; "
                    "narrow it down or add a LIMIT"
                )
            reply: dict[str, Any] = proc.conn.recv()
        except (EOFError, OSError) as exc:
            self._replace(proc)
            raise StoreError(f"a query worker failed: {type(exc).__name__}") from None
        proc.jobs += 1
        self._idle.put(proc)
        return reply
