"""A query worker process: runs SPARQL queries on a read-only snapshot of the store.

Started by ``coprokg.workers.pool`` as ``python -m coprokg.sparql.worker FD MEMORY_MB`` with one
end of a socket pair as FD. It first caps its heap (``limit_memory``) and blocks outbound
network sockets (``sandbox.deny_network``), then
answers one job at a time: open (or keep) the read-only store at the job's snapshot path, run
the query, serialise at most ``max_rows`` rows, send the bytes back. The parent kills it when a
query runs past its time limit — the only way to stop a pyoxigraph query, which has no timeout.

This module imports only the standard library, pyoxigraph, the result writers and the SPARQL text
helpers (``syntax``), so a worker starts in a fraction of a second.
"""

from __future__ import annotations

import os
import sys
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from coprokg.sparql.results import NotAcceptableResult, natively_ordered, render, render_json_natively
from coprokg.sparql.sandbox import deny_network
from coprokg.sparql.syntax import select_star_order, syntax_message
from coprokg.workers.pool import limit_memory, serve


def syntax_error_reply(exc: SyntaxError) -> dict[str, Any]:
    """A pyoxigraph ``SyntaxError`` as a reply: the parser's message as a sentence, line and column (1-based)."""
    message, line, column = syntax_message(str(exc.msg if exc.msg else exc))
    location = getattr(exc, "location", None)
    if line is None and location:
        line, column = location[0].line + 1, location[0].column + 1
    return {"ok": False, "error": "syntax", "message": message, "line": line, "column": column}


class _Worker:
    def __init__(self) -> None:
        self.path: str | None = None
        self.store: ox.Store | None = None

    def open(self, path: str) -> ox.Store:
        if self.path != path or self.store is None:
            self.store = None  # release the previous snapshot before opening the next
            self.store = ox.Store.read_only(path)
            self.path = path
        return self.store

    def run(self, job: dict[str, Any]) -> dict[str, Any]:
        store = self.open(job["snapshot"])
        options: dict[str, Any] = {}
        if job["default_graphs"] or job["named_graphs"]:
            options["default_graph"] = [ox.NamedNode(g) for g in job["default_graphs"]]
            options["named_graphs"] = [ox.NamedNode(g) for g in job["named_graphs"]]
        elif job["union"]:
            options["use_default_graph_as_union"] = True
        try:
            result = store.query(job["query"], base_iri=job.get("base_iri"), **options)
            order = select_star_order(job["query"])
            rendered = None
            if (
                isinstance(result, ox.QuerySolutions)
                and job["solutions_format"] == "json"
                and natively_ordered(result, order)
            ):
                rendered = render_json_natively(result, max_rows=job["max_rows"])
                if rendered is None:  # too large to write natively (the result is consumed): run it again
                    result = store.query(job["query"], base_iri=job.get("base_iri"), **options)
            if rendered is None:
                rendered = render(
                    result,
                    solutions_format=job["solutions_format"],
                    graph_format=job["graph_format"],
                    max_rows=job["max_rows"],
                    variable_order=order,
                )
        except SyntaxError as exc:
            return syntax_error_reply(exc)
        except NotAcceptableResult as exc:
            return {"ok": False, "error": "not_acceptable", "message": str(exc), "allowed": exc.allowed}
        except PermissionError:
            return {
                "ok": False,
                "error": "refused",
                "message": "the query tried to reach the network, which query workers cannot do",
            }
        except OSError as exc:
            return {"ok": False, "error": "store", "message": f"{type(exc).__name__}: {exc}"}
        except (ValueError, TypeError, RuntimeError) as exc:
            return {"ok": False, "error": "evaluation", "message": f"the query failed: {exc}"}
        return {
            "ok": True,
            "kind": rendered.kind,
            "format_key": rendered.format_key,
            "media_type": rendered.media_type,
            "body": rendered.body,
            "rows": rendered.rows,
            "truncated": rendered.truncated,
        }


def main(argv: list[str]) -> int:
    conn = Connection(int(argv[1]))
    limit_memory(int(argv[2]) if len(argv) > 2 else 0)
    sandboxed = deny_network()
    conn.send({"ready": True, "pid": os.getpid(), "sandboxed": sandboxed})
    worker = _Worker()

    def handle(job: dict[str, Any]) -> dict[str, Any]:
        try:
            return worker.run(job)
        except OSError as exc:  # the snapshot could not be opened
            return {"ok": False, "error": "store", "message": f"{type(exc).__name__}: {exc}"}

    return serve(conn, handle)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
