"""Which stored cases use each ontology term: two SPARQL queries for the whole ontology.

A term is used by a case in one of three ways:

* a **vocabulary value** (an individual with a ``skos:notation``: an actor kind, a stage, a decision
  right, a policy domain …) occurs in the case's own graph, the case as described;
* a **case class** (``cpk:CoGovernanceCase`` …) has the case as a member in its classification
  graph (``<case> a <class>``);
* an **actor class** (a citizen role such as ``cpk:CoproducerRole``) has one of the case's actors as
  a member in its classification graph.

``usage_sparql`` is one SELECT grouped by term (how many cases, and which) and one listing each
case's title and power-transfer level; ``GraphStore.term_usage`` runs them. ``cases_sparql`` is the
query a reader can run to list every case using one term, as the SPARQL editor shows it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from coprokg.namespaces import CPK, ONTOLOGY_GRAPH


class UsageKind(StrEnum):
    """How a case uses a term (see the module docstring)."""

    VALUE = "value"
    CASE_CLASS = "case-class"
    ACTOR_CLASS = "actor-class"


@dataclass(frozen=True)
class UsedCase:
    """A stored case as a list of cases names it."""

    id: str
    title: str | None
    level: str | None


@dataclass(frozen=True, eq=False)
class TermUsage:
    """The cases using each term (term IRI to case ids), how they use it, and every stored case.

    Compared and hashed by identity: a store hands out the same object until its next write, so a
    page can cache what it makes of one.
    """

    terms: Mapping[str, frozenset[str]] = field(default_factory=dict)
    kinds: Mapping[str, UsageKind] = field(default_factory=dict)
    cases: Mapping[str, UsedCase] = field(default_factory=dict)

    def cases_using(self, term: str) -> frozenset[str]:
        return self.terms.get(term, frozenset())

    def kind(self, term: str) -> UsageKind | None:
        return self.kinds.get(term)


def _literal(value: str) -> str:
    import pyoxigraph as ox

    return str(ox.Literal(value))


def usage_sparql(*, prefixes: str, case_graph_prefix: str) -> tuple[str, str]:
    """The SELECT grouped by term (count and IRIs of the cases using it) and the SELECT of every case's title and level.

    A case graph is the graph that holds a ``cpk:Case``; a classification graph is the one that
    holds a ``cpkr:powerTransferLevel``. Both are found by their content, not by string functions on
    graph names, which would cost a call per matching triple (5,000 and more for 150 cases).
    """
    namespace = _literal(str(CPK))
    by_term = f"""{prefixes}PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?term ?kind (COUNT(DISTINCT ?case) AS ?n) (GROUP_CONCAT(DISTINCT STR(?case); separator=" ") AS ?cases) WHERE {{
  {{
    GRAPH <{ONTOLOGY_GRAPH}> {{ ?term a owl:NamedIndividual ; skos:notation ?notation }}
    GRAPH ?g {{ ?node ?property ?term . ?case a cpk:Case }}
    BIND("{UsageKind.VALUE.value}" AS ?kind)
  }} UNION {{
    GRAPH ?cg {{ ?case cpkr:powerTransferLevel ?level . ?member a ?term }}
    FILTER(STRSTARTS(STR(?term), {namespace}))
    BIND(IF(?member = ?case, "{UsageKind.CASE_CLASS.value}", "{UsageKind.ACTOR_CLASS.value}") AS ?kind)
  }}
}} GROUP BY ?term ?kind"""
    cases = f"""{prefixes}SELECT ?id ?title ?level WHERE {{
  GRAPH ?g {{ ?case a cpk:Case ; dcterms:identifier ?id OPTIONAL {{ ?case dcterms:title ?title }} }}
  FILTER(STRSTARTS(STR(?g), {_literal(case_graph_prefix)}))
  OPTIONAL {{ GRAPH ?cg {{ ?case cpkr:powerTransferLevel ?level }} }}
}}"""
    return by_term, cases


_PLAIN_LOCAL = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def _term(iri: str) -> str:
    """A term as SPARQL: ``cpk:Name`` when that reads plainly, else the full IRI."""
    local = iri.removeprefix(str(CPK))
    return f"cpk:{local}" if local != iri and _PLAIN_LOCAL.match(local) else f"<{iri}>"


def cases_sparql(term: str, kind: UsageKind) -> str:
    """A query listing every stored case that uses ``term`` (id IRI and title), for a reader to run.

    >>> print(cases_sparql("https://w3id.org/coprokg/ontology#CoGovernanceCase", UsageKind.CASE_CLASS))
    PREFIX cpk: <https://w3id.org/coprokg/ontology#>
    PREFIX dcterms: <http://purl.org/dc/terms/>
    # the cases classified as cpk:CoGovernanceCase
    SELECT ?case ?title WHERE {
      ?case a cpk:CoGovernanceCase ; dcterms:title ?title .
    } ORDER BY ?title
    """
    name = _term(term)
    head = f"PREFIX cpk: <{CPK}>\nPREFIX dcterms: <http://purl.org/dc/terms/>\n"
    if kind is UsageKind.CASE_CLASS:
        return (
            f"{head}# the cases classified as {name}\n"
            f"SELECT ?case ?title WHERE {{\n  ?case a {name} ; dcterms:title ?title .\n}} ORDER BY ?title"
        )
    if kind is UsageKind.ACTOR_CLASS:
        return (
            f"{head}# the cases with an actor classified as {name}\n"
            f"SELECT DISTINCT ?case ?title WHERE {{\n  ?case cpk:hasActor ?actor ; dcterms:title ?title .\n"
            f"  ?actor a {name} .\n}} ORDER BY ?title"
        )
    return (
        f"{head}# the cases whose description uses {name}\n"
        f"SELECT DISTINCT ?case ?title WHERE {{\n  GRAPH ?g {{ ?case a cpk:Case ; dcterms:title ?title .\n"
        f"    ?node ?property {name} }}\n}} ORDER BY ?title"
    )
