"""A pool of worker processes, each killed and replaced when its job outruns its limit.

Why processes: pyoxigraph's ``Store.query`` has no timeout, and a GROUP BY or ORDER BY computes
every solution before the first row comes out, so neither a thread nor a check between rows can
stop it. A process can be killed at any instant. Each worker holds a read-only snapshot of the
store (a RocksDB checkpoint made by ``Store.backup``: hard links, ~15-20 ms) because opening the
live store read-only while the service writes to it is undefined behaviour in pyoxigraph.
Measured on the development machine (2 cores): a worker starts in ~0.15 s, opening a snapshot
takes ~20 ms, a round trip to an idle worker costs ~0.1 ms on top of the query.

The same pool runs the case-analysis workers (``coprokg.workers.analysis``). Every worker caps its
own heap with ``RLIMIT_DATA`` at start (``limit_memory``): past the bound an allocation fails, the
worker dies (Rust aborts; Python raises ``MemoryError``, which the worker reports), and the pool
answers ``MemoryLimitExceeded`` and starts a new one.
"""

from __future__ import annotations

import contextlib
import queue
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from coprokg.errors import CoprokgError, MemoryLimitExceeded, QueryTimeout, StoreError, WorkCancelled

START_TIMEOUT = 60.0
POLL_INTERVAL = 0.05


def serve(conn: Connection, handle: Callable[[dict[str, Any]], dict[str, Any]]) -> int:
    """A worker's loop: answer each job on ``conn`` with ``handle(job)`` until the pool says stop.

    A job that runs out of the heap bound (Python's ``MemoryError``) is answered
    ``{"ok": False, "error": "memory"}``, which the pool reports as ``MemoryLimitExceeded``.
    """
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return 0
        if job is None:
            return 0
        try:
            reply = handle(job)
        except MemoryError:
            reply = {"ok": False, "error": "memory", "message": "out of memory"}
        conn.send(reply)


def limit_memory(megabytes: int) -> bool:
    """Cap this process's heap (``RLIMIT_DATA``) at ``megabytes``; False where not supported.

    Called by each worker at start. ``RLIMIT_DATA`` counts private writable memory (the heap and
    anonymous maps), not the store's memory-mapped files or reserved address space, so the bound
    is what a query or a case can grow, not what the process happens to map.
    """
    if megabytes <= 0:
        return False
    limit = megabytes * 1024 * 1024
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    except (ValueError, OSError):
        return False
    return True


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


def _spawn(module: str, memory_mb: int) -> _Process:
    parent, child = socket.socketpair()
    try:
        popen = subprocess.Popen(
            [sys.executable, "-m", module, str(child.fileno()), str(memory_mb)],
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
    if not hello.get("ready"):
        popen.kill()
        raise StoreError(f"a worker failed to start: {hello.get('message', 'no reason given')}")
    return _Process(popen, conn, bool(hello.get("sandboxed")))


class WorkerPool:
    """``size`` processes running ``module``; ``run`` sends a job to an idle one and waits at most ``timeout``.

    ``memory_mb`` bounds each worker's heap (0: no bound). ``what`` names the work in messages.
    """

    what = "job"
    timeout_error: type[CoprokgError] = QueryTimeout

    def __init__(self, size: int, *, module: str, memory_mb: int = 0) -> None:
        self.size = size
        self.module = module
        self.memory_mb = memory_mb
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
            proc = _spawn(self.module, self.memory_mb)
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
    def run(self, job: dict[str, Any], timeout: float, *, cancel: threading.Event | None = None) -> dict[str, Any]:
        """Run ``job`` on an idle worker; stop it when ``timeout`` passes or ``cancel`` is set.

        The time limit covers waiting for a free worker too. A worker that died while working
        (its heap bound reached, or killed from outside) is replaced and reported as such.
        """
        deadline = time.monotonic() + timeout
        proc = self._take(deadline, timeout, cancel)
        try:
            proc.conn.send(job)
            proc.snapshot = job.get("snapshot")
            while not proc.conn.poll(min(POLL_INTERVAL, max(0.0, deadline - time.monotonic()))):
                if cancel is not None and cancel.is_set():
                    self.killed += 1
                    self._replace(proc)
                    raise WorkCancelled(f"the client went away; its {self.what} was stopped")
                if time.monotonic() >= deadline:
                    self.killed += 1
                    self._replace(proc)
                    raise self.timeout_error(self._timeout_message(timeout))
            reply: dict[str, Any] = proc.conn.recv()
        except (EOFError, OSError) as exc:
            self._replace(proc)
            code = proc.popen.poll()
            if code is not None and code in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV):
                raise MemoryLimitExceeded(self._memory_message()) from None
            raise StoreError(f"a worker failed: {type(exc).__name__} (exit code {code})") from None
        if reply.get("error") == "memory":
            self._replace(proc)
            raise MemoryLimitExceeded(self._memory_message())
        proc.jobs += 1
        self._idle.put(proc)
        return reply

    def _take(self, deadline: float, timeout: float, cancel: threading.Event | None) -> _Process:
        while True:
            try:
                return self._idle.get(timeout=min(POLL_INTERVAL, max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                pass
            if cancel is not None and cancel.is_set():
                raise WorkCancelled(f"the client went away before its {self.what} started")
            if time.monotonic() >= deadline:
                raise self.timeout_error(
                    f"no worker became free for the {self.what} within the time limit of {timeout:g} s; try again later"
                )

    def _timeout_message(self, timeout: float) -> str:
        return f"the {self.what} ran longer than the time limit of {timeout:g} s and was stopped"

    def _memory_message(self) -> str:
        return (
            f"the {self.what} needed more memory than a worker may use "
            f"({self.memory_mb} MB, COPROKG_WORKER_MEMORY_MB) and was stopped"
        )


class QueryWorkerPool(WorkerPool):
    """Workers that run SPARQL queries over read-only store snapshots (``coprokg.sparql.worker``)."""

    what = "query"

    def __init__(self, size: int, *, memory_mb: int = 0) -> None:
        super().__init__(size, module="coprokg.sparql.worker", memory_mb=memory_mb)

    def _timeout_message(self, timeout: float) -> str:
        return (
            f"the query ran longer than the time limit of {timeout:g} s and was stopped; narrow it down or add a LIMIT"
        )
