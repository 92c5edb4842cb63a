"""Store commands of the ``coprokg`` CLI: ``load``, ``export``, ``query``, ``serve``.

They read the same ``COPROKG_*`` settings as the service; ``--store`` overrides the embedded
store's path.

An embedded store is open in one process at a time (RocksDB's lock), and pyoxigraph calls opening
it read-only while another process writes it undefined behaviour. So while ``coprokg serve`` runs
on a store, ``coprokg query`` on the same store does not read it behind the service's back: it
says in one line to ask the service's ``/sparql`` instead, with the ``curl`` command, and exits 2.
``serve`` leaves its address next to the store (``<store>.serving.json``) for that message.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shlex
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any, BinaryIO

from coprokg.errors import QueryError, StoreInUse
from coprokg.settings import Settings, load_settings
from coprokg.sparql import formats

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def _settings(args: argparse.Namespace, **overrides: Any) -> Settings:
    if getattr(args, "store", None):
        overrides["store_path"] = Path(args.store)
    return load_settings(**overrides)


def cmd_load(args: argparse.Namespace) -> int:
    from coprokg.store import open_store
    from coprokg.store.loader import load_project

    store = open_store(_settings(args))
    try:
        report = load_project(
            store,
            cases=Path(args.cases) if args.cases else None,
            force=args.force,
            prune=args.prune,
            progress=(lambda text: print(text, file=sys.stderr)) if args.verbose else None,
            workers=args.workers,
        )
        total = store.count_cases()
    finally:
        store.close()
    for path, problem in report.failed:
        print(f"{path}: {problem}", file=sys.stderr)
    print(f"load: {report.summary()}; {total} cases in the store")
    return EXIT_FAILED if report.failed else EXIT_OK


RDF_EXPORTS = ("nquads", "trig", "jsonld")
TABLE_EXPORTS = ("csv", "codebook-md", "codebook-csv")


def cmd_export(args: argparse.Namespace) -> int:
    from coprokg import export
    from coprokg.store import GraphStore, open_store

    def write(out: BinaryIO, store: GraphStore | None) -> None:
        if args.format in RDF_EXPORTS:
            assert store is not None
            store.export(out, args.format)
        elif args.format == "csv":
            assert store is not None
            out.write(export.cases_csv(store).encode("utf-8"))
        elif args.format == "codebook-md":
            out.write(export.codebook_markdown().encode("utf-8"))
        else:
            out.write(export.codebook_csv().encode("utf-8"))

    store = None if args.format.startswith("codebook") else open_store(_settings(args))
    try:
        if args.output and args.output != "-":
            with open(args.output, "wb") as out:
                write(out, store)
        else:
            write(sys.stdout.buffer, store)
            sys.stdout.flush()
    finally:
        if store is not None:
            store.close()
    return EXIT_OK


def cmd_cases(args: argparse.Namespace) -> int:
    """Find stored cases as the API and the case list page do (one ``find_cases``)."""
    from coprokg.store import CaseQuery, open_store

    query = CaseQuery(
        domain=args.domain,
        country=args.country.upper() if args.country else None,
        level=args.level,
        role=args.role,
        text=args.text,
        sort=args.sort,
        descending=args.desc,
        offset=args.offset,
        limit=args.limit,
    )
    store = open_store(_settings(args, query_workers=1))
    try:
        page = store.find_cases(query)
    finally:
        store.close()
    if args.json:
        print(json.dumps({"total": page.total, "items": [item.__dict__ for item in page.items]}, indent=2))
        return EXIT_OK
    print(f"{page.total} case{'s' if page.total != 1 else ''} match", file=sys.stderr)
    for item in page.items:
        print(
            f"{item.id}\t{item.country or '-'}\t{item.domain or '-'}\t{item.power_transfer or '-'}\t{item.title or ''}"
        )
    return EXIT_OK


def cmd_query(args: argparse.Namespace) -> int:
    from coprokg.store import QueryRequest, open_store

    if args.file:
        text = Path(args.file).read_text(encoding="utf-8")
    elif args.query:
        text = args.query
    else:
        raise QueryError("give a query, or --file FILE")
    overrides: dict[str, Any] = {}
    if args.timeout is not None:
        overrides["query_timeout"] = args.timeout
    if args.max_rows is not None:
        overrides["max_rows"] = args.max_rows
    overrides["query_workers"] = 1
    settings = _settings(args, **overrides)
    fmt = formats.ALL_FORMATS[args.format]
    request = QueryRequest(
        text,
        solutions_format=fmt.key if fmt in formats.SOLUTION_FORMATS else "tsv",
        graph_format=fmt.key if fmt in formats.GRAPH_FORMATS else "turtle",
    )
    try:
        store = open_store(settings)
    except StoreInUse as exc:
        print(_use_the_service(Path(exc.path), text, args), file=sys.stderr)
        return EXIT_ERROR
    try:
        result = store.query(request)
    except QueryError as exc:
        where = f"{args.file or '<query>'}:{exc.line}:{exc.column}: " if exc.line else ""
        print(f"{where}{exc.detail}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        store.close()
    sys.stdout.buffer.write(result.body)
    sys.stdout.flush()
    if result.truncated:
        print(f"coprokg: result cut at {result.rows} rows (--max-rows)", file=sys.stderr)
    return EXIT_OK


# ---------------------------------------------------------------- the store in use by the service
def serving_marker(store_path: Path) -> Path:
    """Where ``coprokg serve`` notes its address for a store: ``<store>.serving.json`` beside it.

    >>> serving_marker(Path("var/store")).as_posix()
    'var/store.serving.json'
    """
    return store_path.with_name(store_path.name + ".serving.json")


def _local_url(host: str, port: int) -> str:
    """The URL a client on this machine uses for a server bound to ``host``.

    >>> _local_url("0.0.0.0", 8000), _local_url("::1", 8080), _local_url("127.0.0.1", 8000)
    ('http://127.0.0.1:8000', 'http://[::1]:8080', 'http://127.0.0.1:8000')
    """
    if host in ("0.0.0.0", ""):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True


def served_url(store_path: Path) -> str | None:
    """The URL of the ``coprokg serve`` that runs on this store now, if it left a note and still runs."""
    try:
        note = json.loads(serving_marker(store_path).read_text(encoding="utf-8"))
        url, pid = str(note["url"]), int(note["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return url if _alive(pid) else None


def _use_the_service(store_path: Path, text: str, args: argparse.Namespace) -> str:
    """One line: the store is held by another process; the same query through the service's /sparql."""
    url = served_url(store_path)
    accept = formats.ALL_FORMATS[args.format].media_type
    if args.file:
        data = f"query@{args.file}"
    elif "\n" in text or "\r" in text or len(text) > 300:
        data = "query@query.rq"
    else:
        data = f"query={text}"
    curl = f"curl -G {url or 'http://127.0.0.1:8000'}/sparql -H {shlex.quote('Accept: ' + accept)} "
    curl += f"--data-urlencode {shlex.quote(data)}"
    if data == "query@query.rq":
        curl += " (with the query saved in query.rq)"
    if url is not None:
        return f"coprokg: the store at {store_path} is in use by the service at {url}; query it there instead: {curl}"
    return (
        f"coprokg: the store at {store_path} is in use by another process; if it is `coprokg serve` (default "
        f"address shown), query the service instead: {curl}"
    )


