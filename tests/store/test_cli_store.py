"""``coprokg load``, ``export`` and ``query`` on an embedded store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from coprokg.cli import main
from coprokg.paths import cases_dir

pytest_plugins = ["storekit"]


def test_load_export_query(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    shutil.copy(cases_dir() / "buurt-bestuurt-rotterdam.json", cases)
    store = str(tmp_path / "store")
    assert main(["load", "--store", store, "--cases", str(cases)]) == 0
    assert "3 loaded" in capsys.readouterr().out
    assert main(["load", "--store", store, "--cases", str(cases)]) == 0
    assert "0 loaded, 3 unchanged" in capsys.readouterr().out

    out = tmp_path / "dump.nq"
    assert main(["export", "--store", store, "-o", str(out)]) == 0
    quads = list(ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS))
    assert any(q.graph_name.value.endswith("/case/buurt-bestuurt-rotterdam") for q in quads)  # type: ignore[union-attr]

    query = "SELECT ?level WHERE { ?c <https://w3id.org/coprokg/record#powerTransferLevel> ?level }"
    assert main(["query", "--store", store, "--format", "csv", query]) == 0
    assert capsys.readouterr().out.splitlines() == ["level", "co-governance"]

    assert main(["query", "--store", store, "SELECT * WHERE { ?s ?p }"]) == 2
    assert "<query>:1:" in capsys.readouterr().err


def test_load_reports_a_bad_case_and_loads_the_rest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    shutil.copy(cases_dir() / "buurt-bestuurt-rotterdam.json", cases)
    (cases / "broken.json").write_text('{"id": "broken", "participations": [ {"actor": ')
    assert main(["load", "--store", str(tmp_path / "store"), "--cases", str(cases)]) == 1
    captured = capsys.readouterr()
    assert "broken.json" in captured.err and "1 failed" in captured.out
