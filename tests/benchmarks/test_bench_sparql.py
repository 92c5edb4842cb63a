"""Benchmarks (``make bench``): SPARQL over HTTP, POST /classify, bulk load. Figures, not pass/fail.

Three servers answer the same queries over loopback, one after the other, with the same load
generator (``CLIENTS`` threads with keep-alive, each for ``DURATION`` seconds):

* coprokg (``coprokg serve``: uvicorn, one HTTP worker, query worker processes over a snapshot);
* ``oxigraph serve --union-default-graph`` on a copy of the same store;
* rdflib-endpoint over an rdflib Graph of the same triples (100k only: rdflib takes minutes at 1M).

The data are synthetic: subjects with a type, a name, a group, a link and six integer values, in
1000 named graphs. Queries: a point lookup (a different subject each request), a GROUP BY over
every subject, and a two-pattern join. Run with ``-s`` to see the tables.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from support import free_port

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]

CLIENTS = 4
DURATION = 4.0
SIZES = [int(x) for x in os.environ.get("COPROKG_BENCH_SIZES", "100000,1000000").split(",")]
OXIGRAPH = Path(sys.executable).parent / "oxigraph"
TOKEN = "bench-token-0123456789abcdef"
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "buurt.json"
EX = "http://example.org/bench/"


# ---------------------------------------------------------------- data
def write_data(n: int, path: Path) -> None:
    rng = random.Random(1)
    subjects = n // 10
    with path.open("w") as out:
        for i in range(subjects):
            s, g = f"<{EX}s/{i}>", f"<{EX}g/{i % 1000}>"
            out.write(f"{s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{EX}C{i % 20}> {g} .\n")
            out.write(f'{s} <{EX}name> "name {i}" {g} .\n')
            out.write(f"{s} <{EX}group> <{EX}group/{i % 100}> {g} .\n")
            out.write(f"{s} <{EX}knows> <{EX}s/{rng.randrange(subjects)}> {g} .\n")
            for k in range(6):
                out.write(f'{s} <{EX}v{k}> "{rng.randrange(1000)}"^^<http://www.w3.org/2001/XMLSchema#integer> {g} .\n')


def point_lookup(n: int) -> Callable[[int], str]:
    subjects = n // 10
    return lambda i: f"SELECT ?p ?o WHERE {{ <{EX}s/{(i * 7919) % subjects}> ?p ?o }}"


def group_by(_n: int) -> Callable[[int], str]:
    return lambda _i: f"SELECT ?g (COUNT(?s) AS ?n) WHERE {{ ?s <{EX}group> ?g }} GROUP BY ?g"


def join(_n: int) -> Callable[[int], str]:
    return lambda i: f"SELECT ?s ?name WHERE {{ ?s <{EX}group> <{EX}group/{i % 100}> . ?s <{EX}name> ?name }}"


QUERIES: dict[str, Callable[[int], Callable[[int], str]]] = {
    "point lookup": point_lookup,
    "GROUP BY": group_by,
    "2-pattern join": join,
}


# ---------------------------------------------------------------- processes
def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (Linux /proc)."""
    total = 0.0
    pids = [pid]
    while pids:
        p = pids.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                pids.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return total


def serve_command(port: int, store: Path) -> list[str]:
    return [sys.executable, "-m", "coprokg.cli", "serve", "--port", str(port), "--store", str(store), "--no-access-log"]


