"""HTML documentation of the ontology, generated from its graph with coprokg's own templates.

Every term of the ``cpk:`` namespace gets an element whose ``id`` is its local name, so a term IRI
such as ``https://w3id.org/coprokg/ontology#CoGovernanceCase`` resolves to
``/ontology#CoGovernanceCase`` once the namespace redirects to the service. The page shows the
header metadata, an A–Z index of every term, the class hierarchy, each class's equivalent-class
axiom (rendered as the classifier reads it) and the properties that have it as domain or range,
the properties with domain and range, and every vocabulary value with its notation, labels,
definition, source and alignments. Nothing is fetched: ``ontology/coprod.ttl`` is the only input.

A server adds what only it knows: download links (``downloads``) and, per term, the stored cases
that use it (``cases``, a ``CaseLinks`` per term IRI), so the page changes with the store while
the documentation model itself is built once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from rdflib import BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from coprokg.classify import parse_expression, render
from coprokg.errors import OntologyError
from coprokg.namespaces import CPK, ONTOLOGY_IRI, VANN
from coprokg.ontology import Ontology, default_ontology

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
STYLESHEET_PATH = STATIC_DIR / "ontology.css"
BIBO_STATUS = URIRef("http://purl.org/ontology/bibo/status")

# Header fields in the order a reader looks for them; any other header triple is listed after.
HEADER_FIELDS: tuple[tuple[URIRef, str], ...] = (
    (OWL.versionIRI, "Version IRI"),
    (OWL.versionInfo, "Version"),
    (DCTERMS.license, "Licence"),
    (DCTERMS.creator, "Creator"),
    (DCTERMS.created, "Created"),
    (DCTERMS.issued, "Issued"),
    (DCTERMS.modified, "Modified"),
    (BIBO_STATUS, "Status"),
    (VANN.preferredNamespacePrefix, "Preferred prefix"),
    (VANN.preferredNamespaceUri, "Namespace"),
    (DCTERMS.bibliographicCitation, "Cite as"),
    (DCTERMS.source, "Source"),
    (OWL.imports, "Imports"),
)
# Predicates shown in their own place on a term; the rest are listed as further annotations.
SHOWN_APART = frozenset(
    {
        RDF.type,
        RDFS.label,
        SKOS.definition,
        DCTERMS.source,
        RDFS.isDefinedBy,
        SKOS.notation,
        SKOS.prefLabel,
        SKOS.altLabel,
        SKOS.inScheme,
        SKOS.broader,
        SKOS.closeMatch,
        RDFS.subClassOf,
        OWL.equivalentClass,
        RDFS.domain,
        RDFS.range,
        RDFS.subPropertyOf,
        OWL.inverseOf,
    }
)
PROPERTY_KINDS: tuple[tuple[URIRef, str, str], ...] = (
    (OWL.ObjectProperty, "object-properties", "Object properties"),
    (OWL.DatatypeProperty, "datatype-properties", "Datatype properties"),
    (OWL.AnnotationProperty, "annotation-properties", "Annotation properties"),
)
CHARACTERISTICS: tuple[tuple[URIRef, str], ...] = (
    (OWL.FunctionalProperty, "functional"),
    (OWL.InverseFunctionalProperty, "inverse functional"),
    (OWL.TransitiveProperty, "transitive"),
    (OWL.SymmetricProperty, "symmetric"),
)


def local_name(iri: str) -> str:
    """The part of an IRI after its namespace: the anchor of a term on the page.

    >>> local_name("https://w3id.org/coprokg/ontology#CoGovernanceCase")
    'CoGovernanceCase'
    """
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


@dataclass(frozen=True)
class TermLink:
    """A reference to a term: an anchor on this page for a ``cpk:`` term, else the IRI itself."""

    label: str
    href: str
    iri: str
    local: bool

    def html(self) -> Markup:
        if self.local:
            return Markup('<a href="{}">{}</a>').format(self.href, self.label)
        return Markup('<a href="{}" title="{}">{}</a>').format(self.href, self.iri, self.label)


@dataclass
class TermDoc:
    """Everything the page says about one term."""

    iri: str
    anchor: str
    label: str
    kind: str
    definition: str
    sources: list[str]
    types: list[TermLink] = field(default_factory=list)
    notation: str | None = None
    pref_labels: list[str] = field(default_factory=list)
    alt_labels: list[str] = field(default_factory=list)
    equivalent: list[Markup] = field(default_factory=list)
    superclasses: list[Markup] = field(default_factory=list)
    subclasses: list[TermLink] = field(default_factory=list)
    members: list[TermLink] = field(default_factory=list)
    domain: list[Markup] = field(default_factory=list)
    range: list[Markup] = field(default_factory=list)
    domain_of: list[TermLink] = field(default_factory=list)
    range_of: list[TermLink] = field(default_factory=list)
    super_properties: list[TermLink] = field(default_factory=list)
    inverse_of: list[TermLink] = field(default_factory=list)
    characteristics: list[str] = field(default_factory=list)
    in_scheme: list[TermLink] = field(default_factory=list)
    broader: list[TermLink] = field(default_factory=list)
    narrower: list[TermLink] = field(default_factory=list)
    close_matches: list[TermLink] = field(default_factory=list)
    annotations: list[tuple[str, list[Markup]]] = field(default_factory=list)


@dataclass
class ClassTreeNode:
    link: TermLink
    children: list[ClassTreeNode]


@dataclass
class SchemeDoc:
    scheme: TermDoc
    values: list[TermDoc]


@dataclass
class PropertySection:
    anchor: str
    title: str
    terms: list[TermDoc]


@dataclass(frozen=True)
class IndexEntry:
    """One term in the A–Z index: its label, its anchor, its short IRI and what kind of term it is."""

    label: str
    anchor: str
    curie: str
    kind: str


@dataclass
class IndexLetter:
    letter: str
    anchor: str
    entries: list[IndexEntry]


@dataclass(frozen=True)
class CaseLinks:
    """The stored cases that use one term, as the page links them.

    ``href`` is where "N cases" leads: the case list with a filter that finds exactly those cases, or
    a page listing them all; ``listed`` are up to 20 of them as ``(title, href)`` when the case list
    has no such filter. ``level`` is ``(count, href)`` of the cases that have the term's
    power-transfer level as their level, for a level class.
    """

    count: int
    href: str
    note: str = ""
    listed: tuple[tuple[str, str], ...] = ()
    level: tuple[int, str] | None = None


@dataclass(frozen=True)
class Download:
    """A link to the ontology in one format: ``(label, href, media type)``."""

    label: str
    href: str
    media_type: str


@dataclass
class OntologyDoc:
    """The documentation of an ontology, ready for the template."""

    iri: str
    title: str
    description: str
    notes: list[str]
    metadata: list[tuple[str, list[Markup]]]
    class_tree: list[ClassTreeNode]
    classes: list[TermDoc]
    properties: list[PropertySection]
    schemes: list[SchemeDoc]
    individuals: list[TermDoc]
    index: list[IndexLetter] = field(default_factory=list)

    @property
    def term_count(self) -> int:
        return (
            len(self.classes)
            + sum(len(s.terms) for s in self.properties)
            + sum(1 + len(s.values) for s in self.schemes)
            + len(self.individuals)
        )


class _Builder:
    """Reads the ontology graph into an ``OntologyDoc``."""

    def __init__(self, ontology: Ontology) -> None:
        self.ontology = ontology
        self.graph = ontology.graph
        self.namespace = str(CPK)
        # a fixed prefix table: rdflib's normalizeUri would bind new prefixes on a shared graph
        self.prefixes = sorted(
            ((str(ns), prefix) for prefix, ns in self.graph.namespaces() if prefix),
            key=lambda pair: -len(pair[0]),
        )
        self.domain_of = self._used_by(RDFS.domain)
        self.range_of = self._used_by(RDFS.range)

    def _used_by(self, predicate: URIRef) -> dict[URIRef, set[URIRef]]:
        """Class to the properties whose ``predicate`` (domain or range) names it, alone or in a union."""
        found: dict[URIRef, set[URIRef]] = {}
        for prop, value in self.graph.subject_objects(predicate):
            if not isinstance(prop, URIRef):
                continue
            classes = [value]
            union = self.graph.value(value, OWL.unionOf) if isinstance(value, BNode) else None
            if union is not None:
                classes = list(Collection(self.graph, union))
            for cls in classes:
                if isinstance(cls, URIRef):
                    found.setdefault(cls, set()).add(prop)
        return found

    # ------------------------------------------------------------------ terms and values
    def is_local(self, node: object) -> bool:
        return isinstance(node, URIRef) and str(node).startswith(self.namespace) and str(node) != self.namespace

    def curie(self, iri: str) -> str:
        for ns, prefix in self.prefixes:
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns) :]}"
        return iri

    def link(self, iri: URIRef) -> TermLink:
        if self.is_local(iri):
            name = local_name(str(iri))
            return TermLink(self.ontology.label(iri), f"#{name}", str(iri), True)
        return TermLink(self.curie(str(iri)), str(iri), str(iri), False)

    def in_scheme_named(self, link: TermLink) -> TermLink:
        """The link labelled with its concept scheme too: "partnership (Arnstein's ladder …)"."""
        scheme = self.graph.value(URIRef(link.iri), SKOS.inScheme)
        if not link.local or not isinstance(scheme, URIRef):
            return link
        return TermLink(f"{link.label} ({self.ontology.label(scheme)})", link.href, link.iri, link.local)

    def links(self, nodes: Iterable[object]) -> list[TermLink]:
        found = {n for n in nodes if isinstance(n, URIRef)}
        return sorted((self.link(n) for n in found), key=lambda t: (not t.local, t.label.casefold()))

    def texts(self, subject: URIRef, predicate: URIRef) -> list[str]:
        return sorted({str(o) for o in self.graph.objects(subject, predicate) if isinstance(o, Literal)})

    def value_html(self, node: object) -> Markup:
        if isinstance(node, URIRef):
            return self.link(node).html()
        if isinstance(node, BNode):
            return self.expression_html(node, "an anonymous value")
        text = str(node)
        if re.match(r"^https?://\S+$", text):
            return Markup('<a href="{0}">{0}</a>').format(text)
        return escape(text)

    def expression_html(self, node: object, where: str) -> Markup:
        """A class expression in the classifier's Manchester-like syntax, with its terms linked."""
        if isinstance(node, URIRef):
            return self.link(node).html()
        try:
            expression = parse_expression(self.graph, node, where)
        except OntologyError:
            return Markup("<em>a class expression this page cannot show</em>")
        tokens: dict[str, URIRef] = {}

        def token(iri: URIRef) -> str:
            key = f"\ue000{len(tokens)}\ue001"
            tokens[key] = iri
            return key

        text = str(escape(render(expression, token)))
        for key, iri in tokens.items():
            text = text.replace(key, str(self.link(iri).html()))
        return Markup(text)  # escaped text and escaped links only

    # ------------------------------------------------------------------ one term
    def term(self, iri: URIRef, kind: str) -> TermDoc:
        g = self.graph
        doc = TermDoc(
            iri=str(iri),
            anchor=local_name(str(iri)),
            label=self.ontology.label(iri),
            kind=kind,
            definition=self.ontology.definition(iri),
            sources=self.ontology.sources(iri),
            types=[t for t in self.links(g.objects(iri, RDF.type)) if t.local],
            notation=next(iter(self.texts(iri, SKOS.notation)), None),
            pref_labels=self.texts(iri, SKOS.prefLabel),
            alt_labels=self.texts(iri, SKOS.altLabel),
            in_scheme=self.links(g.objects(iri, SKOS.inScheme)),
            broader=self.links(g.objects(iri, SKOS.broader)),
            narrower=self.links(g.subjects(SKOS.broader, iri)),
            close_matches=[self.in_scheme_named(m) for m in self.links(g.objects(iri, SKOS.closeMatch))],
            super_properties=self.links(g.objects(iri, RDFS.subPropertyOf)),
            inverse_of=self.links([*g.objects(iri, OWL.inverseOf), *g.subjects(OWL.inverseOf, iri)]),
            characteristics=[name for cls, name in CHARACTERISTICS if (iri, RDF.type, cls) in g],
        )
        where = f"{self.curie(str(iri))}"
        doc.equivalent = [self.expression_html(e, where) for e in g.objects(iri, OWL.equivalentClass)]
        named_supers = [s for s in g.objects(iri, RDFS.subClassOf) if isinstance(s, URIRef)]
        other_supers = [s for s in g.objects(iri, RDFS.subClassOf) if not isinstance(s, URIRef)]
        doc.superclasses = [link.html() for link in self.links(named_supers)]
        doc.superclasses += [self.expression_html(s, where) for s in other_supers]
        doc.subclasses = self.links(g.subjects(RDFS.subClassOf, iri))
        doc.members = [m for m in self.links(g.subjects(RDF.type, iri)) if m.local]
        doc.domain = [self.expression_html(d, where) for d in g.objects(iri, RDFS.domain)]
        doc.range = [self.expression_html(r, where) for r in g.objects(iri, RDFS.range)]
        doc.domain_of = self.links(self.domain_of.get(iri, ()))
        doc.range_of = self.links(self.range_of.get(iri, ()))
        extra: dict[URIRef, list[object]] = {}
        for predicate, value in g.predicate_objects(iri):
            if isinstance(predicate, URIRef) and predicate not in SHOWN_APART:
                extra.setdefault(predicate, []).append(value)
        for predicate in sorted(extra, key=lambda p: self.predicate_name(p)):
            values = sorted(extra[predicate], key=str)
            doc.annotations.append((self.predicate_name(predicate), [self.value_html(v) for v in values]))
        return doc

    def predicate_name(self, predicate: URIRef) -> str:
        return self.ontology.label(predicate) if self.is_local(predicate) else self.curie(str(predicate))

    # ------------------------------------------------------------------ the page
    def local_subjects(self, rdf_type: URIRef) -> list[URIRef]:
        found = {s for s in self.graph.subjects(RDF.type, rdf_type) if self.is_local(s)}
        return sorted((s for s in found if isinstance(s, URIRef)), key=lambda s: self.ontology.label(s).casefold())

    def class_tree(self, classes: Sequence[URIRef]) -> list[ClassTreeNode]:
        known = set(classes)

        def parents(cls: URIRef) -> list[URIRef]:
            return [p for p in self.graph.objects(cls, RDFS.subClassOf) if isinstance(p, URIRef) and p in known]

        def node(cls: URIRef, path: frozenset[URIRef]) -> ClassTreeNode:
            children = sorted(
                (c for c in self.graph.subjects(RDFS.subClassOf, cls) if isinstance(c, URIRef) and c in known),
                key=lambda c: self.ontology.label(c).casefold(),
            )
            return ClassTreeNode(self.link(cls), [node(c, path | {c}) for c in children if c not in path])

        return [node(c, frozenset({c})) for c in classes if not parents(c)]

    def metadata(self) -> list[tuple[str, list[Markup]]]:
        g, subject = self.graph, ONTOLOGY_IRI
        rows: list[tuple[str, list[Markup]]] = [("IRI", [self.value_html(subject)])]
        shown = {RDF.type, DCTERMS.title, DCTERMS.description, RDFS.comment}
        for predicate, name in HEADER_FIELDS:
            values = sorted(g.objects(subject, predicate), key=str)
            shown.add(predicate)
            if values:
                rows.append((name, [self.value_html(v) for v in values]))
        for predicate in sorted({p for p in g.predicates(subject) if isinstance(p, URIRef)} - shown, key=str):
            rows.append((self.curie(str(predicate)), [self.value_html(v) for v in g.objects(subject, predicate)]))
        return rows

    def index(self, terms: Iterable[TermDoc]) -> list[IndexLetter]:
        """Every term by label, A to Z (labels that start with no letter under "#")."""
        letters: dict[str, list[IndexEntry]] = {}
        for t in terms:
            entry = IndexEntry(t.label, t.anchor, self.curie(t.iri), t.kind.lower())
            letters.setdefault(_initial(t.label), []).append(entry)
        return [
            IndexLetter(letter, f"index-{'other' if letter == '#' else letter}", sorted(entries, key=_index_order))
            for letter, entries in sorted(letters.items(), key=lambda item: (item[0] == "#", item[0]))
        ]

    def build(self) -> OntologyDoc:
        g, subject = self.graph, ONTOLOGY_IRI
        classes = self.local_subjects(OWL.Class)
        properties = [
            PropertySection(
                anchor, title, [self.term(p, title.removesuffix("ies") + "y") for p in self.local_subjects(t)]
            )
            for t, anchor, title in PROPERTY_KINDS
        ]
        scheme_iris = self.local_subjects(SKOS.ConceptScheme)
        schemes = []
        in_a_scheme: set[URIRef] = set()
        for scheme in scheme_iris:
            members = [
                v for v in self.graph.subjects(SKOS.inScheme, scheme) if isinstance(v, URIRef) and self.is_local(v)
            ]
            in_a_scheme.update(members)
            schemes.append(
                SchemeDoc(
                    self.term(scheme, "Concept scheme"),
                    [self.term(v, "Vocabulary value") for v in sorted(members, key=self._value_order)],
                )
            )
        documented = set(classes) | set(scheme_iris) | in_a_scheme
        documented |= {p for section in properties for p in (URIRef(t.iri) for t in section.terms)}
        individuals = [
            self.term(i, "Individual") for i in self.local_subjects(OWL.NamedIndividual) if i not in documented
        ]
        class_docs = [self.term(c, "Class") for c in classes]
        every_term = [
            *class_docs,
            *(t for section in properties for t in section.terms),
            *(t for scheme in schemes for t in (scheme.scheme, *scheme.values)),
            *individuals,
        ]
        return OntologyDoc(
            iri=str(subject),
            title=str(g.value(subject, DCTERMS.title) or "Ontology"),
            description=str(g.value(subject, DCTERMS.description) or ""),
            notes=self.texts(subject, RDFS.comment),
            metadata=self.metadata(),
            class_tree=self.class_tree(classes),
            classes=class_docs,
            properties=properties,
            schemes=schemes,
            individuals=individuals,
            index=self.index(every_term),
        )

    def _value_order(self, value: URIRef) -> tuple[int, str, str]:
        rank = self.graph.value(value, CPK.scaleRank)
        code = self.graph.value(value, CPK.cofogCode)
        return (
            int(rank) if isinstance(rank, Literal) else 0,
            str(code) if code is not None else "",
            self.ontology.label(value).casefold(),
        )


