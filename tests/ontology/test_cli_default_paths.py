"""``coprokg normalize`` and ``coprokg check`` default to ./ontology/coprod.ttl (issue 15).

Run from another checkout, ``coprokg normalize`` used to rewrite the ontology of the checkout the
package was installed from. These tests run the installed console script, as a user does, from a
temporary copy of the project's ``ontology/`` folder and check that only the copy is touched; from
a folder without an ontology the commands exit 2 with one line that says so.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coprokg.cli import EXIT_ERROR, EXIT_FAILED, EXIT_OK
from coprokg.paths import ontology_path

COPROKG = Path(sys.executable).with_name("coprokg")
CHECK_FIXTURES = Path(__file__).resolve().parents[1] / "quality" / "fixtures" / "checks"


def coprokg(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert COPROKG.is_file(), f"console script not installed next to {sys.executable}"
    return subprocess.run([str(COPROKG), *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "other-checkout"
    shutil.copytree(ontology_path().parent, copy / "ontology")
    return copy


def test_normalize_without_argument_rewrites_the_current_directorys_file_only(project_copy: Path) -> None:
    own = ontology_path()
    own_before = digest(own), own.stat().st_mtime_ns
    target = project_copy / "ontology" / "coprod.ttl"
    committed = target.read_text(encoding="utf-8")
    # Same graph, another layout: the owl:Ontology block moved to the end (valid Turtle, not normalised).
    blocks = committed.rstrip("\n").split("\n\n")
    target.write_text("\n\n".join([blocks[0], *blocks[2:], blocks[1]]) + "\n", encoding="utf-8")

    checked = coprokg(project_copy, "normalize", "--check")
    assert checked.returncode == EXIT_FAILED, checked.stdout + checked.stderr
    assert f"{target}: not normalised" in checked.stderr

    done = coprokg(project_copy, "normalize")
    assert done.returncode == EXIT_OK, done.stdout + done.stderr
    assert done.stdout == f"{target}: rewritten\n"
    assert target.read_text(encoding="utf-8") == committed
    assert (digest(own), own.stat().st_mtime_ns) == own_before  # the installed checkout's file is untouched

    again = coprokg(project_copy, "normalize")
    assert again.stdout == f"{target}: unchanged\n"


def test_check_without_ontology_checks_the_current_directorys_file(project_copy: Path) -> None:
    target = project_copy / "ontology" / "coprod.ttl"
    shutil.copyfile(CHECK_FIXTURES / "duplicate-notation.ttl", target)
    done = coprokg(project_copy, "check", "--no-reasoner")
    assert done.returncode == EXIT_FAILED, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == str(target)
    assert "  duplicate-notation: 2 error(s)" in lines


@pytest.mark.parametrize("command", [["normalize"], ["normalize", "--check"], ["check", "--no-reasoner"]])
def test_without_an_ontology_here_the_cli_exits_2_with_one_line(command: list[str], tmp_path: Path) -> None:
    own_before = digest(ontology_path())
    done = coprokg(tmp_path, *command)
    assert done.returncode == EXIT_ERROR, done.stdout + done.stderr
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"coprokg: {tmp_path}: no ontology/coprod.ttl in this directory")
    assert digest(ontology_path()) == own_before
