"""Case descriptions: the format, loading, vocabulary resolution and the way to and from RDF."""

from coprokg.cases.convert import case_to_graph, graph_to_case, resolve_case
from coprokg.cases.limits import CaseLimits, decode_text
from coprokg.cases.load import MEDIA_TYPES, LoadedCase, case_from_dict, case_from_json, load_case, load_case_text
from coprokg.cases.model import Case

__all__ = [
    "MEDIA_TYPES",
    "Case",
    "CaseLimits",
    "LoadedCase",
    "case_from_dict",
    "case_from_json",
    "case_to_graph",
    "decode_text",
    "graph_to_case",
    "load_case",
    "load_case_text",
    "resolve_case",
]
