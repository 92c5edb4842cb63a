"""The prefixes people use with coprokg's data: the service's own (``PREFIXES``, used when it writes
Turtle) and those the ontology declares (read from ``ontology/coprod.ttl``, so a prefix added in
Protégé is known here too). The SPARQL page preloads them and a query that uses one of them
without declaring it is told the declaration to add.
"""

from __future__ import annotations

from functools import lru_cache

from coprokg.errors import OntologyError
from coprokg.paths import ontology_path
from coprokg.sparql.results import PREFIXES
from coprokg.turtle import turtle_prefixes


@lru_cache(maxsize=1)
def known_prefixes() -> dict[str, str]:
    """Prefix -> namespace: coprokg's own first (``cpk``, ``cpkr``), then the rest by name.

    >>> prefixes = known_prefixes()
    >>> list(prefixes)[:2], prefixes["prov"]
    (['cpk', 'cpkr'], 'http://www.w3.org/ns/prov#')
    """
    try:
        declared = turtle_prefixes(ontology_path())
    except OntologyError:
        declared = {}
    merged = {**declared, **PREFIXES}
    own = [p for p in ("cpk", "cpkr") if p in merged]
    return {p: merged[p] for p in own + sorted(p for p in merged if p not in own)}
