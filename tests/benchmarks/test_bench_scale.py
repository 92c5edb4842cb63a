"""Scale benchmark (``make bench``): what readers wait for at 1,000, 10,000 and 100,000 stored cases.

Synthetic but valid cases (``tests/scalekit.py``: templates validated and classified by the
library, drawn from the ontology's vocabularies, then varied in id, title, description and
country) are bulk-loaded into an embedded store next to the ontology and shapes. Then, per size:

* in process: how long the case catalogue takes to build, roughly how much memory it holds, and
  ``find_cases`` through the catalogue against the SPARQL path (``find_cases_sparql``: what every
  page cost before the catalogue);
* ``coprokg serve`` on a free loopback port, one client, varied requests (offsets, filters, sorts
  and case ids drawn at random, not one request repeated): ``GET /cases`` (paged, with the total),
  ``/ui/cases``, a case page ``/ui/cases/{id}``, ``/ui/plots`` and every ``/queries/*`` route, p50
  and p99, with the goal next to each figure (300 ms at 10,000 cases, 1 s at 100,000). The named
  queries and the plots are answered from a result kept until the store changes
  (``GraphStore.query_cached``): the first request after a write (``cold``) pays the query;
* at ``COPROKG_BENCH_SCALE_REMOTE`` cases (default 10,000; 0 skips): the same store behind
  ``oxigraph serve`` and Virtuoso 7 (bulk-loaded), ``coprokg serve`` over each: ``GET /cases``, a
  case page and the named queries.

``COPROKG_BENCH_SCALE_SIZES`` (default ``1000,10000,100000``) picks the sizes,
``COPROKG_BENCH_SCALE_IN_PROCESS_MAX`` (default 10,000) the largest size of the in-process part.
Figures, not pass/fail: nothing here asserts a time. Run with ``-s`` to see the tables.
"""

from __future__ import annotations

import dataclasses
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import scalekit
from support import free_port

from coprokg.named_queries import named_queries
from coprokg.store import CaseQuery, EmbeddedStore
from coprokg.store.loader import load_project

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
import enginekit  # the remote-store tests' servers

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]

SIZES = [int(x) for x in os.environ.get("COPROKG_BENCH_SCALE_SIZES", "1000,10000,100000").split(",") if x]
REMOTE_SIZE = int(os.environ.get("COPROKG_BENCH_SCALE_REMOTE", "10000"))
# the in-process part (catalogue build and size, the SPARQL path) up to this size: at 100,000 it adds
# about three minutes (a second catalogue build and one SPARQL page of ~20 s); the server's start
# time still includes its build
IN_PROCESS_MAX = int(os.environ.get("COPROKG_BENCH_SCALE_IN_PROCESS_MAX", "10000"))
REQUESTS = 30  # per route and size
ROUTE_BUDGET_S = 30.0  # stop a route's requests after this long (the figures say how many ran)
TEMPLATES = 60
GOALS_MS = {100_000: 1000.0}  # else 300 ms
COUNTRIES = scalekit.COUNTRIES
DOMAINS = ["public-safety", "education", "health", "environment", "police-services", "recreation-culture"]
LEVELS = ["none", "co-production", "co-management", "co-governance"]
SORTS = ["id", "title", "country", "domain", "level"]
WORDS = ["park", "zürich", "budget police", "ÉVORA", "water", "łódź forest"]
SERVER_ENV = {
    "COPROKG_QUERY_TIMEOUT": "120",  # a named query's first run at 100,000 cases outlasts the default 5 s
    "COPROKG_QUERY_WORKERS": "1",
    "COPROKG_ANALYSIS_WORKERS": "1",
}


def goal(n: int) -> float:
    return GOALS_MS.get(n, 300.0)


# ---------------------------------------------------------------- requests
def case_list(rng: random.Random, n: int) -> str:
    sort, order = rng.choice(SORTS), rng.choice(["asc", "desc"])
    return f"/cases?sort={sort}&order={order}&offset={rng.randrange(0, max(1, n - 50))}&limit=50"


