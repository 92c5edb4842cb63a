"""`coprokg classify`: readable summary, JSON, a table for a directory, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coprokg.cli import main


def test_summary_shows_level_reasons_roles_risks_and_near_misses(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", "tests/fixtures/buurt.json"]) == 0
    out = capsys.readouterr().out
    assert "power transfer: co-governance" in out
    assert "because co-governance ≡ " in out
    assert "role of actors[0] (Neighbourhood residents): " in out and "co-commissioner" in out
    assert "RISK: Neighbourhood residents contribute" in out
    assert "near miss: would be co-management if" in out


def test_json_output_is_the_library_result(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", "--format", "json", "tests/fixtures/buurt.json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["case_id"] == "buurt-bestuurt-rotterdam"
    assert data["power_transfer"] == "co-governance"
    assert data["levels"][0]["explanation"]["facts"]


def test_a_directory_gives_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", "--no-risks", "data/cases"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["case", "power", "transfer"]
    assert len(lines) == 1 + len(list(Path("data/cases").glob("*.json")))
    assert any(line.startswith("buurt-bestuurt-rotterdam") and "co-governance" in line for line in lines)


def test_bad_input_is_one_readable_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(Path("tests/fixtures/buurt.json").read_text().replace('"co-decides"', '"vetoes"'))
    assert main(["classify", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith(f"{bad}:")
    assert "participations[0].decision: unknown value 'vetoes' (allowed: " in err
