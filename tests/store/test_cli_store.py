"""``coprokg load``, ``export`` and ``query`` on an embedded store."""

from __future__ import annotations

import csv
import json
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
    assert capsys.readouterr().err.startswith("<query>:1:25: syntax error, expected")
    assert main(["query", "--store", store, "SELECT ?c WHERE { ?c a cpk:Case }"]) == 2
    assert capsys.readouterr().err == (
        "<query>:1:24: the prefix 'cpk:' is not declared; add PREFIX cpk: <https://w3id.org/coprokg/ontology#>\n"
    )


def test_load_reports_a_bad_case_and_loads_the_rest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    shutil.copy(cases_dir() / "buurt-bestuurt-rotterdam.json", cases)
    (cases / "broken.json").write_text('{"id": "broken", "participations": [ {"actor": ')
    assert main(["load", "--store", str(tmp_path / "store"), "--cases", str(cases)]) == 1
    captured = capsys.readouterr()
    assert "broken.json" in captured.err and "1 failed" in captured.out


def test_export_table_codebook_and_jsonld(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    shutil.copy(cases_dir() / "buurt-bestuurt-rotterdam.json", cases)
    store = str(tmp_path / "store")
    assert main(["load", "--store", store, "--cases", str(cases)]) == 0
    capsys.readouterr()

    table = tmp_path / "cases.csv"
    assert main(["export", "--store", store, "--format", "csv", "-o", str(table)]) == 0
    with table.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 7 and {r["case_id"] for r in rows} == {"buurt-bestuurt-rotterdam"}
    assert {r["power_transfer"] for r in rows} == {"co-governance"}
    assert ("residents", "commissioning", "co-decides") in {(r["actor_id"], r["stage"], r["decision"]) for r in rows}

    # the codebook needs no store
    assert main(["export", "--format", "codebook-md"]) == 0
    assert "## decision" in capsys.readouterr().out
    assert main(["export", "--format", "codebook-csv"]) == 0
    assert capsys.readouterr().out.startswith("position,column,type,meaning,term,value_class,value,")

    dump = tmp_path / "dump.jsonld"
    assert main(["export", "--store", store, "--format", "jsonld", "-o", str(dump)]) == 0
    quads = list(ox.parse(path=str(dump), format=ox.RdfFormat.JSON_LD))
    assert any(q.graph_name.value.endswith("/case/buurt-bestuurt-rotterdam") for q in quads)  # type: ignore[union-attr]


def test_cases_command_finds_as_the_api_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`coprokg cases` asks the store's one find_cases: narrower domains, words, sorting, the total."""
    from coprokg.cli import main

    store = tmp_path / "store"
    assert main(["load", "--store", str(store)]) == 0
    capsys.readouterr()
    assert main(["cases", "--store", str(store), "--domain", "public-safety", "--sort", "id", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    ids = [item["id"] for item in found["items"]]
    assert found["total"] == len(ids) and ids == sorted(ids)
    assert "buurt-bestuurt-rotterdam" in ids and any(i["domain"] == "police-services" for i in found["items"])
    assert main(["cases", "--store", str(store), "participatory budget", "--json"]) == 0
    budgets = {item["id"] for item in json.loads(capsys.readouterr().out)["items"]}
    assert "porto-alegre-participatory-budgeting" in budgets and "buurt-bestuurt-rotterdam" not in budgets
    assert main(["cases", "--store", str(store), "--level", "co-everything"]) == 2
    assert "allowed" in capsys.readouterr().err
