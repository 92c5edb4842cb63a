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

import asyncio
import contextlib
import gc
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
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

    What the worker loaded before (the ontology, the compiled classes and shapes) lives as long as
    the process: it is moved out of the garbage collector's generations (``gc.freeze``) so that the
    collections a job triggers do not walk it again each time.
    """
    gc.collect()
    gc.freeze()
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


class _Waiter:
    """A caller waiting for an idle worker: a thread (``event``) or an asyncio task (``future``)."""

    __slots__ = ("event", "future", "given", "gone")

    def __init__(self, future: asyncio.Future[None] | None = None) -> None:
        self.event = threading.Event() if future is None else None
        self.future = future
        self.given: _Process | None = None
        self.gone = False


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class _IdleWorkers:
    """Idle workers, handed first come, first served to waiting threads and asyncio tasks alike.

    A worker is handed over under the lock (``_Waiter.given``), so a waiter that gives up (time
    limit, client gone) either has one, which it puts back, or never gets one: none is lost.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._procs: deque[_Process] = deque()
        self._waiters: deque[_Waiter] = deque()

    def put(self, proc: _Process) -> None:
        with self._lock:
            while self._waiters:
                waiter = self._waiters.popleft()
                if waiter.gone:
                    continue
                waiter.given = proc
                if waiter.event is not None:
                    waiter.event.set()
                elif waiter.future is not None:
                    waiter.future.get_loop().call_soon_threadsafe(_wake, waiter.future)
                return
            self._procs.append(proc)

    def take_or_wait(self, waiter: _Waiter) -> _Process | None:
        """An idle worker now, or None after queueing ``waiter`` for the next one."""
        with self._lock:
            if self._procs:
                return self._procs.popleft()
            self._waiters.append(waiter)
            return None

    def give_up(self, waiter: _Waiter) -> _Process | None:
        """Stop waiting; the worker handed over meanwhile, if any (the caller owns it)."""
        with self._lock:
            waiter.gone = True
            return waiter.given


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
        self._idle = _IdleWorkers()
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

    def _replace(self, proc: _Process, *, wait: bool = True) -> None:
        """Kill ``proc`` and start another; ``wait=False`` (on the event loop) reaps it in a thread."""
        with self._lock:
            self._all.pop(proc.popen.pid, None)
        if wait:
            proc.kill()
        else:
            with contextlib.suppress(OSError):
                proc.popen.kill()
            threading.Thread(target=proc.kill, daemon=True).start()
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
            self._send(proc, job)
            while not proc.conn.poll(min(POLL_INTERVAL, max(0.0, deadline - time.monotonic()))):
                if cancel is not None and cancel.is_set():
                    self._stop(proc)
                    raise WorkCancelled(f"the client went away; its {self.what} was stopped")
                if time.monotonic() >= deadline:
                    self._stop(proc)
                    raise self.timeout_error(self._timeout_message(timeout))
            reply: dict[str, Any] = proc.conn.recv()
        except (EOFError, OSError) as exc:
            raise self._failed(proc, exc) from None
        return self._done(proc, reply)

    async def run_async(self, job: dict[str, Any], timeout: float) -> dict[str, Any]:
        """``run`` for the event loop: no thread, the reply is awaited on the worker's socket.

        Cancelling the awaiting task (the client went away) kills the worker as ``cancel`` does
        for ``run``; so does the time limit, which covers waiting for a free worker too.
        """
        loop = asyncio.get_running_loop()
        deadline = time.monotonic() + timeout
        proc = await self._take_async(loop, deadline, timeout)
        try:
            self._send(proc, job)
            if not await _readable(loop, proc.conn, deadline - time.monotonic()):
                self._stop(proc, wait=False)
                raise self.timeout_error(self._timeout_message(timeout))
            reply: dict[str, Any] = proc.conn.recv()
        except asyncio.CancelledError:
            self._stop(proc, wait=False)
            raise
        except (EOFError, OSError) as exc:
            raise self._failed(proc, exc, wait=False) from None
        return self._done(proc, reply, wait=False)

    def _send(self, proc: _Process, job: dict[str, Any]) -> None:
        proc.snapshot = job.get("snapshot")
        proc.conn.send(job)

    def _stop(self, proc: _Process, *, wait: bool = True) -> None:
        self.killed += 1
        self._replace(proc, wait=wait)

    def _failed(self, proc: _Process, exc: BaseException, *, wait: bool = True) -> CoprokgError:
        """The error for a worker that died while working (replaced here)."""
        try:  # the connection closed: the worker is exiting, or has
            code: int | None = proc.popen.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            code = None
        self._replace(proc, wait=wait)
        if code is not None and code in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV):
            return MemoryLimitExceeded(self._memory_message())
        return StoreError(f"a worker failed: {type(exc).__name__} (exit code {code})")

    def _done(self, proc: _Process, reply: dict[str, Any], *, wait: bool = True) -> dict[str, Any]:
        if reply.get("error") == "memory":
            self._replace(proc, wait=wait)
            raise MemoryLimitExceeded(self._memory_message())
        proc.jobs += 1
        self._idle.put(proc)
        return reply

    def _take(self, deadline: float, timeout: float, cancel: threading.Event | None) -> _Process:
        waiter = _Waiter()
        proc = self._idle.take_or_wait(waiter)
        if proc is not None:
            return proc
        assert waiter.event is not None
        while not waiter.event.wait(min(POLL_INTERVAL, max(0.0, deadline - time.monotonic()))):
            if (cancel is not None and cancel.is_set()) or time.monotonic() >= deadline:
                proc = self._idle.give_up(waiter)
                if proc is not None:
                    self._idle.put(proc)
                if cancel is not None and cancel.is_set():
                    raise WorkCancelled(f"the client went away before its {self.what} started")
                raise self.timeout_error(self._busy_message(timeout))
        assert waiter.given is not None
        return waiter.given

    async def _take_async(self, loop: asyncio.AbstractEventLoop, deadline: float, timeout: float) -> _Process:
        waiter = _Waiter(loop.create_future())
        proc = self._idle.take_or_wait(waiter)
        if proc is not None:
            return proc
        assert waiter.future is not None
        timer = loop.call_later(max(0.0, deadline - time.monotonic()), _wake, waiter.future)
        try:
            await waiter.future
        except asyncio.CancelledError:
            proc = self._idle.give_up(waiter)
            if proc is not None:
                self._idle.put(proc)
            raise
        finally:
            timer.cancel()
        proc = self._idle.give_up(waiter)
        if proc is not None and time.monotonic() >= deadline:
            self._idle.put(proc)
            proc = None
        if proc is None:
            raise self.timeout_error(self._busy_message(timeout))
        return proc

    def _busy_message(self, timeout: float) -> str:
        return f"no worker became free for the {self.what} within the time limit of {timeout:g} s; try again later"

    def _timeout_message(self, timeout: float) -> str:
        return f"the {self.what} ran longer than the time limit of {timeout:g} s and was stopped"

    def _memory_message(self) -> str:
        return (
            f"the {self.what} needed more memory than a worker may use "
            f"({self.memory_mb} MB, COPROKG_WORKER_MEMORY_MB) and was stopped"
        )


async def _readable(loop: asyncio.AbstractEventLoop, conn: Connection, timeout: float) -> bool:
    """Wait until ``conn`` has data (True) or ``timeout`` seconds pass (False), on the event loop."""
    if timeout <= 0:
        return conn.poll(0)
    ready: asyncio.Future[bool] = loop.create_future()

    def done(value: bool) -> None:
        if not ready.done():
            ready.set_result(value)

    fd = conn.fileno()
    loop.add_reader(fd, done, True)
    timer = loop.call_later(timeout, done, False)
    try:
        return await ready
    finally:
        timer.cancel()
        loop.remove_reader(fd)
        # the event loop made the socket non-blocking; ``Connection`` reads and writes whole messages
        os.set_blocking(fd, True)


class QueryWorkerPool(WorkerPool):
    """Workers that run SPARQL queries over read-only store snapshots (``coprokg.sparql.worker``)."""

    what = "query"

    def __init__(self, size: int, *, memory_mb: int = 0) -> None:
        super().__init__(size, module="coprokg.sparql.worker", memory_mb=memory_mb)

    def _timeout_message(self, timeout: float) -> str:
        return (
            f"the query ran longer than the time limit of {timeout:g} s and was stopped; narrow it down or add a LIMIT"
        )
