"""The ontology as coprokg reads it: the graph, its vocabularies and the labels of its terms.

Every value a case file may use is a ``skos:notation`` of an individual in the ontology. Which
class each case field draws its values from is fixed by the table of case fields
(``coprokg.fields``, it is the case format); which values exist, their labels and their synonyms
(``skos:altLabel``) come from the ontology only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from coprokg import turtle
from coprokg.errors import CaseFormatError, OntologyError
from coprokg.fields import vocabulary_fields
from coprokg.namespaces import CPK
from coprokg.paths import ontology_path, resolved

__all__ = [
    "DCTERMS_SOURCE",
    "FIELD_VOCABULARIES",
    "Ontology",
    "PowerLevel",
    "Typology",
    "Vocabulary",
    "VocabularyValue",
    "default_ontology",
    "ontology_at",
    "parse_turtle",
]

DCTERMS_SOURCE = URIRef("http://purl.org/dc/terms/source")

# Case-format field -> the ontology class whose individuals are its allowed values (from the table
# of case fields, coprokg.fields).
FIELD_VOCABULARIES: dict[str, URIRef] = vocabulary_fields()


def _fold(text: str) -> str:
    """Case- and separator-insensitive form used to match synonyms."""
    return re.sub(r"[\s_\-]+", " ", text.strip().casefold())


@dataclass(frozen=True)
class VocabularyValue:
    """One allowed value: its IRI, slug, label and definition."""

    iri: URIRef
    notation: str
    label: str
    definition: str
    rank: int | None = None


@dataclass
class Vocabulary:
    """The allowed values of one case field, looked up by slug or synonym."""

    cls: URIRef
    values: dict[str, VocabularyValue] = field(default_factory=dict)
    synonyms: dict[str, str] = field(default_factory=dict)

    @property
    def notations(self) -> list[str]:
        return sorted(self.values)

    def resolve(self, text: str, *, field_path: str, source: str | None = None) -> VocabularyValue:
        """Return the value whose notation, label or altLabel matches ``text``.

        Raises ``CaseFormatError`` naming the field and the allowed notations otherwise.
        """
        if text in self.values:
            return self.values[text]
        slug = self.synonyms.get(_fold(text))
        if slug is not None:
            return self.values[slug]
        from coprokg.cases.forgiving import did_you_mean, nearest

        names = self.notations + [name for name in self.synonyms if name not in self.values]
        suggestions = list(dict.fromkeys(self.synonyms.get(s, s) for s in nearest(text, names)))
        raise CaseFormatError(
            f"unknown value {text!r}" + did_you_mean(suggestions),
            field=field_path,
            allowed=self.notations,
            source=source,
            rule=str(self.cls),
        )

    def by_iri(self, iri: URIRef) -> VocabularyValue | None:
        for value in self.values.values():
            if value.iri == iri:
                return value
        return None


def parse_turtle(path: Path) -> Graph:
    """Parse a Turtle file of the project (ontology, shapes); errors name file, line and column.

    The one reader of the project's Turtle is ``coprokg.turtle.parse_turtle``; this is it.
    """
    return turtle.parse_turtle(path)


@dataclass(frozen=True)
class Typology:
    """A published typology (a ``cpk:Typology`` individual) and how coprokg reports it.

    Everything here is read from the typology's annotations, so a Protégé user decides it:
    ``has_near_misses`` (``cpk:hasNearMisses``), ``default_reading`` (``cpk:isDefaultReading``),
    ``reports_paradigms`` (``cpk:reportsParadigms``) and, for a power-transfer typology, the level
    below its first rank (``cpk:floorNotation``, ``cpk:floorLabel``).
    """

    iri: URIRef
    label: str
    definition: str
    notation: str = ""
    has_near_misses: bool = False
    default_reading: bool = False
    reports_paradigms: bool = False
    floor_notation: str | None = None
    floor_label: str | None = None


@dataclass(frozen=True)
class PowerLevel:
    """One level of a power-transfer typology: its notation, label and rank (0 for the floor)."""

    notation: str
    label: str
    rank: int
    iri: URIRef | None
    definition: str = ""


class Ontology:
    """The loaded ontology graph with its vocabularies and term labels."""

    def __init__(self, graph: Graph, path: Path | None = None) -> None:
        self.graph = graph
        self.path = path
        self.vocabularies = {name: self._vocabulary(cls) for name, cls in FIELD_VOCABULARIES.items()}
        empty = [name for name, vocab in self.vocabularies.items() if not vocab.values]
        if empty:
            raise OntologyError(
                f"{path or 'ontology'}: no vocabulary values (skos:notation) for "
                + ", ".join(f"{n} ({FIELD_VOCABULARIES[n]})" for n in empty)
            )

    @classmethod
    def load(cls, path: Path | None = None) -> Ontology:
        """Parse the ontology file (Turtle) at ``path`` (default: ``ontology/coprod.ttl``)."""
        path = path or ontology_path()
        return cls(turtle.read_turtle(path), path)

    def _members(self, cls: URIRef) -> set[URIRef]:
        classes = {cls} | {s for s in self.graph.transitive_subjects(RDFS.subClassOf, cls) if isinstance(s, URIRef)}
        members: set[URIRef] = set()
        for c in classes:
            members.update(s for s in self.graph.subjects(RDF.type, c) if isinstance(s, URIRef))
        return members

    def _vocabulary(self, cls: URIRef) -> Vocabulary:
        vocab = Vocabulary(cls)
        for iri in self._members(cls):
            notation = self.graph.value(iri, SKOS.notation)
            if notation is None:
                continue
            slug = str(notation)
            rank_lit = self.graph.value(iri, CPK.scaleRank)
            value = VocabularyValue(
                iri=iri,
                notation=slug,
                label=self.label(iri),
                definition=str(self.graph.value(iri, SKOS.definition) or ""),
                rank=int(rank_lit) if isinstance(rank_lit, Literal) else None,
            )
            vocab.values[slug] = value
        claims: dict[str, set[str]] = {}
        for slug, value in vocab.values.items():
            names = [value.label]
            names += [str(a) for a in self.graph.objects(value.iri, SKOS.altLabel)]
            names += [str(a) for a in self.graph.objects(value.iri, SKOS.prefLabel)]
            for name in names:
                claims.setdefault(_fold(name), set()).add(slug)
        for name, slugs in claims.items():
            if len(slugs) == 1:
                vocab.synonyms[name] = next(iter(slugs))
        for slug in vocab.values:
            vocab.synonyms[_fold(slug)] = slug
        return vocab

    def label(self, iri: URIRef) -> str:
        """The English label of a term, or its local name (cached: the graph does not change)."""
        cache: dict[URIRef, str] = self.__dict__.setdefault("_labels", {})
        found = cache.get(iri)
        if found is None:
            found = cache[iri] = self._label(iri)
        return found

    def _label(self, iri: URIRef) -> str:
        for prop in (RDFS.label, SKOS.prefLabel):
            for lit in self.graph.objects(iri, prop):
                if isinstance(lit, Literal) and lit.language in (None, "en"):
                    return str(lit)
        text = str(iri)
        return re.split(r"[#/]", text)[-1]

    def definition(self, iri: URIRef) -> str:
        value = self.graph.value(iri, SKOS.definition)
        return str(value) if value is not None else ""

    # ------------------------------------------------------------------ typologies and levels
    def _flag(self, iri: URIRef, prop: URIRef) -> bool:
        value = self.graph.value(iri, prop)
        return isinstance(value, Literal) and bool(value.toPython()) is True

    @property
    def typologies(self) -> dict[URIRef, Typology]:
        """Every ``cpk:Typology`` individual, by IRI."""
        cached: dict[URIRef, Typology] | None = self.__dict__.get("_typologies")
        if cached is not None:
            return cached
        found: dict[URIRef, Typology] = {}
        for iri in sorted(s for s in self.graph.subjects(RDF.type, CPK.Typology) if isinstance(s, URIRef)):
            floor = self.graph.value(iri, CPK.floorNotation)
            floor_label = [
                str(o)
                for o in self.graph.objects(iri, CPK.floorLabel)
                if isinstance(o, Literal) and o.language in (None, "en")
            ]
            found[iri] = Typology(
                iri=iri,
                label=self.label(iri),
                definition=self.definition(iri),
                notation=str(self.graph.value(iri, SKOS.notation) or iri.rsplit("#", 1)[-1]),
                has_near_misses=self._flag(iri, CPK.hasNearMisses),
                default_reading=self._flag(iri, CPK.isDefaultReading),
                reports_paradigms=self._flag(iri, CPK.reportsParadigms),
                floor_notation=str(floor) if floor is not None else None,
                floor_label=floor_label[0] if floor_label else None,
            )
        self.__dict__["_typologies"] = found
        return found

    def typology_of(self, cls: URIRef) -> Typology | None:
        """The typology a defined class belongs to (``cpk:inTypology``), if any."""
        value = self.graph.value(cls, CPK.inTypology)
        if not isinstance(value, URIRef):
            return None
        typology = self.typologies.get(value)
        if typology is None:
            raise OntologyError(f"{cls}: cpk:inTypology {value} is not a cpk:Typology individual")
        return typology

    def power_typologies(self) -> list[Typology]:
        """The typologies whose classes carry ``cpk:powerRank`` (the readings of the levels), default first."""
        ranked = {self.graph.value(cls, CPK.inTypology) for cls in self.graph.subjects(CPK.powerRank, None)}
        readings = [t for iri, t in self.typologies.items() if iri in ranked]
        return sorted(readings, key=lambda t: (not t.default_reading, t.label))

    def default_reading(self) -> Typology:
        """The power-transfer typology marked ``cpk:isDefaultReading`` (exactly one must be)."""
        defaults = [t for t in self.power_typologies() if t.default_reading]
        if len(defaults) != 1:
            raise OntologyError(
                f"{self.path or 'ontology'}: exactly one power-transfer typology must have cpk:isDefaultReading true, "
                f"found {len(defaults)}"
            )
        return defaults[0]

    def power_levels(self, typology: Typology | None = None) -> list[PowerLevel]:
        """The levels of a power-transfer typology (default: the default reading), floor first, by rank."""
        typology = typology or self.default_reading()
        levels = [
            PowerLevel(
                notation=str(self.graph.value(cls, SKOS.notation) or self.label(cls)),
                label=self.label(cls),
                rank=int(rank),
                iri=cls,
                definition=self.definition(cls),
            )
            for cls, rank in self.graph.subject_objects(CPK.powerRank)
            if isinstance(cls, URIRef)
            and isinstance(rank, Literal)
            and self.graph.value(cls, CPK.inTypology) == typology.iri
        ]
        levels.sort(key=lambda level: level.rank)
        floor = PowerLevel(
            notation=typology.floor_notation or "none",
            label=typology.floor_label or "no transfer of power",
            rank=0,
            iri=None,
            definition="The case reaches none of the levels of this typology.",
        )
        return [floor, *levels]

    def level_notations(self) -> list[str]:
        """Every power-transfer level notation of the default reading, floor first, in rank order."""
        return [level.notation for level in self.power_levels()]

    def sources(self, iri: URIRef) -> list[str]:
        return sorted(str(s) for s in self.graph.objects(iri, DCTERMS_SOURCE))


@lru_cache(maxsize=4)
def ontology_at(path: Path) -> Ontology:
    """The ontology file at ``path`` (resolved), loaded once per process and shared."""
    return Ontology.load(path)


def default_ontology() -> Ontology:
    """The project's ontology, loaded once per process."""
    return ontology_at(resolved(ontology_path()))
