"""OWL 2 DL profile check with the OWL API, the checker Protégé users see.

The check itself is ``java/ProfileCheck.java``: it loads a Turtle ontology
with the OWL API from the Debian package ``libowlapi-java`` (imports resolved
offline only, through an optional Protégé/OASIS ``catalog-v001.xml``), runs
``OWL2DLProfile.checkOntology`` and prints one JSON object. This module
compiles it once, runs it with ``java`` and turns the JSON into an
:class:`OwlApiReport`.

Exit status of the Java program: 0 conforms, 1 does not conform (profile
violations, unparsed triples or missing imports), 2 the file cannot be loaded,
3 the OWL API crashed while checking.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from coprokg.errors import CoprokgError

__all__ = [
    "COMPILE_JARS",
    "DEBIAN_PACKAGES",
    "RUNTIME_JARS",
    "OntologyLoadError",
    "OwlApiError",
    "OwlApiReport",
    "OwlApiUnavailable",
    "ProfileViolation",
    "build_profile_checker",
    "check_owl_profile",
    "default_build_dir",
    "owlapi_classpath",
]

#: Where Debian installs its Java libraries (unversioned symlinks are used).
JAVA_SHARE_DIR = Path("/usr/share/java")

#: Jars ``javac`` needs for ProfileCheck.java.
COMPILE_JARS: tuple[str, ...] = (
    "owlapi-api.jar",
    "owlapi-apibinding.jar",
    "commons-rdf-api.jar",
)

#: Jars the check needs at run time (found by running it, not by guessing):
#: the OWL API core, its own Turtle parser (owlapi-parsers, not owlapi-rio),
#: their dependencies, and slf4j-jdk14 so that the "Unparsed triple" log lines
#: reach java.util.logging, where ProfileCheck captures them.
RUNTIME_JARS: tuple[str, ...] = (
    "owlapi-api.jar",
    "owlapi-apibinding.jar",
    "owlapi-impl.jar",
    "owlapi-parsers.jar",
    "commons-rdf-api.jar",
    "atinject-jsr330-api.jar",
    "caffeine.jar",
    "guava.jar",
    "hppcrt.jar",
    "commons-io.jar",
    "xz.jar",
    "slf4j-api.jar",
    "slf4j-jdk14.jar",
)

#: Debian packages providing RUNTIME_JARS (all pulled in by libowlapi-java).
DEBIAN_PACKAGES: tuple[str, ...] = (
    "libowlapi-java",
    "libcommons-rdf-java",
    "libatinject-jsr330-api-java",
    "libcaffeine-java",
    "libguava-java",
    "libhppcrt-java",
    "libcommons-io-java",
    "libxz-java",
    "libslf4j-java",
)

_SOURCE = Path(__file__).resolve().parent / "java" / "ProfileCheck.java"
_MAIN_CLASS = "ProfileCheck"

#: JVM options: a large thread stack for deeply nested RDF lists, a small GC.
_JVM_OPTIONS: tuple[str, ...] = (
    "-Xss16m",
    "-XX:+UseSerialGC",
    "-Djava.awt.headless=true",
)

EXIT_CONFORMS = 0
EXIT_NOT_CONFORMING = 1
EXIT_LOAD_ERROR = 2
EXIT_CHECK_CRASH = 3


class OwlApiUnavailable(CoprokgError):
    """java, javac or the OWL API jars from Debian are missing."""


class OwlApiError(CoprokgError):
    """The OWL API check failed to run or produced no usable report."""


class OntologyLoadError(OwlApiError):
    """The OWL API cannot load the ontology file (not Turtle, unreadable, ...)."""

    def __init__(self, message: str, *, source: Path) -> None:
        self.source = source
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class ProfileViolation:
    """One OWL2DLProfile violation, as the OWL API reports it."""

    type: str
    """Simple name of the violation class, e.g. ``UseOfUndeclaredClass``."""
    axiom: str | None
    """The offending axiom in OWL functional syntax; None for ontology-level violations."""
    message: str
    """The violation's ``toString()``."""


