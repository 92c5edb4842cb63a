"""Filters for browsing the case base that the store's own list does not offer.

``GraphStore.list_cases`` filters by one exact policy domain, a country and a level. A reader
browsing the case base also wants a COFOG division to include its groups (``health`` takes in
``public-health``) and to find cases where some actor plays a citizen role (the roles are stored
with each case's classification). Both are answered here on top of ``list_cases``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import SKOS

from coprokg.errors import QueryError
from coprokg.namespaces import CASE_GRAPH_PREFIX, NodeKind, parse_case_node
from coprokg.ontology import Ontology, default_ontology
from coprokg.store.base import CaseSummary, GraphStore, iri, literal


@dataclass(frozen=True)
class CitizenRole:
    """A citizen role a case's actors can be classified in (a defined class of actors)."""

    iri: str
    label: str
    typology: str

    @property
    def key(self) -> str:
        """The role's local name, used as a filter value (``CoproducerRole``)."""
        return self.iri.rsplit("#", 1)[-1]


def citizen_roles() -> list[CitizenRole]:
    """The citizen roles of the ontology's typologies, as the classifier assigns them.

    >>> "CoproducerRole" in [r.key for r in citizen_roles()]
    True
    """
    from coprokg.classify import default_classifier

    classifier = default_classifier()
    roles = [
        CitizenRole(str(dc.iri), dc.label, dc.typology) for dc in classifier.actor_classes if dc.typology is not None
    ]
    return sorted(roles, key=lambda r: (r.typology, r.label))


def domain_family(notation: str, ontology: Ontology | None = None) -> set[str]:
    """A policy domain's notation with those of every narrower domain (a COFOG division's groups).

    >>> sorted(domain_family("public-safety"))[:3]
    ['fire-protection', 'law-courts', 'police-services']
    >>> domain_family("police-services")
    {'police-services'}
    """
    ontology = ontology or default_ontology()
    vocab = ontology.vocabularies["domain"]
    top = vocab.values.get(notation)
    if top is None:
        raise QueryError(f"unknown policy domain {notation!r}", field="domain", allowed=vocab.notations)
    family, frontier = {top.iri}, [top.iri]
    while frontier:
        current = frontier.pop()
        for narrower in ontology.graph.subjects(SKOS.broader, current):
            if isinstance(narrower, URIRef) and narrower not in family:
                family.add(narrower)
                frontier.append(narrower)
    return {v.notation for v in vocab.values.values() if v.iri in family}


def cases_with_role(store: GraphStore, role_iri: str) -> set[str]:
    """Ids of the stored cases where some actor is classified in the role ``role_iri``."""
    rows = store.select(
        f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?actor a {iri(role_iri)} }} "
        f"FILTER(STRSTARTS(STR(?g), {literal(CASE_GRAPH_PREFIX)})) }}"
    )
    ids = set()
    for row in rows:
        graph = parse_case_node(str(row["g"].value))
        if graph is not None and graph.kind is NodeKind.CLASSIFICATION_GRAPH:
            ids.add(graph.case_id)
    return ids


def find_cases(
    store: GraphStore,
    *,
    domain: str | None = None,
    country: str | None = None,
    level: str | None = None,
    role: str | None = None,
    roles: Sequence[CitizenRole] | None = None,
) -> list[CaseSummary]:
    """Stored cases, by id, filtered by policy domain (with narrower ones), country, level and role.

    ``role`` is a role's key (``CoproducerRole``) among ``roles`` (default: ``citizen_roles()``).
    Unknown values raise ``QueryError`` naming the field and the allowed values.
    """
    levels = default_ontology().level_notations()
    if level is not None and level not in levels:
        raise QueryError(f"unknown power-transfer level {level!r}", field="level", allowed=levels)
    if country is not None and not (len(country) == 2 and country.isascii() and country.isupper()):
        raise QueryError("a country is a two-letter ISO 3166-1 code, such as NL", field="country")
    domains = domain_family(domain) if domain is not None else None
    with_role: set[str] | None = None
    if role is not None:
        known = {r.key: r for r in (roles if roles is not None else citizen_roles())}
        if role not in known:
            raise QueryError(f"unknown citizen role {role!r}", field="role", allowed=sorted(known))
        with_role = cases_with_role(store, known[role].iri)
    page = store.list_cases(country=country, level=level, limit=1_000_000)
    return [
        case
        for case in page.items
        if (domains is None or case.domain in domains) and (with_role is None or case.id in with_role)
    ]
