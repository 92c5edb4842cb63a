"""Finding cases: one query for the API, the pages and the command line.

``CaseQuery`` says what a reader asks for — a policy domain (with its narrower domains: a COFOG
division takes in its groups), a country, a power-transfer level, a citizen role some actor plays,
words of the title or description — and how the page is cut: sort column, direction, offset and
limit. ``case_query_sparql`` turns it into one SPARQL SELECT for the page and one COUNT for the
total (``GraphStore.find_cases_sparql``); the values a reader may give are checked against the
ontology first, with the allowed ones in the error. ``GraphStore.find_cases`` answers the same from
the case catalogue (``coprokg.store.catalogue``), whose cost does not grow with the stored cases;
the two are tested equal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.namespace import SKOS

from coprokg.countries import country_names
from coprokg.errors import QueryError
from coprokg.namespaces import CPK
from coprokg.ontology import Ontology, default_ontology

SORT_KEYS = ("id", "title", "country", "domain", "level")
MAX_TEXT = 200


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
    top = vocab.values.get(notation) or vocab.values.get(vocab.synonyms.get(notation.casefold(), ""))
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


@dataclass(frozen=True)
class CaseQuery:
    """What to find and which page of it (all filters optional; they combine with AND)."""

    domain: str | None = None
    country: str | None = None
    level: str | None = None
    role: str | None = None
    text: str | None = None
    sort: str = "id"
    descending: bool = False
    offset: int = 0
    limit: int = 50
    roles: tuple[CitizenRole, ...] | None = field(default=None, compare=False)

    def checked(self, ontology: Ontology | None = None) -> CaseQuery:
        """The query with its values checked against the ontology (``QueryError`` naming the field)."""
        ontology = ontology or default_ontology()
        levels = ontology.level_notations()
        if self.level is not None and self.level not in levels:
            raise QueryError(f"unknown power-transfer level {self.level!r}", field="level", allowed=levels)
        if self.country is not None and not (
            len(self.country) == 2 and self.country.isascii() and self.country.isalpha() and self.country.isupper()
        ):
            raise QueryError("a country is a two-letter ISO 3166-1 code, such as NL", field="country")
        if self.domain is not None:
            domain_family(self.domain, ontology)
        if self.role is not None:
            known = {r.key for r in (self.roles if self.roles is not None else citizen_roles())}
            if self.role not in known:
                raise QueryError(f"unknown citizen role {self.role!r}", field="role", allowed=sorted(known))
        if self.sort not in SORT_KEYS:
            raise QueryError(f"cannot sort by {self.sort!r}", field="sort", allowed=SORT_KEYS)
        if self.text is not None and len(self.text) > MAX_TEXT:
            raise QueryError(f"search text longer than {MAX_TEXT} characters", field="q")
        if self.offset < 0 or not 1 <= self.limit <= 1000:
            raise QueryError("offset must be 0 or more and limit between 1 and 1000", field="limit")
        return self


def _literal(value: str) -> str:
    import pyoxigraph as ox

    return str(ox.Literal(value))


def case_query_sparql(query: CaseQuery, *, prefixes: str, case_graph_prefix: str) -> tuple[str, str]:
    """The SELECT of one page and the COUNT of all matches for ``query`` (checked first)."""
    ontology = default_ontology()
    query = query.checked(ontology)
    lines = [
        "  GRAPH ?g { ?case a cpk:Case ; dcterms:identifier ?id .",
        "    OPTIONAL { ?case dcterms:title ?title } OPTIONAL { ?case cpk:policyDomain ?domainIri }",
        "    OPTIONAL { ?case cpk:country ?country }",
    ]
    if query.text:
        lines.append("    OPTIONAL { ?case dcterms:description ?description }")
    lines.append("  }")
    lines.append(f"  FILTER(STRSTARTS(STR(?g), {_literal(case_graph_prefix)}))")
    lines.append("  OPTIONAL { GRAPH ?cg { ?case cpkr:powerTransferLevel ?level .")
    lines.append("    OPTIONAL { ?case cpkr:warningCount ?warnings } } }")
    lines.append("  OPTIONAL { GRAPH ?og { ?domainIri skos:notation ?domain } }")
    if query.domain is not None:
        vocab = ontology.vocabularies["domain"]
        iris = " ".join(f"<{vocab.values[n].iri}>" for n in sorted(domain_family(query.domain, ontology)))
        lines.append(f"  VALUES ?domainIri {{ {iris} }}")
    if query.country is not None:
        lines.append(f"  FILTER(?country = {_literal(query.country)})")
    if query.level is not None:
        lines.append(f"  FILTER(?level = {_literal(query.level)})")
    if query.role is not None:
        role_iri = f"{CPK}{query.role}"
        lines.append(
            f"  FILTER EXISTS {{ GRAPH ?rg {{ ?case cpkr:powerTransferLevel ?any . ?actor a <{role_iri}> }} }}"
        )
    if query.text:
        words = [w for w in query.text.casefold().split() if w]
        haystack = 'LCASE(CONCAT(?id, " ", COALESCE(?title, ""), " ", COALESCE(?description, "")))'
        for word in words:
            lines.append(f"  FILTER(CONTAINS({haystack}, {_literal(word)}))")
    if query.sort == "country":  # by the name a reader sees, not by the code
        names = " ".join(f"({_literal(code)} {_literal(name)})" for code, name in sorted(country_names().items()))
        # keyed on a variable that is always bound: an unbound ?country would join every row
        lines.append('  BIND(COALESCE(?country, "") AS ?countryKey)')
        lines.append(f"  OPTIONAL {{ VALUES (?countryKey ?countryName) {{ {names} }} }}")
    ranks = " ".join(f'("{lv.notation}" {lv.rank})' for lv in ontology.power_levels())
    lines.append('  BIND(COALESCE(?level, "") AS ?levelKey)')
    lines.append(f"  OPTIONAL {{ VALUES (?levelKey ?rank) {{ {ranks} }} }}")
    where = "\n".join(lines)
    key = {
        "id": "?id",
        "title": "LCASE(COALESCE(?title, ?id))",
        "country": 'LCASE(COALESCE(?countryName, ?country, "~"))',
        "domain": 'COALESCE(?domain, "~")',
        "level": "COALESCE(?rank, -1)",
    }[query.sort]
    order = f"DESC({key})" if query.descending else f"ASC({key})"
    select = (
        f"{prefixes}PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        f"SELECT ?id ?title ?domain ?country ?level ?warnings WHERE {{\n{where}\n}}\n"
        f"ORDER BY {order} ?id\nLIMIT {query.limit} OFFSET {query.offset}"
    )
    count = (
        f"{prefixes}PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        f"SELECT (COUNT(DISTINCT ?case) AS ?n) WHERE {{\n{where}\n}}"
    )
    return select, count
