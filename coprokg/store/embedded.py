"""The embedded backend: an on-disk Oxigraph store (pyoxigraph), nothing to install or start.

Writes go to the read-write store in this process, one SPARQL update per write: pyoxigraph runs
an update as one transaction, so a case graph and its classification are replaced together or
not at all. A write is on disk (RocksDB write-ahead log) when it returns and survives the
process being killed; it is not fsync'ed, so a power cut may lose the last writes.

User queries run in worker processes (``coprokg.workers.pool``) over a read-only snapshot made by
``Store.backup`` after the latest write; a query that outruns its time limit is stopped by
killing its worker. Internal queries of the case API are small, run here, and see every write at
once.

Store faults are never silent. The store directory's identity (device and inode) is recorded at
open; before every write and on every health check the directory must still be there, be the same
directory and take a probe file, or the operation is refused with ``StoreUnavailable`` naming the
reason — RocksDB would otherwise go on "writing" into files that were deleted underneath it and
acknowledge writes that are lost. After a write fails with an I/O error the store is reopened on
the next operation, so a transient fault needs no restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox

from coprokg.errors import QueryError, StoreError, StoreInUse, StoreUnavailable
from coprokg.namespaces import ONTOLOGY_GRAPH
from coprokg.sparql.results import PREFIXES, RenderedResult
from coprokg.sparql.safety import check_query, checked_without_parse
from coprokg.sparql.syntax import Rewritten, syntax_message
from coprokg.store.base import GraphStore, QueryRequest, reply_error, solution_rows, syntax_error
from coprokg.store.records import CaseRecord, case_graph_iri, classification_graph
from coprokg.workers.pool import QueryWorkerPool

_DUMP_FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}


class EmbeddedStore(GraphStore):
    """pyoxigraph on disk at ``path``; ``workers`` query processes started on first use."""

    backend = "embedded"

    def __init__(
        self,
        path: Path | str,
        *,
        query_timeout: float = 5.0,
        max_rows: int = 10_000,
        workers: int = 2,
        worker_memory_mb: int = 0,
    ) -> None:
        super().__init__(query_timeout=query_timeout, max_rows=max_rows)
        self.path = Path(path)
        self.created = not (self.path / "CURRENT").exists()
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._store: ox.Store | None = ox.Store(str(self.path))
            stat = self.path.stat()
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreInUse(
                    f"cannot open the store at {self.path} (is another coprokg process using it?): {exc}",
                    path=str(self.path),
                ) from None
            raise StoreError(f"cannot open the store at {self.path}: {exc}") from None
        self._identity = (stat.st_dev, stat.st_ino)
        self._faulted: str | None = None
        self.snapshot_dir = self.path.with_name(self.path.name + ".snapshots")
        shutil.rmtree(self.snapshot_dir, ignore_errors=True)
        self._workers = workers
        self._worker_memory_mb = worker_memory_mb
        self._pool: QueryWorkerPool | None = None
        self._pool_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._snap_lock = threading.Lock()
        self._generation = 0
        self._snapshot: tuple[int, str] | None = None
        self._pinned: dict[str, int] = {}
        self._snapshots: set[str] = set()
        self._counter = itertools.count()

    # ------------------------------------------------------------------ plumbing
    @property
    def store(self) -> ox.Store:
        if self._store is None:
            raise StoreError("the store is closed")
        return self._store

    @property
    def pool(self) -> QueryWorkerPool:
        with self._pool_lock:
            if self._pool is None:
                pool = QueryWorkerPool(self._workers, memory_mb=self._worker_memory_mb)
                pool.start()
                self._pool = pool
            return self._pool

    def start(self) -> None:
        _ = self.pool

    def revision(self) -> int:
        """Every write goes through this process (the store is locked to it): the write count says it all."""
        return self._generation

    def close(self) -> None:
        with self._pool_lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None
        with self._write_lock:
            if self._store is not None:
                with contextlib.suppress(OSError):
                    self._store.flush()
                self._store = None
        shutil.rmtree(self.snapshot_dir, ignore_errors=True)

    def flush(self) -> None:
        """Oxigraph's write buffers to disk: without it, a load of 3,000 cases held 540 MB, 210 with it."""
        with self._write_lock:
            if self._store is not None:
                try:
                    self._store.flush()
                except OSError as exc:
                    raise StoreUnavailable(f"the store could not be written to disk ({exc})") from None

    def _written(self) -> None:
        self._generation += 1

    # ------------------------------------------------------------------ faults
    def check_directory(self, *, probe: bool = True) -> None:
        """Refuse (``StoreUnavailable``) when the store directory is gone, replaced or not writable.

        ``probe`` also writes, syncs and removes a file there (the health check does; writes do
        not, since RocksDB reports a failed write itself and only a vanished directory goes unseen).
        """
        try:
            stat = self.path.stat()
        except OSError as exc:
            raise StoreUnavailable(
                f"the store directory {self.path} is gone ({exc.strerror}); writes are refused until it is back"
            ) from None
        if (stat.st_dev, stat.st_ino) != self._identity or not (self.path / "CURRENT").exists():
            raise StoreUnavailable(
                f"the store directory {self.path} was replaced or emptied while the service ran; "
                "writes are refused: restore it, or restart the service to open the new one"
            )
        if not probe:
            return
        try:
            handle, name = tempfile.mkstemp(prefix=".coprokg-probe-", dir=self.path)
            try:
                os.write(handle, b"ok")
                os.fsync(handle)
            finally:
                os.close(handle)
                os.unlink(name)
        except OSError as exc:
            raise StoreUnavailable(f"the store directory {self.path} is not writable: {exc.strerror}") from None

    def _recover(self) -> None:
        """After an I/O fault, reopen the store (a fault that has passed then needs no restart)."""
        if self._faulted is None:
            return
        self.check_directory()
        with self._write_lock:
            if self._faulted is None:
                return
            self._store = None  # release RocksDB (and its lock) before opening again
            try:
                self._store = ox.Store(str(self.path))
            except OSError as exc:
                raise StoreUnavailable(f"the store cannot be reopened after a fault ({self._faulted}): {exc}") from None
            self._faulted = None
            self._generation += 1

    def _fault(self, exc: OSError) -> StoreUnavailable:
        self._faulted = str(exc)
        return StoreUnavailable(f"the store could not be written ({exc}); nothing was stored")

    def _before_write(self) -> None:
        self._recover()
        self.check_directory(probe=False)

    def _acquire_snapshot(self) -> str:
        """The path of a snapshot holding every write so far, pinned until released."""
        with self._snap_lock:
            generation = self._generation
            if self._snapshot is None or self._snapshot[0] != generation:
                self.snapshot_dir.mkdir(parents=True, exist_ok=True)
                target = self.snapshot_dir / f"{generation:010d}-{next(self._counter)}"
                try:
                    self.store.backup(str(target))
                except OSError as exc:
                    raise StoreUnavailable(f"cannot snapshot the store for the query: {exc}") from None
                self._snapshot = (generation, str(target))
                self._snapshots.add(str(target))
            path = self._snapshot[1]
            self._pinned[path] = self._pinned.get(path, 0) + 1
            return path

    def _release_snapshot(self, path: str) -> None:
        for old in self._unpin(path):
            shutil.rmtree(old, ignore_errors=True)

    def _unpin(self, path: str) -> set[str]:
        """Release a pinned snapshot; the snapshots no query needs any more, to delete (off the lock)."""
        with self._snap_lock:
            self._pinned[path] -= 1
            if not self._pinned[path]:
                del self._pinned[path]
            stale = self._snapshots - set(self._pinned)
            if self._snapshot is not None:
                stale.discard(self._snapshot[1])
            if stale and self._pool is not None:
                stale -= self._pool.snapshots_in_use()
            self._snapshots -= stale
            return stale

    def _pin_current(self) -> str | None:
        """Pin the current snapshot if it holds every write (no backup needed), else None."""
        with self._snap_lock:
            if self._snapshot is None or self._snapshot[0] != self._generation:
                return None
            path = self._snapshot[1]
            self._pinned[path] = self._pinned.get(path, 0) + 1
            return path

    # ------------------------------------------------------------------ user operations
    def _query_job(self, request: QueryRequest, max_rows: int | None, has_dataset_clause: bool) -> dict[str, Any]:
        return {
            "query": request.text,
            "default_graphs": list(request.default_graphs),
            "named_graphs": list(request.named_graphs),
            "union": not has_dataset_clause,
            "solutions_format": request.solutions_format,
            "graph_format": request.graph_format,
            "max_rows": max_rows or self.max_rows,
            "base_iri": request.base_iri,
        }

    @staticmethod
    def _rendered(reply: dict[str, Any], request: QueryRequest) -> RenderedResult:
        if not reply["ok"]:
            raise reply_error(reply, text=request.text)
        return RenderedResult(
            kind=reply["kind"],
            format_key=reply["format_key"],
            media_type=reply["media_type"],
            body=reply["body"],
            rows=reply["rows"],
            truncated=reply["truncated"],
        )

    def query(
        self, request: QueryRequest, *, timeout: float | None = None, max_rows: int | None = None
    ) -> RenderedResult:
        info = check_query(request.text)
        job = self._query_job(request, max_rows, info.has_dataset_clause)
        pool = self.pool
        snapshot = self._acquire_snapshot()
        try:
            reply = pool.run({**job, "snapshot": snapshot}, timeout or self.query_timeout)
        finally:
            self._release_snapshot(snapshot)
        return self._rendered(reply, request)

    async def query_async(
        self, request: QueryRequest, *, timeout: float | None = None, max_rows: int | None = None
    ) -> RenderedResult:
        """``query`` on the event loop: no thread unless a parse (SERVICE check) or a new snapshot is needed."""
        info = checked_without_parse(request.text)
        if info is None:
            info = await asyncio.to_thread(check_query, request.text)
        job = self._query_job(request, max_rows, info.has_dataset_clause)
        pool = self._pool if self._pool is not None else await asyncio.to_thread(lambda: self.pool)
        snapshot = self._pin_current()
        if snapshot is None:
            snapshot = await asyncio.to_thread(self._acquire_snapshot)
        try:
            reply = await pool.run_async({**job, "snapshot": snapshot}, timeout or self.query_timeout)
        finally:
            stale = self._unpin(snapshot)
            if stale:
                asyncio.get_running_loop().run_in_executor(None, _remove_all, stale)
        return self._rendered(reply, request)

    def _run_update(self, update: Rewritten, base_iri: str | None) -> None:
        self._before_write()
        with self._write_lock:
            try:
                self.store.update(update.text, base_iri=base_iri)
            except SyntaxError as exc:
                message, line, column = syntax_message(str(exc.msg if exc.msg else exc))
                if line is not None and column is not None:
                    line, column = update.original_position(line, column)
                raise syntax_error(update.original, message, line, column, field="update") from None
            except PermissionError:
                raise QueryError("the update tried to reach the network", field="update") from None
            except OSError as exc:
                raise self._fault(exc) from None
            except (ValueError, TypeError, RuntimeError) as exc:
                raise QueryError(f"the update failed: {exc}", field="update") from None
            finally:
                self._written()

    # ------------------------------------------------------------------ internal operations
    def select(self, text: str) -> list[dict[str, Any]]:
        try:
            result = self.store.query(text)
        except OSError as exc:
            raise StoreUnavailable(f"cannot read the store: {exc}") from None
        assert isinstance(result, ox.QuerySolutions)
        return solution_rows(result)

    def scan(self, predicate: str, obj: str | None = None) -> Iterator[tuple[Any, Any, Any]]:
        """The predicate's index read directly (no SPARQL): a few microseconds a triple."""
        target = ox.NamedNode(obj) if obj is not None else None
        try:
            for quad in self.store.quads_for_pattern(None, ox.NamedNode(predicate), target, None):
                yield quad.graph_name, quad.subject, quad.object
        except OSError as exc:
            raise StoreUnavailable(f"cannot read the store: {exc}") from None

    def graph_triples(self, graph: str) -> list[ox.Triple]:
        try:
            return [q.triple for q in self.store.quads_for_pattern(None, None, None, ox.NamedNode(graph))]
        except OSError as exc:
            raise StoreUnavailable(f"cannot read the store: {exc}") from None

    def apply(self, operations: Sequence[str]) -> None:
        text = " ;\n".join(op for op in operations if op)
        if text:
            self._write(lambda store: store.update(text))

    def _write(self, change: Callable[[ox.Store], None]) -> None:
        """Run one transaction (``update`` or ``extend``) on the store, its faults made visible."""
        self._before_write()
        with self._write_lock:
            try:
                change(self.store)
            except OSError as exc:
                raise self._fault(exc) from None
            finally:
                self._written()

    def add_new_cases(self, records: Sequence[CaseRecord], counter: Sequence[str] = ()) -> None:
        """New cases in one ``Store.extend``: one transaction, without writing and parsing SPARQL
        (``counter`` is empty: this store counts its writes itself)."""
        quads: list[ox.Quad] = []
        for record in records:
            for graph, triples in (
                (case_graph_iri(record.case_id), record.case_triples),
                (classification_graph(record.case_id), record.derived_triples),
            ):
                name = ox.NamedNode(graph)
                quads.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)
        if quads:
            self._write(lambda store: store.extend(quads))

    def export(self, out: BinaryIO, format_key: str = "nquads") -> None:
        try:
            fmt = _DUMP_FORMATS[format_key]
        except KeyError:
            raise QueryError("unknown export format", field="format", allowed=sorted(_DUMP_FORMATS)) from None
        prefixes = PREFIXES if fmt == ox.RdfFormat.TRIG else None
        self.store.dump(out, fmt, prefixes=prefixes)

    def ping(self) -> None:
        """The store answers a read, its directory is there and writable; a past fault is recovered."""
        self._recover()
        try:
            self.store.contains_named_graph(ox.NamedNode(str(ONTOLOGY_GRAPH)))
        except OSError as exc:
            raise StoreUnavailable(f"the store does not answer: {exc}") from None
        self.check_directory()

    def __len__(self) -> int:
        return len(self.store)


def _remove_all(paths: set[str]) -> None:
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)