@dataclass(frozen=True, slots=True)
class OwlApiReport:
    """What ProfileCheck printed. Counts are for the root ontology, without its imports."""

    ontology_iri: str | None
    version_iri: str | None
    axiom_count: int
    logical_axiom_count: int
    class_count: int
    object_property_count: int
    data_property_count: int
    annotation_property_count: int
    individual_count: int
    unparsed_triples: tuple[str, ...]
    """RDFParserMetaData unparsed triples; those of imported ontologies are prefixed ``[import IRI]``."""
    profile: str
    violations: tuple[ProfileViolation, ...]
    unparsed_triples_logged: tuple[str, ...] = ()
    """Leftover triples the OWL API only logs (they are not all in ``unparsed_triples``)."""
    missing_imports: tuple[str, ...] = ()
    """Imports that could not be resolved offline, each ``IRI (reason)``."""

    @property
    def conforms(self) -> bool:
        """True if the ontology is OWL 2 DL and nothing was dropped or left unresolved."""
        return not (self.violations or self.unparsed_triples or self.unparsed_triples_logged or self.missing_imports)

    @property
    def violation_types(self) -> frozenset[str]:
        return frozenset(v.type for v in self.violations)

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> OwlApiReport:
        """Builds a report from ProfileCheck's JSON; raises OwlApiError if it is malformed.

        >>> counts = dict.fromkeys(
        ...     ["axiom_count", "logical_axiom_count", "class_count",
        ...      "object_property_count", "data_property_count",
        ...      "annotation_property_count", "individual_count"], 0)
        >>> report = OwlApiReport.from_json({
        ...     "ontology_iri": "http://example.org/o", "version_iri": None, **counts,
        ...     "unparsed_triples": [], "profile": "OWL2_DL",
        ...     "violations": [{"type": "UseOfUndeclaredClass", "axiom": None,
        ...                     "message": "Use of undeclared class: <http://example.org/o#A>"}]})
        >>> report.conforms, sorted(report.violation_types)
        (False, ['UseOfUndeclaredClass'])
        """
        raw_violations = data.get("violations")
        if not isinstance(raw_violations, list):
            raise OwlApiError("ProfileCheck JSON: 'violations' is not a list")
        violations: list[ProfileViolation] = []
        for item in raw_violations:
            if not isinstance(item, dict):
                raise OwlApiError("ProfileCheck JSON: a violation is not an object")
            violations.append(
                ProfileViolation(
                    type=_str(item, "type"),
                    axiom=_opt_str(item, "axiom"),
                    message=_str(item, "message"),
                )
            )
        return cls(
            ontology_iri=_opt_str(data, "ontology_iri"),
            version_iri=_opt_str(data, "version_iri"),
            axiom_count=_int(data, "axiom_count"),
            logical_axiom_count=_int(data, "logical_axiom_count"),
            class_count=_int(data, "class_count"),
            object_property_count=_int(data, "object_property_count"),
            data_property_count=_int(data, "data_property_count"),
            annotation_property_count=_int(data, "annotation_property_count"),
            individual_count=_int(data, "individual_count"),
            unparsed_triples=_strs(data, "unparsed_triples"),
            profile=_str(data, "profile"),
            violations=tuple(violations),
            unparsed_triples_logged=_strs(data, "unparsed_triples_logged", required=False),
            missing_imports=_strs(data, "missing_imports", required=False),
        )


