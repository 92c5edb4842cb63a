"""SPARQL for the service: what is refused (``safety``), formats and negotiation (``formats``),
capped result writers (``results``), the time-limited query workers (``pool``, ``worker``), what
is read from query text without parsing it (``syntax``) and the prefixes coprokg knows
(``prefixes``).

Kept free of heavy imports: query worker processes import from here at start-up.
"""

from coprokg.sparql import formats
from coprokg.sparql.formats import GRAPH_FORMATS, SOLUTION_FORMATS, media_type_of, negotiate
from coprokg.sparql.prefixes import known_prefixes
from coprokg.sparql.results import PREFIXES, XSD_STRING, write_graph

__all__ = [
    "GRAPH_FORMATS",
    "PREFIXES",
    "SOLUTION_FORMATS",
    "XSD_STRING",
    "formats",
    "known_prefixes",
    "media_type_of",
    "negotiate",
    "write_graph",
]