@contextlib.contextmanager
def _noting_address(settings: Settings, host: str, port: int) -> Iterator[None]:
    """While the service runs on an embedded store, note its address beside the store (removed after)."""
    if settings.sparql_query_url:
        yield
        return
    marker = serving_marker(Path(settings.store_path))
    note = {"url": _local_url(host, port), "pid": os.getpid()}
    written = False
    with contextlib.suppress(OSError):  # no note, no harm: the message then shows the default address
        marker.write_text(json.dumps(note), encoding="utf-8")
        written = True

    def remove() -> None:
        with contextlib.suppress(OSError, ValueError):
            if written and json.loads(marker.read_text(encoding="utf-8")).get("pid") == os.getpid():
                marker.unlink()

    # uvicorn stops gracefully on SIGTERM, then raises the signal again to end the process: remove
    # the note at that moment, then let the signal do what it would have done
    previous = signal.getsignal(signal.SIGTERM) or signal.SIG_DFL

    def on_term(signum: int, frame: FrameType | None) -> None:
        remove()
        signal.signal(signal.SIGTERM, previous)
        signal.raise_signal(signum)

    signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        remove()


def _announce_store(settings: Any) -> None:
    """Say what the service will serve; warn loudly when the store holds no case."""
    from coprokg.store import open_store

    where = settings.sparql_query_url or str(settings.store_path)
    store = open_store(settings)
    try:
        cases = store.count_cases()
    finally:
        store.close()
    print(f"coprokg: serving {cases} case{'s' if cases != 1 else ''} from {where}", file=sys.stderr)
    if cases == 0:
        print(
            f"coprokg: WARNING: the store at {where} holds no case; if it should, it is the wrong path or "
            "its data is lost — run `coprokg load` (or `make run`) to load the curated cases",
            file=sys.stderr,
        )


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = _settings(args)  # refuse an unsafe configuration before binding anything
    if args.store:
        import os

        os.environ["COPROKG_STORE_PATH"] = args.store
    _announce_store(settings)
    # one worker: `uvicorn --workers N` added ~44 ms per keep-alive request (no TCP_NODELAY on
    # its shared listener, uvicorn issue #3149); query work runs in coprokg's own processes
    with _noting_address(settings, args.host, args.port):
        uvicorn.run(
            "api.main:create_app_from_env",
            factory=True,
            host=args.host,
            port=args.port,
            workers=1,
            log_level=args.log_level,
            access_log=args.access_log,
        )
    return EXIT_OK