def _str(data: Mapping[str, object], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise OwlApiError(f"ProfileCheck JSON: {key!r} is not a string")
    return value


def _opt_str(data: Mapping[str, object], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise OwlApiError(f"ProfileCheck JSON: {key!r} is neither a string nor null")
    return value


def _int(data: Mapping[str, object], key: str) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise OwlApiError(f"ProfileCheck JSON: {key!r} is not an integer")
    return value


def _strs(data: Mapping[str, object], key: str, *, required: bool = True) -> tuple[str, ...]:
    value = data.get(key)
    if value is None and not required:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise OwlApiError(f"ProfileCheck JSON: {key!r} is not a list of strings")
    return tuple(str(v) for v in value)


# ---------------------------------------------------------------- environment


def default_build_dir() -> Path:
    """``$COPROKG_BUILD_DIR/owlapi`` if that variable is set, else ``<repo>/.build/owlapi``."""
    env = os.environ.get("COPROKG_BUILD_DIR")
    if env:
        return Path(env) / "owlapi"
    return Path(__file__).resolve().parents[2] / ".build" / "owlapi"


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise OwlApiUnavailable(
            f"{name} not found on PATH; the OWL API profile check needs a JDK "
            "(Debian: apt-get install default-jdk-headless)"
        )
    return found


def _jars(names: Sequence[str]) -> list[Path]:
    jars = [JAVA_SHARE_DIR / name for name in names]
    missing = [jar.name for jar in jars if not jar.is_file()]
    if missing:
        raise OwlApiUnavailable(
            f"OWL API jars missing from {JAVA_SHARE_DIR}: {', '.join(missing)} "
            f"(Debian: apt-get install {' '.join(DEBIAN_PACKAGES)})"
        )
    return jars


def owlapi_classpath() -> list[Path]:
    """The run-time jars, checked to exist; raises OwlApiUnavailable otherwise."""
    return _jars(RUNTIME_JARS)


# ---------------------------------------------------------------- build


def compile_java(source: Path, build_dir: Path) -> Path:
    """Compiles ``source`` (a program against the OWL API) into ``build_dir``; returns its main class file.

    Nothing is done if that class file is newer than the source. Classes are
    compiled into a private folder and moved in, the main class last, so
    concurrent builds never expose a half-written set.
    """
    class_file = build_dir / f"{source.stem}.class"
    if not source.is_file():
        raise OwlApiUnavailable(f"Java source missing: {source}")
    if class_file.is_file() and class_file.stat().st_mtime > source.stat().st_mtime:
        return class_file
    javac = _tool("javac")
    classpath = os.pathsep.join(str(j) for j in _jars(COMPILE_JARS))
    build_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".javac-", dir=build_dir))
    try:
        command = [javac, "-encoding", "UTF-8", "-nowarn", "-cp", classpath, "-d", str(staging), str(source)]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise OwlApiError(f"javac failed on {source}: {_tail(result.stderr or result.stdout)}")
        compiled = sorted(staging.glob("*.class"), key=lambda p: p.name == class_file.name)
        for produced in compiled:
            os.replace(produced, build_dir / produced.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if not class_file.is_file():
        raise OwlApiError(f"javac produced no {class_file.name} in {build_dir}")
    return class_file


def build_profile_checker(build_dir: Path) -> Path:
    """Compiles ProfileCheck.java into ``build_dir``; returns the ``ProfileCheck.class`` path."""
    return compile_java(_SOURCE, build_dir)


# ---------------------------------------------------------------- check


def check_owl_profile(
    ontology: Path,
    catalog: Path | None = None,
    *,
    build_dir: Path | None = None,
    timeout: float = 600.0,
) -> OwlApiReport:
    """Loads ``ontology`` (Turtle) with the OWL API and checks it against the OWL 2 DL profile.

    Imports are resolved through ``catalog`` (a Protégé ``catalog-v001.xml``)
    or from ``file:`` IRIs, never over the network; unresolved ones are listed
    in ``missing_imports``.

    Raises OwlApiUnavailable (no java/javac/jars), OntologyLoadError (the file
    cannot be loaded; its name is in the message) or OwlApiError (anything
    else that leaves no report).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     tiny = Path(tmp) / "tiny.ttl"
    ...     _ = tiny.write_text(
    ...         "@prefix owl: <http://www.w3.org/2002/07/owl#> . "
    ...         "<http://example.org/tiny> a owl:Ontology . "
    ...         "<http://example.org/tiny#Sample> a owl:Class ."
    ...     )
    ...     report = check_owl_profile(tiny, build_dir=Path(tmp) / "build")
    >>> report.conforms, report.ontology_iri, report.class_count
    (True, 'http://example.org/tiny', 1)
    """
    java = _tool("java")
    classpath = owlapi_classpath()
    class_file = build_profile_checker(build_dir if build_dir is not None else default_build_dir())
    if not ontology.is_file():
        raise OntologyLoadError(f"cannot load {ontology}: no such file", source=ontology)
    if catalog is not None and not catalog.is_file():
        raise OwlApiError(f"cannot read catalog {catalog}: no such file")
    command = [
        java,
        *_JVM_OPTIONS,
        "-cp",
        os.pathsep.join([str(class_file.parent), *(str(j) for j in classpath)]),
        _MAIN_CLASS,
        str(ontology),
    ]
    if catalog is not None:
        command.append(str(catalog))
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        raise OwlApiError(f"OWL API profile check of {ontology} timed out after {timeout:g} s") from exc

    if result.returncode == EXIT_LOAD_ERROR:
        message = _tail(result.stderr) or f"cannot load {ontology}"
        if ontology.name not in message:
            message = f"{ontology}: {message}"
        raise OntologyLoadError(message, source=ontology)
    if result.returncode not in (EXIT_CONFORMS, EXIT_NOT_CONFORMING):
        raise OwlApiError(
            f"OWL API profile check of {ontology} failed (exit {result.returncode}): "
            f"{_tail(result.stderr) or 'no message'}"
        )
    try:
        data = json.loads(result.stdout)
    except json.JSONDecodeError as exc:
        raise OwlApiError(
            f"OWL API profile check of {ontology} printed no JSON (exit {result.returncode}): "
            f"{_tail(result.stderr) or _tail(result.stdout) or 'no output'}"
        ) from exc
    if not isinstance(data, dict):
        raise OwlApiError(f"OWL API profile check of {ontology} printed JSON that is not an object")
    report = OwlApiReport.from_json(data)
    if report.conforms != (result.returncode == EXIT_CONFORMS):
        raise OwlApiError(f"OWL API profile check of {ontology}: exit {result.returncode} contradicts its report")
    return report


def _tail(text: str) -> str:
    """The last non-empty line of a tool's output."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""
