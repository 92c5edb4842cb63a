"""Validation and classification for threaded callers (the HTTP service).

rdflib's SPARQL parser (pyparsing) is not thread-safe: pySHACL's SPARQL-based shapes parsed from
several threads at once fail inside pyparsing (seen under 8 concurrent writers as
``Param.postParse2() missing 1 required positional argument``). Every use of it from a server
thread goes through ``RDFLIB_LOCK``. The work is CPU-bound Python, so holding the lock costs no
throughput under the GIL.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coprokg.cases.load import LoadedCase
    from coprokg.classify import Classification
    from coprokg.validate import ValidationReport

RDFLIB_LOCK = threading.RLock()


def validate(loaded: LoadedCase) -> ValidationReport:
    """``validate_case`` under the lock."""
    from coprokg.validate import validate_case

    with RDFLIB_LOCK:
        return validate_case(loaded)


def classify(loaded: LoadedCase) -> Classification:
    """``default_classifier().classify`` under the lock."""
    from coprokg.classify import default_classifier

    with RDFLIB_LOCK:
        return default_classifier().classify(loaded)