def add_commands(subparsers: Any) -> None:
    """Add ``load``, ``export``, ``query`` and ``serve`` to the ``coprokg`` parser."""
    p = subparsers.add_parser("load", help="load ontology, shapes and cases into the store (idempotent)")
    p.add_argument("--store", help="embedded store directory (default: COPROKG_STORE_PATH or var/store)")
    p.add_argument("--cases", help="directory of case files (default: data/cases)")
    p.add_argument("--force", action="store_true", help="reload and re-classify even what has not changed")
    p.add_argument("--prune", action="store_true", help="delete stored cases that have no file")
    p.add_argument("-v", "--verbose", action="store_true", help="report each graph and case")
    p.add_argument("--workers", type=int, help="processes that validate and classify cases (default: one per core)")
    p.set_defaults(func=cmd_load)

    p = subparsers.add_parser(
        "export",
        help="dump the store (N-Quads, TriG, JSON-LD), or the cases as a CSV table and its codebook",
        description="nquads, trig, jsonld: every named graph of the store. csv: one row per participation with "
        "its case's fields and power-transfer level (RFC 4180, UTF-8). codebook-md, codebook-csv: the table's "
        "columns and their allowed values, from the ontology (no store needed).",
    )
    p.add_argument("--store", help="embedded store directory")
    p.add_argument("--format", choices=[*RDF_EXPORTS, *TABLE_EXPORTS], default="nquads")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_export)

    p = subparsers.add_parser("cases", help="find stored cases by domain, country, level, role and words")
    p.add_argument("text", nargs="?", help="words the id, title or description contain")
    p.add_argument("--domain", help="policy domain notation (narrower domains included)")
    p.add_argument("--country", help="ISO 3166-1 alpha-2 code")
    p.add_argument("--level", help="power-transfer level")
    p.add_argument("--role", help="a citizen role some actor plays, e.g. CoproducerRole")
    p.add_argument("--sort", default="id", help="id, title, country, domain or level")
    p.add_argument("--desc", action="store_true", help="descending order")
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--limit", type=int, default=1000)
    p.add_argument("--json", action="store_true", help="JSON instead of tab-separated lines")
    p.add_argument("--store", help="embedded store directory")
    p.set_defaults(func=cmd_cases)

    p = subparsers.add_parser("query", help="run a SPARQL query on the store (with the service's limits)")
    p.add_argument("query", nargs="?", help="the query text")
    p.add_argument("-f", "--file", help="read the query from a file")
    p.add_argument("--store", help="embedded store directory")
    p.add_argument(
        "--format", choices=[f.key for f in (*formats.SOLUTION_FORMATS, *formats.GRAPH_FORMATS)], default="tsv"
    )
    p.add_argument("--timeout", type=float, help="seconds (default: COPROKG_QUERY_TIMEOUT)")
    p.add_argument("--max-rows", type=int, help="row cap (default: COPROKG_MAX_ROWS)")
    p.set_defaults(func=cmd_query)

    p = subparsers.add_parser("serve", help="serve the HTTP API (SPARQL endpoint, cases, classification)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--store", help="embedded store directory")
    p.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    p.add_argument("--access-log", action=argparse.BooleanOptionalAction, default=True)
    p.set_defaults(func=cmd_serve)
