"""Benchmarks (``make bench``): SPARQL over HTTP, POST /classify, bulk load. Figures, not pass/fail.

The load comes from ``wrk`` (Debian package ``wrk``; a C client, so the client takes little of the
machine's two cores), loopback only, bounded in time (``DURATION`` a cell) and by connection count:

* SPARQL: ``CLIENTS`` keep-alive connections send a query each, a different one every request
  (``wrk_sparql.lua``), to three servers on the same data, one after the other: coprokg
  (``coprokg serve``: uvicorn, one HTTP process, query worker processes over a snapshot),
  ``oxigraph serve --union-default-graph`` on a copy of the store, and rdflib-endpoint over an
  rdflib Graph (100k only: rdflib takes minutes at 1M). Before the load, each query's answer from
  coprokg is checked equal to oxigraph's.
* POST /classify: 8 connections post the curated cases of ``data/cases`` in turn
  (``wrk_post_cases.lua``); before the load, every case's answer is checked against the library's
  classification of the same file, in this process.

Each table gives requests/s, p50 and p99 latency (wrk's), the CPU time the server (with its worker
processes) spent a request, and the goals of the service. The machine is shared: repeat and
take medians. The data are synthetic: subjects with a type, a name, a group, a link and six
integer values, in 1000 named graphs. Run with ``-s`` to see the tables.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from support import free_port

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(1800),
    pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (make system-packages)"),
]

CLIENTS = 4
CLASSIFY_CLIENTS = 8
DURATION = float(os.environ.get("COPROKG_BENCH_SECONDS", "6"))
WRK = shutil.which("wrk")
HERE = Path(__file__).resolve().parent
CASES = HERE.parents[1] / "data" / "cases"
# the goals of the service (the issue "measured, not guessed"): printed beside the figures
GOAL_CLASSIFY = "goal >= 500/s, p99 <= 50 ms"
GOAL_POINT = "goal >= 2500/s and >= 0.2 of oxigraph"
GOAL_HEAVY = "goal >= 0.9 of oxigraph"
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
WRK_KIND = {"point lookup": "point", "GROUP BY": "groupby", "2-pattern join": "join"}


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
def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its living descendants (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    while pids:
        p = pids.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{p}/task").iterdir():
                pids.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return total


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


@dataclass
class Figures:
    requests: int
    errors: int
    seconds: float
    p50: float
    p99: float
    cpu_ms: float  # server CPU (with its worker processes) a request

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds


def run_wrk(url: str, script: str, args: list[str], *, pid: int, connections: int, threads: int = 1) -> Figures:
    """One bounded wrk run (``DURATION`` seconds, ``connections`` keep-alive connections) against ``url``."""
    assert WRK is not None
    before = cpu_seconds(pid)
    out = subprocess.run(
        [
            WRK,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{DURATION:g}s",
            "--timeout",
            "30s",
            "--latency",
            "-s",
            str(HERE / script),
            url,
            "--",
            *args,
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=DURATION + 120,
    ).stdout
    cpu = cpu_seconds(pid) - before
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s)", out)
    assert done, out
    requests, seconds = int(done.group(1)), _ms(done.group(2) + done.group(3)) / 1000
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = int(errors.group(1)) if errors else 0
    if socket_errors:
        failed += int(socket_errors.group(1)) + int(socket_errors.group(4))
    p50 = re.search(r"\s50%\s+([\d.]+(?:us|ms|s))", out)
    p99 = re.search(r"\s99%\s+([\d.]+(?:us|ms|s))", out)
    assert p50 and p99, out
    return Figures(requests, failed, seconds, _ms(p50.group(1)), _ms(p99.group(1)), cpu * 1000 / max(requests, 1))


def solutions(url: str, query: str) -> list[dict[str, object]]:
    """The bindings of ``query`` from ``url``, in a canonical order."""
    response = httpx.get(
        url, params={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=120
    )
    assert response.status_code == 200, response.text
    rows: list[dict[str, object]] = response.json()["results"]["bindings"]
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True))


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
                for i in (0, 1, 2):  # the same answers as oxigraph serve (varied requests)
                    assert solutions(servers[0].url, factory(n)(i)) == solutions(servers[1].url, factory(n)(i))
                for server in servers:
                    figures = run_wrk(
                        server.url,
                        "wrk_sparql.lua",
                        [WRK_KIND[query_name], str(n // 10)],
                        pid=server.proc.pid,
                        connections=CLIENTS,
                    )
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
        f"\nSPARQL over HTTP, loopback, wrk, {CLIENTS} keep-alive connections, {DURATION:g} s a cell, "
        f"{os.cpu_count()} cores (shared: repeat, take medians)"
    )
    print(
        f"{'triples':>9} {'query':15} {'server':16} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'cpu ms/req':>10} "
        f"{'errors':>6} {'vs oxigraph':>11} {'vs rdflib-ep':>12}  goal"
    )
    by_key = {(n, q, s): f for n, q, s, f in rows}
    for n, query_name, server, f in rows:
        ox_f = by_key.get((n, query_name, "oxigraph serve"))
        rl_f = by_key.get((n, query_name, "rdflib-endpoint"))
        vs_ox = f"{f.throughput / ox_f.throughput:.2f}" if ox_f else "-"
        vs_rl = f"{f.throughput / rl_f.throughput:.1f}x" if rl_f else "-"
        goal = (GOAL_POINT if query_name == "point lookup" else GOAL_HEAVY) if server == "coprokg" else ""
        print(
            f"{n:>9,} {query_name:15} {server:16} {f.throughput:>9.1f} {f.p50:>8.2f} {f.p99:>8.2f} {f.cpu_ms:>10.3f} "
            f"{f.errors:>6} {vs_ox:>11} {vs_rl:>12}  {goal}"
        )
    for note in notes:
        print(note)
    assert all(f.errors == 0 for *_, f in rows)


def test_classify_throughput(workdir: Path) -> None:
    """POST /classify, 8 connections, the curated cases in turn; every answer first checked against the library."""
    from coprokg.cases import load_case_text
    from coprokg.classify import default_classifier

    store = workdir / "classify-store"
    port = free_port()
    server = start(
        "coprokg",
        serve_command(port, store),
        f"http://127.0.0.1:{port}/classify",
        f"http://127.0.0.1:{port}/sparql",
    )
    cases = sorted(CASES.glob("*.json"))
    listing = workdir / "cases.txt"
    listing.write_text("".join(f"{path}\n" for path in cases))
    try:
        with httpx.Client(timeout=120) as http:
            for path in cases:  # correct answers, not only 200s
                body = path.read_bytes()
                response = http.post(server.url, content=body, headers={"Content-Type": "application/json"})
                assert response.status_code == 200, (path.name, response.text)
                expected = default_classifier().classify(load_case_text(path.read_text(), "json"))
                assert response.json() == expected.model_dump(mode="json"), path.name
        runs = [
            run_wrk(
                server.url,
                "wrk_post_cases.lua",
                [str(listing)],
                pid=server.proc.pid,
                connections=CLASSIFY_CLIENTS,
                threads=2,
            )
        ]
    finally:
        server.stop()
    print(
        f"\nPOST /classify, wrk, {CLASSIFY_CLIENTS} keep-alive connections, {len(cases)} curated cases in turn, "
        f"{DURATION:g} s, {os.cpu_count()} cores (shared: repeat, take medians)"
    )
    print(f"{'requests':>9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'cpu ms/req':>10} {'errors':>6}  goal")
    for f in runs:
        print(
            f"{f.requests:>9} {f.throughput:>9.1f} {f.p50:>8.1f} {f.p99:>8.1f} {f.cpu_ms:>10.2f} {f.errors:>6}  "
            f"{GOAL_CLASSIFY}"
        )
    assert all(f.errors == 0 for f in runs)