def _initial(label: str) -> str:
    """The letter a label is indexed under: its first letter without accents, upper case, or "#".

    >>> _initial("co-governance"), _initial("Économie"), _initial("“quoted”"), _initial("2nd")
    ('C', 'E', 'Q', '#')
    """
    for char in unicodedata.normalize("NFKD", label):
        if char.isalpha():
            return char.upper() if "A" <= char.upper() <= "Z" else "#"
        if char.isdigit():
            return "#"
    return "#"


def _index_order(entry: IndexEntry) -> tuple[str, str]:
    text = unicodedata.normalize("NFKD", entry.label).casefold()
    return ("".join(c for c in text if c.isalnum()), entry.curie)


def document(ontology: Ontology | None = None) -> OntologyDoc:
    """The documentation model of the ontology (default: the project's).

    >>> doc = document()
    >>> [c.anchor for c in doc.classes if c.anchor == "CoGovernanceCase"]
    ['CoGovernanceCase']
    """
    return _document(ontology or default_ontology())


@lru_cache(maxsize=4)
def _document(ontology: Ontology) -> OntologyDoc:
    return _Builder(ontology).build()


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def ontology_html(
    ontology: Ontology | None = None,
    *,
    stylesheets: Sequence[str] = (),
    nav: Sequence[tuple[str, str]] = (),
    downloads: Sequence[Download] = (),
    cases: Mapping[str, CaseLinks] | None = None,
    notice: str = "",
) -> str:
    """The ontology's documentation as one HTML page.

    With no ``stylesheets`` the page carries its own CSS, so it can be saved as a file; a server
    that forbids inline styles passes the URLs of its stylesheets instead. ``nav`` is a list of
    ``(label, href)`` links for a site menu, ``downloads`` the ontology's addresses in other
    formats, ``cases`` the stored cases that use each term (term IRI to ``CaseLinks``) and
    ``notice`` a sentence to show under the title (why something is missing).

    >>> page = ontology_html()
    >>> 'id="CoGovernanceCase"' in page and 'id="domain-public-safety"' in page
    True
    """
    key = tuple(sorted(cases.items())) if cases else ()
    return _ontology_html(ontology or default_ontology(), tuple(stylesheets), tuple(nav), tuple(downloads), key, notice)


@lru_cache(maxsize=8)
def _ontology_html(
    ontology: Ontology,
    stylesheets: tuple[str, ...],
    nav: tuple[tuple[str, str], ...],
    downloads: tuple[Download, ...],
    cases: tuple[tuple[str, CaseLinks], ...],
    notice: str,
) -> str:
    template = _environment().get_template("ontology.html")
    inline_css = "" if stylesheets else STYLESHEET_PATH.read_text(encoding="utf-8")
    return template.render(
        doc=_document(ontology),
        stylesheets=stylesheets,
        inline_css=inline_css,
        nav=nav,
        downloads=downloads,
        cases=dict(cases),
        notice=notice,
    )
