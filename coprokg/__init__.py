"""coprokg: a knowledge graph and OWL ontology of governance models for citizen coproduction.

The public surface: load a case, validate it against the SHACL shapes, classify it with the
ontology's axioms. Everything a user can get wrong raises a ``CoprokgError``.
"""

from coprokg.cases import Case, LoadedCase, load_case, load_case_text
from coprokg.classify import Classification, Classifier, classify_case
from coprokg.errors import CaseFormatError, CoprokgError, InputError, OntologyError
from coprokg.ontology import Ontology, default_ontology
from coprokg.validate import ValidationReport, validate_case

__version__ = "0.1.0"

__all__ = [
    "Case",
    "CaseFormatError",
    "Classification",
    "Classifier",
    "CoprokgError",
    "InputError",
    "LoadedCase",
    "Ontology",
    "OntologyError",
    "ValidationReport",
    "classify_case",
    "default_ontology",
    "load_case",
    "load_case_text",
    "validate_case",
]
