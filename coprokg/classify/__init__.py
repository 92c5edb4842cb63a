"""Ontology-driven classification of described cases, with explanations and near misses.

``coprokg.classify(case)`` classifies one case (this package is callable, as the design names
it); ``classify_case`` is the same function for code that prefers a plain import.

>>> import coprokg.classify
>>> coprokg.classify("tests/fixtures/buurt.json").power_transfer
'co-governance'
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

from coprokg.cases.load import LoadedCase, case_from_dict, load_case
from coprokg.cases.model import Case
from coprokg.classify.classifier import Classifier, default_classifier
from coprokg.classify.expressions import parse_expression, render
from coprokg.classify.result import Classification, Explanation, Membership, NearMiss, Reading


def classify_case(
    case: LoadedCase | Case | dict[str, Any] | Path | str, *, risks: bool = True, near_misses: bool = True
) -> Classification:
    """Classify a case given as a loaded case, a ``Case``, a JSON-shaped dict or a file path."""
    if isinstance(case, LoadedCase):
        loaded = case
    elif isinstance(case, Case):
        loaded = case_from_dict(case.model_dump(mode="json", exclude_none=True))
    elif isinstance(case, dict):
        loaded = case_from_dict(case)
    else:
        loaded = load_case(case)
    return default_classifier().classify(loaded, risks=risks, near_misses=near_misses)


class _CallablePackage(types.ModuleType):
    def __call__(self, case: Any, **options: Any) -> Classification:
        return classify_case(case, **options)


sys.modules[__name__].__class__ = _CallablePackage

__all__ = [
    "Classification",
    "Classifier",
    "Explanation",
    "Membership",
    "NearMiss",
    "Reading",
    "classify_case",
    "default_classifier",
    "parse_expression",
    "render",
]
