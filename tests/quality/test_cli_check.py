"""``coprokg check``: a short report and an exit status that CI can rely on.

Run through the installed console script, as a user or ``make check`` runs it. The reasoner is
skipped here (``--no-reasoner``) because test_checks.py runs HermiT on the real ontology already;
the OWL API does run, since it is what counts the axioms.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from coprokg.cli import EXIT_ERROR, EXIT_FAILED, EXIT_OK, main
from coprokg.paths import ontology_path
from coprokg.quality.checks import counts, load_graph

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "checks"
CPK = "https://w3id.org/coprokg/ontology#"
COPROKG = Path(sys.executable).with_name("coprokg")


def coprokg_check(*args: str) -> subprocess.CompletedProcess[str]:
    assert COPROKG.is_file(), f"console script not installed next to {sys.executable}"
    return subprocess.run(
        [str(COPROKG), "check", "--no-reasoner", *args], capture_output=True, text=True, timeout=300, check=False
    )


def reported_counts(line: str) -> dict[str, int]:
    """``"  classes: 96, object properties: 21, …"`` as a dict."""
    pairs = (item.rsplit(": ", 1) for item in line.strip().split(", "))
    return {name: int(number) for name, number in pairs}


def test_check_on_the_real_ontology_prints_counts_and_exits_0() -> None:
    done = coprokg_check()
    assert done.returncode == EXIT_OK, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == str(ontology_path())
    assert lines[-1] == "PASSED"
    shown = reported_counts(lines[1])
    expected = counts(load_graph(ontology_path()))
    for name in ("classes", "object properties", "data properties", "annotation properties", "individuals"):
        assert shown[name] == expected[name] > 0, name
    assert shown["axioms (OWL API)"] > shown["classes"]
    assert "  owl2-dl-profile (OWL API): ok" in lines


def test_check_on_a_fixture_with_a_violation_lists_it_and_exits_1() -> None:
    fixture = FIXTURES / "duplicate-notation.ttl"
    done = coprokg_check("--ontology", str(fixture))
    assert done.returncode == EXIT_FAILED, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == str(fixture)
    assert "classes: 5" in lines[1]
    assert "axioms (OWL API): " in lines[1]
    assert "  duplicate-notation: 2 error(s)" in lines
    assert f"    - {CPK}kind-individual-citizen" in lines
    assert f"    - {CPK}kind-public-agency" in lines
    # The failure is the notation's: the fixture is otherwise clean, for the OWL API too.
    assert "  owl2-dl-profile (OWL API): ok" in lines
    assert lines[-1] == "FAILED"


def test_check_on_a_missing_file_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.ttl"
    assert main(["check", "--no-reasoner", "--ontology", str(missing)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert str(missing) in err
