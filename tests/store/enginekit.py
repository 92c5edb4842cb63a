"""Real SPARQL servers for the remote-store tests, each on free loopback ports in a pytest tmp dir.

* ``oxigraph serve`` (the binary of the ``oxigraph`` dev dependency), ``--union-default-graph``.
* Virtuoso 7 (``virtuoso-t``, ``isql-vt`` from Debian's virtuoso-opensource-7-bin, the programs of
  virtuoso-opensource): its own database directory, ``DirsAllowed`` limited to it, random
  passwords for ``dba`` and a ``coprokg`` account that holds only the ``SPARQL_UPDATE`` role;
  writes go to ``/sparql-auth`` (digest auth) with that account, queries to the anonymous,
  read-only ``/sparql``. When Virtuoso is not installed or does not start, its tests skip with one
  line saying why (``make system-packages`` installs it).
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from support import free_port

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"
START_TIMEOUT = 60.0
QUERY_TIME_LIMIT_S = 5  # the server's own backstop (the store sends a shorter limit per query)


@dataclass(frozen=True)
class Server:
    """A running SPARQL server: where to query and update it, and as whom."""

    engine: str
    base: str
    query_url: str
    update_url: str
    username: str | None = None
    password: str | None = None
    sql_port: int | None = None  # Virtuoso: its SQL port and dba password (the scale benchmark bulk-loads)
    dba_password: str | None = field(default=None, repr=False)


def _wait_ready(proc: subprocess.Popen[bytes], url: str, what: str, log: Path | None = None) -> str | None:
    """None once ``url`` answers ``ASK {}``, else why not."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=1).status_code == 200:
                return None
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            lines = log.read_text(errors="replace").strip().splitlines() if log and log.exists() else []
            said = [line.strip() for line in lines if line.strip() and "exiting" not in line][-1:]
            return f"{what} exited with status {proc.returncode}" + (f": {said[0]}" if said else "")
        if time.monotonic() > deadline:
            return f"{what} did not answer within {START_TIMEOUT:g} s"
        time.sleep(0.1)  # polling interval while the server starts


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    assert OXIGRAPH.exists(), "the oxigraph binary comes with the 'oxigraph' dev dependency"
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    proc = subprocess.Popen(
        [
            str(OXIGRAPH),
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
            "--timeout-s",
            "3",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        problem = _wait_ready(proc, f"{base}/query", "oxigraph serve")
        assert problem is None, problem
        yield Server("oxigraph", base, f"{base}/query", f"{base}/update")
    finally:
        _stop(proc)


def virtuoso_ini(directory: Path, sql_port: int, http_port: int, *, result_max_rows: int = 1_000_000) -> str:
    """A minimal virtuoso.ini: everything in ``directory``, loopback only, no VAD packages, small buffers."""
    return f"""[Database]
DatabaseFile = {directory}/virtuoso.db
ErrorLogFile = {directory}/virtuoso.log
LockFile = {directory}/virtuoso.lck
TransactionFile = {directory}/virtuoso.trx
xa_persistent_file = {directory}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {directory}/virtuoso-temp.db
TransactionFile = {directory}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
CaseMode = 2
AllowOSCalls = 0
DirsAllowed = {directory}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 1
MaxClientConnections = 8

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {directory}
ServerThreads = 8
MaxClientConnections = 8
EnabledDavVSP = 0
HTTPProxyEnabled = 0

[SPARQL]
ResultSetMaxRows = {result_max_rows}
MaxQueryExecutionTime = {QUERY_TIME_LIMIT_S}
MaxQueryCostEstimationTime = 0
"""


def isql(sql_port: int, password: str, script: str) -> str:
    """Run SQL statements through ``isql-vt`` as ``dba``; fail on any error it reports."""
    done = subprocess.run(
        [ISQL, f"127.0.0.1:{sql_port}", "dba", password, "VERBOSE=OFF", "ERRORS=STDOUT"],
        input=script.encode(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    out = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
    if done.returncode != 0 or "*** Error" in out:
        raise RuntimeError(f"isql failed ({done.returncode}): {out.strip()}")
    return out


@contextmanager
def running_virtuoso(directory: Path, *, result_max_rows: int = 1_000_000) -> Iterator[Server]:
    """``virtuoso-t`` on free loopback ports with its database in ``directory``; skips when it cannot run."""
    if shutil.which(VIRTUOSO) is None or shutil.which(ISQL) is None:
        pytest.skip("Virtuoso is not installed (virtuoso-t, isql-vt: apt-get install virtuoso-opensource-7-bin)")
    sql_port, http_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(virtuoso_ini(directory, sql_port, http_port, result_max_rows=result_max_rows))
    output = directory / "virtuoso-t.out"
    with output.open("wb") as out:
        proc = subprocess.Popen(
            [VIRTUOSO, "+foreground", "+configfile", str(ini)],
            cwd=directory,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{http_port}"
    try:
        problem = _wait_ready(proc, f"{base}/sparql", "virtuoso-t", output)
        if problem is not None:
            pytest.skip(f"Virtuoso did not start: {problem}")
        dba_password, password = secrets.token_hex(12), secrets.token_hex(12)
        # a write account with only the SPARQL_UPDATE role (not dba, which may run any SQL), then
        # the default dba password replaced
        isql(
            sql_port,
            "dba",
            f"DB.DBA.USER_CREATE ('coprokg', '{password}');\n"
            'GRANT SPARQL_UPDATE TO "coprokg";\n'
            f"USER_SET_PASSWORD ('dba', '{dba_password}');\n",
        )
        yield Server(
            "virtuoso", base, f"{base}/sparql", f"{base}/sparql-auth", "coprokg", password, sql_port, dba_password
        )
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server
