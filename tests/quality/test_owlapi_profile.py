"""OWL API (OWL 2 DL profile) check, run for real with java and the Debian jars.

Nothing here is skipped: without java, javac or libowlapi-java these tests fail
with OwlApiUnavailable, which is the point.
"""

from __future__ import annotations

import doctest
import os
import re
import shutil
from pathlib import Path

import pytest

from coprokg.errors import CoprokgError
from coprokg.quality import owlapi
from coprokg.quality.owlapi import (
    OntologyLoadError,
    OwlApiReport,
    OwlApiUnavailable,
    ProfileViolation,
    build_profile_checker,
    check_owl_profile,
    default_build_dir,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Compiles ProfileCheck once for the module, outside the repository."""
    directory = tmp_path_factory.mktemp("owlapi-build")
    build_profile_checker(directory)
    return directory


def check(name: str, build_dir: Path, catalog: str | None = None) -> OwlApiReport:
    return check_owl_profile(
        FIXTURES / name,
        FIXTURES / catalog if catalog is not None else None,
        build_dir=build_dir,
    )


def test_java_toolchain_and_jars_are_installed() -> None:
    assert shutil.which("java"), "java is missing: the OWL API check cannot run"
    assert shutil.which("javac"), "javac is missing: ProfileCheck.java cannot be compiled"
    assert all(jar.is_file() for jar in owlapi.owlapi_classpath())


def test_docstring_examples() -> None:
    results = doctest.testmod(owlapi, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert results.attempted >= 2
    assert results.failed == 0


def test_valid_ontology_conforms_to_owl2_dl(build_dir: Path) -> None:
    report = check("valid_dl.ttl", build_dir)
    assert report.conforms, report
    assert report.violations == ()
    assert report.unparsed_triples == ()
    assert report.unparsed_triples_logged == ()
    assert report.missing_imports == ()
    assert report.profile == "OWL2_DL"
    assert report.ontology_iri == "http://example.org/coprokg/test/valid"
    assert report.version_iri == "http://example.org/coprokg/test/valid/1.0"
    assert report.class_count == 3
    assert report.object_property_count == 1
    assert report.data_property_count == 1
    assert report.individual_count == 2
    assert report.annotation_property_count == 1  # rdfs:label
    assert 0 < report.logical_axiom_count < report.axiom_count


def test_non_simple_property_in_cardinality_restriction_is_not_dl(
    build_dir: Path,
) -> None:
    report = check("not_dl_nonsimple_cardinality.ttl", build_dir)
    assert not report.conforms
    assert report.violation_types == {"UseOfNonSimplePropertyInCardinalityRestriction"}
    (violation,) = report.violations
    assert isinstance(violation, ProfileViolation)
    assert violation.axiom is not None
    assert "ObjectMaxCardinality(1 <http://example.org/coprokg/test/notdl#partOf>" in violation.axiom
    assert "non-simple property" in violation.message
    assert report.unparsed_triples == ()


def test_object_property_used_with_a_literal_is_illegal_punning(
    build_dir: Path,
) -> None:
    report = check("not_dl_object_property_as_data.ttl", build_dir)
    assert not report.conforms
    assert "IllegalPunning" in report.violation_types
    punning = [v for v in report.violations if v.type == "IllegalPunning"]
    assert any("collectedFrom" in v.message for v in punning)


def test_unparsed_triple_is_reported_and_fails(build_dir: Path) -> None:
    report = check("unparsed_triple.ttl", build_dir)
    # The profile alone passes: the broken triple was dropped before the check.
    assert report.violations == ()
    assert not report.conforms
    assert len(report.unparsed_triples) == 1
    (triple,) = report.unparsed_triples
    assert "<http://www.w3.org/2002/07/owl#AllDisjointClasses>" in triple


def test_leftover_triple_only_logged_by_owlapi_is_reported(build_dir: Path) -> None:
    report = check("dropped_triple.ttl", build_dir)
    assert not report.conforms
    # RDFParserMetaData misses it; the captured OWL API log line does not.
    assert report.unparsed_triples == ()
    assert any("owl#someValuesFrom" in t for t in report.unparsed_triples_logged)
    # The OWL API put an error class in place of the restriction.
    assert "UseOfUndeclaredClass" in report.violation_types
    assert any("http://org.semanticweb.owlapi/error#" in v.message for v in report.violations)


def test_file_that_is_not_turtle_raises_load_error(build_dir: Path) -> None:
    with pytest.raises(OntologyLoadError) as info:
        check("not_turtle.ttl", build_dir)
    assert isinstance(info.value, CoprokgError)
    assert "not_turtle.ttl" in str(info.value)
    assert info.value.source == FIXTURES / "not_turtle.ttl"


def test_missing_file_raises_load_error(build_dir: Path) -> None:
    with pytest.raises(OntologyLoadError, match=re.escape("no_such_file.ttl")):
        check("no_such_file.ttl", build_dir)


def test_import_resolved_through_catalog(build_dir: Path) -> None:
    report = check("imports_valid.ttl", build_dir, catalog="imports_catalog.xml")
    assert report.conforms, report
    assert report.missing_imports == ()
    assert report.ontology_iri == "http://example.org/coprokg/test/importer"
    assert report.class_count == 2  # own signature only: BiopsySample, v:Sample


def test_import_without_catalog_stays_offline_and_fails(build_dir: Path) -> None:
    report = check("imports_valid.ttl", build_dir)
    assert not report.conforms
    (missing,) = report.missing_imports
    assert missing.startswith("http://example.org/coprokg/test/valid ")
    assert "network access is disabled" in missing
    # v:Sample is then undeclared, which OWL 2 DL forbids.
    assert "UseOfUndeclaredClass" in report.violation_types


def test_build_is_skipped_when_class_is_newer(build_dir: Path) -> None:
    class_file = build_profile_checker(build_dir)
    assert class_file == build_dir / "ProfileCheck.class"
    before = class_file.stat().st_mtime_ns
    assert build_profile_checker(build_dir).stat().st_mtime_ns == before


def test_build_reruns_when_class_is_older_than_source(tmp_path: Path) -> None:
    class_file = build_profile_checker(tmp_path)
    os.utime(class_file, (0, 0))
    rebuilt = build_profile_checker(tmp_path)
    assert rebuilt.stat().st_mtime > 0
    assert not list(tmp_path.glob(".javac-*")), "staging folder left behind"


def test_default_build_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("COPROKG_BUILD_DIR", raising=False)
    repo = Path(owlapi.__file__).resolve().parents[2]
    assert default_build_dir() == repo / ".build" / "owlapi"
    monkeypatch.setenv("COPROKG_BUILD_DIR", str(tmp_path))
    assert default_build_dir() == tmp_path / "owlapi"


def test_missing_jars_raise_owlapi_unavailable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, build_dir: Path
) -> None:
    monkeypatch.setattr(owlapi, "JAVA_SHARE_DIR", tmp_path)
    with pytest.raises(OwlApiUnavailable, match=re.escape("owlapi-api.jar")) as info:
        check("valid_dl.ttl", build_dir)
    assert isinstance(info.value, CoprokgError)


def test_missing_java_raises_owlapi_unavailable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, build_dir: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(OwlApiUnavailable, match="java"):
        check("valid_dl.ttl", build_dir)
