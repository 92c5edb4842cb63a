"""Deliberately broken cases (tests/cases/broken/) give exactly the expected error or results.

``broken/expected.json`` maps each fixture to either ``error`` (the one-line ``str()`` of the
``CaseFormatError``, ``{file}`` standing for the path, plus the error's fields where they matter)
or ``results`` (the exact ``[severity, field, message]`` list of the validation report). An entry
with ``bug`` states the right behaviour of a known defect and runs as a strict xfail, so it turns
red once the defect is fixed and the marker can go.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from coprokg.cases import load_case
from coprokg.cli import EXIT_ERROR, EXIT_FAILED, EXIT_OK, main
from coprokg.errors import CaseFormatError
from coprokg.validate import validate_case

BROKEN = Path(__file__).resolve().parent / "broken"
EXPECTED: dict[str, dict[str, Any]] = json.loads((BROKEN / "expected.json").read_text(encoding="utf-8"))
NAMES = sorted(EXPECTED)


def _expected(name: str, request: pytest.FixtureRequest) -> dict[str, Any]:
    entry = EXPECTED[name]
    if "bug" in entry:
        request.applymarker(pytest.mark.xfail(strict=True, reason=entry["bug"]))
    return entry


def _error_line(entry: dict[str, Any], path: Path) -> str:
    return str(entry["error"]).replace("{file}", str(path))


def _exit_code(entry: dict[str, Any]) -> int:
    if "error" in entry:
        return EXIT_ERROR
    return EXIT_FAILED if any(sev == "Violation" for sev, _, _ in entry["results"]) else EXIT_OK


def test_every_fixture_has_an_expectation() -> None:
    fixtures = {p.name for p in BROKEN.iterdir() if p.name != "expected.json"}
    assert fixtures == set(EXPECTED)
    assert all(("error" in e) != ("results" in e) for e in EXPECTED.values())
    assert sum(name.endswith(".ttl") for name in EXPECTED) >= 2


@pytest.mark.parametrize("name", NAMES)
def test_broken_case_gives_exactly_the_expected_outcome(name: str, request: pytest.FixtureRequest) -> None:
    entry = _expected(name, request)
    path = BROKEN / name
    if "error" in entry:
        with pytest.raises(CaseFormatError) as caught:
            load_case(path)
        error = caught.value
        assert str(error) == _error_line(entry, path)
        assert error.source == str(path)
        for key in ("field", "line", "column"):
            if key in entry:
                assert getattr(error, key) == entry[key], key
        if "allowed" in entry:
            assert list(error.allowed or ()) == entry["allowed"]
    else:
        report = validate_case(load_case(path))
        assert [[r.severity.value, r.field, r.message] for r in report.results] == entry["results"]
        assert report.conforms is (_exit_code(entry) != EXIT_FAILED)


@pytest.mark.parametrize("name", NAMES)
def test_cli_reports_broken_case(name: str, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]) -> None:
    entry = _expected(name, request)
    path = BROKEN / name
    code = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert code == _exit_code(entry)
    if "error" in entry:
        assert out == ""
        assert err == _error_line(entry, path) + "\n", "one readable line on stderr"
        return
    assert err == ""
    lines = out.splitlines()
    violations = sum(sev == "Violation" for sev, _, _ in entry["results"])
    status = "DOES NOT CONFORM" if violations else "conforms"
    assert lines[0] == f"{path}: {status} ({violations} violations, {len(entry['results']) - violations} warnings)"
    patterns = [
        rf"  {sev}: {re.escape(str(path))}(:\d+:\d+)?: {re.escape(field + ': ' if field else '')}{re.escape(message)}"
        for sev, field, message in entry["results"]
    ]
    assert len(lines[1:]) == len(patterns)
    for line, pattern in zip(lines[1:], patterns, strict=True):
        assert re.fullmatch(pattern, line), line


def test_cli_syntax_error_names_file_line_and_column(capsys: pytest.CaptureFixture[str]) -> None:
    for name, (line, column) in {"invalid-json-missing-comma.json": (4, 3), "ttl-syntax-error.ttl": (18, 28)}.items():
        path = BROKEN / name
        assert main(["validate", str(path)]) == EXIT_ERROR
        _, err = capsys.readouterr()
        assert err.count("\n") == 1
        assert err.startswith(f"{path}:{line}:{column}: invalid ")


def test_cli_worst_outcome_wins_over_several_files(capsys: pytest.CaptureFixture[str]) -> None:
    files = [BROKEN / "ttl-reference-valid.ttl", BROKEN / "missing-title.json", BROKEN / "unknown-field.json"]
    assert main(["validate", *map(str, files[:2])]) == EXIT_FAILED
    capsys.readouterr()
    assert main(["validate", *map(str, files)]) == EXIT_ERROR
    out, err = capsys.readouterr()
    assert f"{files[0]}: conforms" in out and f"{files[1]}: DOES NOT CONFORM" in out
    assert err == _error_line(EXPECTED["unknown-field.json"], files[2]) + "\n"


def test_installed_command_exit_codes() -> None:
    """The console script itself, not only ``main``: 2 for unreadable input, 1 for a violation."""
    command = Path(sys.executable).with_name("coprokg")
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    syntax = subprocess.run(
        [command, "validate", BROKEN / "invalid-json-missing-comma.json"], capture_output=True, text=True, env=env
    )
    assert syntax.returncode == EXIT_ERROR
    assert syntax.stderr.splitlines() == [
        _error_line(EXPECTED["invalid-json-missing-comma.json"], BROKEN / "invalid-json-missing-comma.json")
    ]
    violation = subprocess.run([command, "validate", BROKEN / "missing-title.json"], capture_output=True, text=True)
    assert violation.returncode == EXIT_FAILED
    assert "the case has no title (field 'title')" in violation.stdout