@dataclass
class Server:
    name: str
    url: str
    proc: subprocess.Popen[bytes]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def start(name: str, cmd: list[str], url: str, probe: str, env: dict[str, str] | None = None) -> Server:
    proc = subprocess.Popen(
        cmd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 600
    while True:
        try:
            response = httpx.get(
                probe, params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+json"}
            )
            if response.status_code == 200:
                return Server(name, url, proc)
        except httpx.HTTPError:
            pass
        assert proc.poll() is None, f"{name} exited"
        assert time.monotonic() < deadline, f"{name} did not start"
        time.sleep(0.1)  # polling interval while the server starts


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("bench")
    yield path
    shutil.rmtree(path, ignore_errors=True)


# ---------------------------------------------------------------- load generator
@dataclass
class Figures:
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


def hammer(
    url: str, make_query: Callable[[int], str], *, clients: int = CLIENTS, duration: float = DURATION
) -> Figures:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    counter = iter(range(10**9))
    stop_at = time.monotonic() + duration

    def client() -> None:
        mine: list[float] = []
        with httpx.Client(timeout=120, headers={"Accept": "application/sparql-results+json"}) as http:
            while time.monotonic() < stop_at:
                with lock:
                    i = next(counter)
                t = time.perf_counter()
                response = http.get(url, params={"query": make_query(i)})
                mine.append(time.perf_counter() - t)
                if response.status_code != 200:
                    with lock:
                        errors[0] += 1
        with lock:
            latencies.extend(mine)

    with httpx.Client(headers={"Accept": "application/sparql-results+json"}) as warm:
        for i in range(3):
            warm.get(url, params={"query": make_query(i)}, timeout=120)
    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Figures(len(latencies), errors[0], time.perf_counter() - started, latencies)


def bulk_load(data: Path, store: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of loading ``data`` into a fresh embedded store, in a subprocess."""
    script = (
        "import resource, sys, time, pyoxigraph as ox\n"
        "t = time.perf_counter()\n"
        "s = ox.Store(sys.argv[2]); s.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS); s.flush()\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, len(s))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(data), str(store)], check=True, capture_output=True, text=True
    )
    seconds, peak, _count = out.stdout.split()
    return float(seconds), float(peak)


# ---------------------------------------------------------------- benchmarks
def test_sparql_over_http(workdir: Path) -> None:
    rows: list[tuple[int, str, str, Figures]] = []
    notes: list[str] = []
    for n in SIZES:
        data = workdir / f"data-{n}.nq"
        write_data(n, data)
        ours_dir, ox_dir = workdir / f"coprokg-{n}", workdir / f"oxigraph-{n}"
        seconds, peak = bulk_load(data, ours_dir)
        notes.append(f"bulk load of {n:,} triples into the embedded store: {seconds:.1f} s, peak RSS {peak:.0f} MB")
        shutil.copytree(ours_dir, ox_dir)
        servers = []
        port = free_port()
        servers.append(
            start(
                "coprokg",
                serve_command(port, ours_dir),
                f"http://127.0.0.1:{port}/sparql",
                f"http://127.0.0.1:{port}/sparql",
                {"COPROKG_QUERY_WORKERS": "2", "COPROKG_MAX_ROWS": "100000", "COPROKG_QUERY_TIMEOUT": "120"},
            )
        )
        port = free_port()
        servers.append(
            start(
                "oxigraph serve",
                [
                    str(OXIGRAPH),
                    "serve",
                    "--location",
                    str(ox_dir),
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--union-default-graph",
                ],
                f"http://127.0.0.1:{port}/query",
                f"http://127.0.0.1:{port}/query",
            )
        )
        if n <= 100_000:
            port = free_port()
            nt = workdir / f"data-{n}.nt"
            with data.open() as src, nt.open("w") as dst:
                for line in src:
                    dst.write(line.rsplit(" ", 2)[0] + " .\n")  # the triple without its graph
            script = (
                "import sys, rdflib, uvicorn\n"
                "from rdflib_endpoint import SparqlEndpoint\n"
                "g = rdflib.Graph().parse(sys.argv[1], format='nt')\n"
                "app = SparqlEndpoint(graph=g, path='/')\n"
                "uvicorn.run(app, host='127.0.0.1', port=int(sys.argv[2]), log_level='warning')\n"
            )
            servers.append(
                start(
                    "rdflib-endpoint",
                    [sys.executable, "-c", script, str(nt), str(port)],
                    f"http://127.0.0.1:{port}/",
                    f"http://127.0.0.1:{port}/",
                )
            )
        try:
            for query_name, factory in QUERIES.items():
                for server in servers:
                    figures = hammer(server.url, factory(n))
                    rows.append((n, query_name, server.name, figures))
            for server in servers:
                rss = rss_mb(server.proc.pid)
                notes.append(f"RSS after the runs at {n:,} triples, {server.name} (with children): {rss:.0f} MB")
        finally:
            for server in servers:
                server.stop()
        for path in (ours_dir, ox_dir):
            shutil.rmtree(path, ignore_errors=True)

    print(
        f"\nSPARQL over HTTP, loopback, {CLIENTS} keep-alive clients, {DURATION:g} s per cell, {os.cpu_count()} cores"
    )
    print(
        f"{'triples':>9} {'query':15} {'server':16} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} "
        f"{'vs oxigraph':>11} {'vs rdflib-ep':>12}"
    )
    by_key = {(n, q, s): f for n, q, s, f in rows}
    for n, query_name, server, f in rows:
        ox_f = by_key.get((n, query_name, "oxigraph serve"))
        rl_f = by_key.get((n, query_name, "rdflib-endpoint"))
        vs_ox = f"{f.throughput / ox_f.throughput:.2f}" if ox_f else "-"
        vs_rl = f"{f.throughput / rl_f.throughput:.1f}x" if rl_f else "-"
        print(
            f"{n:>9,} {query_name:15} {server:16} {f.throughput:>9.1f} {f.pct(0.5):>8.2f} {f.pct(0.99):>8.2f} "
            f"{f.errors:>6} {vs_ox:>11} {vs_rl:>12}"
        )
    for note in notes:
        print(note)
    assert all(f.errors == 0 for *_, f in rows)


def test_classify_throughput(workdir: Path) -> None:
    store = workdir / "classify-store"
    port = free_port()
    server = start(
        "coprokg",
        serve_command(port, store),
        f"http://127.0.0.1:{port}/classify",
        f"http://127.0.0.1:{port}/sparql",
    )
    body = FIXTURE.read_bytes()
    latencies: list[float] = []
    lock = threading.Lock()
    per_client = 12

    def client() -> None:
        with httpx.Client(timeout=120) as http:
            for _ in range(per_client):
                t = time.perf_counter()
                response = http.post(server.url, content=body, headers={"Content-Type": "application/json"})
                assert response.status_code == 200
                with lock:
                    latencies.append(time.perf_counter() - t)

    try:
        httpx.post(server.url, content=body, headers={"Content-Type": "application/json"}, timeout=120)
        started = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    finally:
        server.stop()
    latencies.sort()
    p50, p99 = statistics.median(latencies) * 1000, latencies[int(0.99 * (len(latencies) - 1))] * 1000
    print(
        f"\nPOST /classify, 8 concurrent clients, {len(latencies)} requests: "
        f"{len(latencies) / elapsed:.1f} classifications/s, p50 {p50:.0f} ms, p99 {p99:.0f} ms"
    )
