"""A Protégé save without Protégé: load a Turtle ontology with the OWL API and save it as Turtle.

The program is ``java/RoundTrip.java``, compiled and run like ``ProfileCheck.java`` (see
:mod:`coprokg.quality.owlapi`): against the Debian OWL API jars in ``/usr/share/java``, into the
same build folder. It saves in ``TurtleDocumentFormat`` with the loaded document's prefixes, as
Protégé does, optionally after adding axioms (:class:`AddComment`, :class:`AddSubClassOf`). The
tests use it to check that an unedited save normalises back to the committed file byte for byte.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from coprokg.quality.owlapi import (
    _JVM_OPTIONS,
    OntologyLoadError,
    OwlApiError,
    _tail,
    _tool,
    compile_java,
    default_build_dir,
    owlapi_classpath,
)

__all__ = ["AddComment", "AddSubClassOf", "Edit", "build_round_trip", "owlapi_save_as_turtle"]

_SOURCE = Path(__file__).resolve().parent / "java" / "RoundTrip.java"
_MAIN_CLASS = "RoundTrip"
EXIT_SAVED = 0
EXIT_LOAD_ERROR = 2


@dataclass(frozen=True, slots=True)
class AddComment:
    """Add ``subject rdfs:comment "text"@en`` (an annotation assertion)."""

    subject: str
    text: str

    def args(self) -> list[str]:
        return ["--add-comment", self.subject, self.text]


@dataclass(frozen=True, slots=True)
class AddSubClassOf:
    """Add ``SubClassOf(sub super)`` between two named classes."""

    sub: str
    super: str

    def args(self) -> list[str]:
        return ["--add-subclass", self.sub, self.super]


Edit = AddComment | AddSubClassOf


def build_round_trip(build_dir: Path) -> Path:
    """Compiles RoundTrip.java into ``build_dir`` unless its class is newer; returns the class file."""
    return compile_java(_SOURCE, build_dir)


def owlapi_save_as_turtle(
    source: Path,
    target: Path,
    edits: Sequence[Edit] = (),
    *,
    build_dir: Path | None = None,
    timeout: float = 300.0,
) -> None:
    """Loads ``source`` with the OWL API, applies ``edits`` and saves it as Turtle to ``target``.

    Imports are not followed. Raises OwlApiUnavailable (no java/javac/jars), OntologyLoadError
    (``source`` cannot be loaded) or OwlApiError (the save failed).
    """
    java = _tool("java")
    classpath = owlapi_classpath()
    class_file = build_round_trip(build_dir if build_dir is not None else default_build_dir())
    command = [
        java,
        *_JVM_OPTIONS,
        "-cp",
        os.pathsep.join([str(class_file.parent), *(str(j) for j in classpath)]),
        _MAIN_CLASS,
        str(source),
        str(target),
        *(arg for edit in edits for arg in edit.args()),
    ]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, encoding="utf-8", errors="replace", check=False, timeout=timeout
        )
    except subprocess.TimeoutExpired as exc:
        raise OwlApiError(f"OWL API round trip of {source} timed out after {timeout:g} s") from exc
    if result.returncode == EXIT_LOAD_ERROR:
        raise OntologyLoadError(_tail(result.stderr) or f"cannot load {source}", source=source)
    if result.returncode != EXIT_SAVED or not target.is_file():
        raise OwlApiError(
            f"OWL API round trip of {source} failed (exit {result.returncode}): {_tail(result.stderr) or 'no message'}"
        )
