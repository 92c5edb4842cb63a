"""Worker processes: the service's unit of bounded work.

Anything a request can make expensive — a SPARQL query, validating and classifying a case — runs
in a worker process that can be killed at any instant: when it outruns its time budget, when the
client goes away, or when it needs more memory than ``COPROKG_WORKER_MEMORY_MB`` (the kernel then
refuses its allocations and the process dies). The pool replaces a killed worker at once.

* ``pool.WorkerPool`` — the generic pool (spawn, run with deadline and cancellation, replace);
* ``coprokg.sparql.worker`` — query workers (read-only store snapshots, no network);
* ``analysis`` — case workers: load, validate and classify a case with the library.
"""

from coprokg.workers.analysis import AnalysisPool
from coprokg.workers.pool import QueryWorkerPool, WorkerPool, limit_memory

__all__ = [
    "AnalysisPool",
    "QueryWorkerPool",
    "WorkerPool",
    "limit_memory",
]