def case_list_filtered(rng: random.Random, n: int) -> str:
    params = [f"sort={rng.choice(SORTS)}", f"order={rng.choice(['asc', 'desc'])}", "limit=50"]
    for key, values in (("country", COUNTRIES), ("domain", DOMAINS), ("level", LEVELS), ("q", WORDS)):
        if rng.random() < 0.4:
            params.append(f"{key}={rng.choice(values)}")
    if len(params) == 3:
        params.append(f"country={rng.choice(COUNTRIES)}")
    return "/cases?" + "&".join(params)


def ui_cases(rng: random.Random, n: int) -> str:
    page = rng.randrange(1, max(2, n // 50))
    extra = rng.choice(["", f"&country={rng.choice(COUNTRIES)}", f"&q={rng.choice(WORDS)}", ""])
    return f"/ui/cases?sort={rng.choice(SORTS)}&order={rng.choice(['asc', 'desc'])}&page={page}{extra}"


def case_page(rng: random.Random, n: int) -> str:
    return f"/ui/cases/gen-{rng.randrange(n):06d}"


def case_json(rng: random.Random, n: int) -> str:
    return f"/cases/gen-{rng.randrange(n):06d}"


def fixed(path: str) -> Callable[[random.Random, int], str]:
    return lambda _rng, _n: path


ROUTES: dict[str, Callable[[random.Random, int], str]] = {
    "GET /cases (page of 50, any offset)": case_list,
    "GET /cases (filtered)": case_list_filtered,
    "/ui/cases": ui_cases,
    "/ui/cases/{id}": case_page,
    "/ui/plots": fixed("/ui/plots"),
    **{f"/queries/{name}": fixed(f"/queries/{name}") for name in named_queries()},
}
REMOTE_ROUTES = ["GET /cases (page of 50, any offset)", "GET /cases (filtered)", "GET /cases/{id}"] + [
    f"/queries/{name}" for name in named_queries()
]
ROUTES_BY_NAME = {**ROUTES, "GET /cases/{id}": case_json}


@dataclasses.dataclass
class Timing:
    route: str
    latencies: list[float]
    cold: float | None = None
    errors: int = 0

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


def measure(base: str, route: str, n: int, *, seed: int = 1) -> Timing:
    """``REQUESTS`` varied requests, one at a time (within ``ROUTE_BUDGET_S``)."""
    rng = random.Random(seed)
    make = ROUTES_BY_NAME[route]
    timing = Timing(route, [])
    stop_at = time.monotonic() + ROUTE_BUDGET_S
    with httpx.Client(base_url=base, timeout=300, headers={"Accept": "*/*"}) as http:
        if route.startswith(("/queries", "/ui/plots")):  # the first request after a write computes the result
            t = time.perf_counter()
            response = http.get(make(rng, n))
            timing.cold = time.perf_counter() - t
            timing.errors += response.status_code != 200
        else:
            http.get(make(rng, n))  # connection and code paths warm
        while len(timing.latencies) < REQUESTS and time.monotonic() < stop_at:
            path = make(rng, n)
            t = time.perf_counter()
            response = http.get(path)
            timing.latencies.append(time.perf_counter() - t)
            if response.status_code != 200:
                timing.errors += 1
    return timing


# ---------------------------------------------------------------- processes
@contextmanager
def coprokg_serve(env: dict[str, str], store: Path | None = None) -> Iterator[str]:
    port = free_port()
    command = [sys.executable, "-m", "coprokg.cli", "serve", "--port", str(port), "--no-access-log"]
    command += ["--log-level", "warning"]
    if store is not None:
        command += ["--store", str(store)]
    proc = subprocess.Popen(command, env={**os.environ, **SERVER_ENV, **env})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, "coprokg serve exited at start"
            assert time.monotonic() < deadline, "coprokg serve did not become ready"
            time.sleep(0.1)  # polling interval while the server starts (it builds the catalogue)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def catalogue_bytes(store: EmbeddedStore) -> int:
    """Roughly what the catalogue holds: its rows with their strings, the orders, the value sets, the
    row index and the joined search text (made by a search first)."""
    catalogue = store.case_catalogue()
    store.find_cases(CaseQuery(text="x"))
    seen: set[int] = set()
    total = sys.getsizeof(catalogue.rows) + sum(sys.getsizeof(o) for o in catalogue.orders.values())
    total += sum(sys.getsizeof(rows) for by_value in catalogue.index.values() for rows in by_value.values())
    if catalogue.text is not None:
        total += sum(sys.getsizeof(part) for part in catalogue.text)
    for row in catalogue.rows.values():
        for value in (row, row.id, row.title, row.domain_iri, row.domain, row.country, row.level, row.search):
            if value is not None and id(value) not in seen:
                seen.add(id(value))
                total += sys.getsizeof(value)
    return total


# ---------------------------------------------------------------- the benchmark
@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("scale")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def templates() -> list[str]:
    return scalekit.build_records(TEMPLATES)


def make_store(workdir: Path, templates: list[str], n: int) -> tuple[Path, Path, float]:
    base = workdir / "base.nq"
    if not base.exists():  # the ontology and the shapes, loaded as ``coprokg load`` does
        loaded, empty = workdir / "base-store", workdir / "no-cases"
        empty.mkdir()
        store = EmbeddedStore(loaded, workers=1)
        try:
            load_project(store, cases=empty)
        finally:
            store.close()
        scalekit.base_nquads(loaded, base, with_cases=False)
    cases = workdir / f"cases-{n}.nq"
    t = time.perf_counter()
    scalekit.write_nquads(cases, n, templates)
    store = scalekit.scale_store(workdir / f"store-{n}", [base, cases])
    return store, cases, time.perf_counter() - t


def in_process(store_dir: Path, n: int) -> list[str]:
    """Catalogue build, size, and find_cases through the catalogue and through SPARQL."""
    lines = []
    store = EmbeddedStore(store_dir, workers=1)
    try:
        if hasattr(store, "case_catalogue"):  # (not in the code before the catalogue)
            t = time.perf_counter()
            store.case_catalogue()
            build = time.perf_counter() - t
            size = catalogue_bytes(store)
            lines.append(
                f"catalogue: built in {build:.2f} s, about {size / 2**20:.1f} MB "
                f"({size / max(1, n):.0f} bytes per case)"
            )
        rng = random.Random(5)
        for name, make in (
            ("unfiltered page", lambda: CaseQuery(sort=rng.choice(SORTS), offset=rng.randrange(n - 50), limit=50)),
            ("country filter", lambda: CaseQuery(country=rng.choice(COUNTRIES), sort=rng.choice(SORTS), limit=50)),
            ("words", lambda: CaseQuery(text=rng.choice(WORDS), sort=rng.choice(SORTS), limit=50)),
        ):
            fast, slow = [], []
            reps_sparql = 3 if n <= 10_000 else (1 if name == "unfiltered page" else 0)  # ~40 s a call at 100k
            for i in range(20 if hasattr(store, "find_cases_sparql") else reps_sparql):  # before: one path
                query = make()
                t = time.perf_counter()
                page = store.find_cases(query)
                fast.append(time.perf_counter() - t)
                if i < reps_sparql:
                    t = time.perf_counter()
                    reference = getattr(store, "find_cases_sparql", store.find_cases)(query)  # before: one path
                    slow.append(time.perf_counter() - t)
                    assert page == reference, query  # correctness, not timing
            sparql = f"SPARQL path p50 {statistics.median(slow) * 1000:.0f} ms" if slow else "SPARQL path not run"
            lines.append(
                f"find_cases, {name}: catalogue p50 {statistics.median(fast) * 1000:.2f} ms "
                f"(max {max(fast) * 1000:.2f}), {sparql}"
            )
    finally:
        store.close()
    return lines


def print_table(title: str, n: int, timings: list[Timing]) -> None:
    print(f"\n{title}")
    print(f"{'route':52} {'cold ms':>8} {'p50 ms':>8} {'p99 ms':>8} {'goal ms':>8} {'n':>4} {'errors':>6}")
    for t in timings:
        cold = f"{t.cold * 1000:.0f}" if t.cold is not None else "-"
        print(
            f"{t.route:52} {cold:>8} {t.pct(0.5):>8.1f} {t.pct(0.99):>8.1f} {goal(n):>8.0f} "
            f"{len(t.latencies):>4} {t.errors:>6}"
        )


def test_scale(workdir: Path, templates: list[str]) -> None:
    page_p50: dict[int, float] = {}
    for n in SIZES:
        store_dir, cases, seconds = make_store(workdir, templates, n)
        print(f"\n=== {n:,} generated cases: written and bulk-loaded in {seconds:.1f} s")
        for line in in_process(store_dir, n) if n <= IN_PROCESS_MAX else ["(in-process part skipped at this size)"]:
            print(line)
        t = time.perf_counter()
        with coprokg_serve({}, store_dir) as base:
            started = time.perf_counter() - t
            timings = [measure(base, route, n) for route in ROUTES]
        print_table(f"coprokg serve, embedded store, {n:,} cases (started in {started:.1f} s)", n, timings)
        page_p50[n] = timings[0].pct(0.5)
        if n == REMOTE_SIZE:
            remote(workdir, store_dir, cases, n)
        shutil.rmtree(store_dir, ignore_errors=True)
        cases.unlink()
    if len(page_p50) > 1:
        small, large = min(page_p50), max(page_p50)
        print(
            f"\nunfiltered GET /cases page of 50, p50 at {large:,} vs {small:,} cases: "
            f"{page_p50[large]:.1f} / {page_p50[small]:.1f} ms = {page_p50[large] / page_p50[small]:.2f} "
            "(goal: about 1)"
        )


def remote(workdir: Path, store_dir: Path, cases: Path, n: int) -> None:
    """``coprokg serve`` over ``oxigraph serve`` and over Virtuoso, each holding the same cases."""
    ox_dir = workdir / "oxigraph-serve"
    shutil.copytree(store_dir, ox_dir)
    port = free_port()
    proc = subprocess.Popen(
        [
            str(enginekit.OXIGRAPH),
            "serve",
            "--location",
            str(ox_dir),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        assert enginekit._wait_ready(proc, f"{url}/query", "oxigraph serve") is None
        env = {
            "COPROKG_SPARQL_ENGINE": "oxigraph",
            "COPROKG_SPARQL_QUERY_URL": f"{url}/query",
            "COPROKG_SPARQL_UPDATE_URL": f"{url}/update",
        }
        timed_remote("oxigraph serve", env, n)
    finally:
        enginekit._stop(proc)
        shutil.rmtree(ox_dir, ignore_errors=True)
    virtuoso_dir = workdir / "virtuoso"
    virtuoso_dir.mkdir()
    try:
        with enginekit.running_virtuoso(virtuoso_dir) as server:
            for part in (workdir / "base.nq", cases):
                shutil.copy(part, virtuoso_dir / part.name)
            t = time.perf_counter()
            bulk_load_virtuoso(server, virtuoso_dir)
            print(f"\nVirtuoso: {n:,} cases bulk-loaded (ld_dir, rdf_loader_run) in {time.perf_counter() - t:.1f} s")
            env = {
                "COPROKG_SPARQL_ENGINE": "virtuoso",
                "COPROKG_SPARQL_QUERY_URL": server.query_url,
                "COPROKG_SPARQL_UPDATE_URL": server.update_url,
                "COPROKG_SPARQL_USERNAME": server.username or "",
                "COPROKG_SPARQL_PASSWORD": server.password or "",
            }
            timed_remote("Virtuoso 7", env, n)
    except pytest.skip.Exception as exc:
        print(f"\nVirtuoso skipped: {exc}")
    finally:
        shutil.rmtree(virtuoso_dir, ignore_errors=True)


def bulk_load_virtuoso(server: Any, directory: Path) -> None:
    script = f"ld_dir('{directory}', '*.nq', 'urn:coprokg:unused');\nrdf_loader_run();\ncheckpoint;\n"
    done = subprocess.run(
        [enginekit.ISQL, f"127.0.0.1:{server.sql_port}", "dba", server.dba_password, "VERBOSE=OFF", "ERRORS=STDOUT"],
        input=script.encode(),
        capture_output=True,
        timeout=600,
        check=False,
    )
    out = done.stdout.decode(errors="replace")
    assert done.returncode == 0 and "*** Error" not in out, out


def timed_remote(name: str, env: dict[str, str], n: int) -> None:
    t = time.perf_counter()
    with coprokg_serve(env) as base:
        started = time.perf_counter() - t
        timings = [measure(base, route, n) for route in REMOTE_ROUTES]
    print_table(f"coprokg serve over {name}, {n:,} cases (started in {started:.1f} s)", n, timings)
