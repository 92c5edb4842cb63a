"""``coprokg query`` on the store a running service holds: one line saying to ask ``/sparql``, exit 2."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from apikit import LiveServer

from coprokg.paths import cases_dir

BUURT = "buurt-bestuurt-rotterdam"
QUERY = "SELECT ?level WHERE { ?c <https://w3id.org/coprokg/record#powerTransferLevel> ?level }"


def coprokg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coprokg.cli", *args], capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def one_case_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("cli-serving")
    cases = base / "cases"
    cases.mkdir()
    shutil.copy(cases_dir() / f"{BUURT}.json", cases)
    store = base / "store"
    loaded = coprokg("load", "--store", str(store), "--cases", str(cases))
    assert loaded.returncode == 0, loaded.stderr
    return store


def test_query_while_the_service_runs_says_to_use_sparql(one_case_store: Path) -> None:
    alone = coprokg("query", "--store", str(one_case_store), "--format", "csv", QUERY)
    assert alone.returncode == 0 and alone.stdout.splitlines() == ["level", "co-governance"], alone.stderr

    server = LiveServer(one_case_store)
    server.start()
    try:
        note = json.loads(Path(f"{one_case_store}.serving.json").read_text(encoding="utf-8"))
        assert note["url"] == server.url

        held = coprokg("query", "--store", str(one_case_store), "--format", "csv", QUERY)
        assert held.returncode == 2 and held.stdout == ""
        lines = held.stderr.splitlines()
        assert len(lines) == 1, held.stderr
        assert f"in use by the service at {server.url}" in lines[0]
        curl = lines[0].split("instead: ", 1)[1]
        assert curl.startswith(f"curl -G {server.url}/sparql ")

        # the command it suggests answers the query, through the running service
        if shutil.which("curl"):
            answer = subprocess.run([*shlex.split(curl), "--silent", "--show-error"], capture_output=True, text=True)
            assert answer.returncode == 0, answer.stderr
            assert answer.stdout.splitlines() == ["level", "co-governance"]

        # a query from a file: the curl command reads the same file
        query_file = one_case_store.parent / "level.rq"
        query_file.write_text(QUERY + "\n", encoding="utf-8")
        from_file = coprokg("query", "--store", str(one_case_store), "--file", str(query_file))
        assert from_file.returncode == 2
        assert f"--data-urlencode query@{query_file}" in from_file.stderr

        # the refusal touched nothing: the service still answers
        assert httpx.get(f"{server.url}/cases/{BUURT}", timeout=10).status_code == 200
    finally:
        server.stop()
    assert not Path(f"{one_case_store}.serving.json").exists()  # the service removed its note on the way out
    again = coprokg("query", "--store", str(one_case_store), "--format", "csv", QUERY)
    assert again.returncode == 0 and again.stdout.splitlines() == ["level", "co-governance"]


def test_a_note_left_by_a_killed_service_is_not_believed(tmp_path: Path, one_case_store: Path) -> None:
    """``kill -9`` leaves the note behind; a process that no longer runs is not named as the service."""
    store = tmp_path / "store"
    shutil.copytree(one_case_store, store)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    note = {"url": "http://127.0.0.1:1", "pid": int(gone.stdout)}
    Path(f"{store}.serving.json").write_text(json.dumps(note), encoding="utf-8")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import pyoxigraph; s = pyoxigraph.Store({str(store)!r}); print('held', flush=True); input()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        held = coprokg("query", "--store", str(store), QUERY)
        assert held.returncode == 2 and len(held.stderr.splitlines()) == 1, held.stderr
        assert "in use by another process" in held.stderr and "127.0.0.1:1/" not in held.stderr
        assert "curl -G http://127.0.0.1:8000/sparql" in held.stderr
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
