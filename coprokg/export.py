"""Exports for analysis elsewhere (R, Stata, pandas): the cases as a CSV table, its codebook, and
the whole store as JSON-LD.

* ``cases_csv(store)`` — one row per participation with the fields of its case, its actor and the
  case's stored power-transfer level; RFC 4180 (CRLF, quotes where needed), UTF-8, a header row,
  ordered by case id, then actor id, then stage (then the participation's place in the case).
* ``codebook_markdown()`` / ``codebook_csv()`` — every column of that table, what it means, and
  for the columns whose values are vocabulary notations every allowed value with its
  ``skos:prefLabel`` and ``skos:definition``; all of it read from the ontology.
* ``whole_store_jsonld(store)`` — every named graph (ontology, shapes, each case and what was
  derived from it) as JSON-LD.

The table is read from the store, not from the case files: each case is read back from its named
graph (``graph_to_case``) and its level from the classification stored with it. No web framework
here: ``coprokg export`` and the service's ``/export/…`` routes both call these functions.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from coprokg.cases.convert import graph_to_case
from coprokg.cases.model import Case, Participation
from coprokg.namespaces import CASE_GRAPH_PREFIX, CPK, NodeKind, parse_case_node
from coprokg.ontology import FIELD_VOCABULARIES, Ontology, default_ontology
from coprokg.store.base import GraphStore, literal
from coprokg.store.records import RECORD, triples_to_graph

__all__ = [
    "BASE_COLUMNS",
    "CODEBOOK_CSV_HEADER",
    "CSV_MEDIA_TYPE",
    "JOIN",
    "JSONLD_MEDIA_TYPE",
    "MARKDOWN_MEDIA_TYPE",
    "CodebookEntry",
    "Column",
    "StoredCase",
    "Value",
    "case_graph_quads",
    "cases_csv",
    "cases_table",
    "codebook",
    "codebook_csv",
    "codebook_markdown",
    "columns",
    "level_columns",
    "stored_cases",
    "whole_store_jsonld",
]

JOIN = ";"  # separator of the values of a multi-valued cell
CSV_MEDIA_TYPE = "text/csv; charset=utf-8; header=present"
MARKDOWN_MEDIA_TYPE = "text/markdown; charset=utf-8"
JSONLD_MEDIA_TYPE = "application/ld+json"
_CLASSIFICATION = RECORD + "classification"


# ---------------------------------------------------------------- the columns
@dataclass(frozen=True)
class Column:
    """A column of the cases table: where its value comes from and how it is written."""

    name: str
    type: str
    note: str  # what the table adds to the term's meaning (missing values, joining …)
    term: URIRef | None = None  # the ontology (or Dublin Core, RDFS) term the value comes from
    vocabulary: str | None = None  # the case field whose allowed values (notations) the column holds
    multiple: bool = False
    reading: str | None = None  # for a power-transfer column: the ontology's reading it reports


@dataclass(frozen=True)
class Value:
    """An allowed value of a vocabulary column."""

    notation: str
    label: str
    definition: str


@dataclass
class CodebookEntry:
    """One column of the table as the codebook describes it."""

    position: int
    column: Column
    meaning: str
    term: str  # the term the value comes from (a CURIE)
    value_class: str  # the class whose individuals' notations are the allowed values (a CURIE)
    values: list[Value] = field(default_factory=list)


_TEXT, _ID = "text", "identifier (slug)"
BASE_COLUMNS: tuple[Column, ...] = (
    Column(
        "case_id",
        _ID,
        "The case's identifier, as in https://w3id.org/coprokg/case/<case_id> and data/cases/<case_id>.json.",
        DCTERMS.identifier,
    ),
    Column("title", _TEXT, "The case's title.", DCTERMS.title),
    Column("country", "ISO 3166-1 alpha-2 code", "Empty when the case states none.", CPK.country),
    Column("domain", "notation", "Empty when the case states none.", CPK.policyDomain, "domain"),
    Column("place", _TEXT, "Empty when the case states none.", CPK.place),
    Column("started", "year (YYYY)", "Empty when the case states none.", CPK.started),
    Column(
        "initiated_by",
        _ID,
        "Given as the id of one of the case's actors (as in actor_id); empty when not stated.",
        CPK.initiatedBy,
    ),
    Column(
        "representativeness",
        "notation",
        "'unknown' when the sources do not say.",
        CPK.representativeness,
        "representativeness",
    ),
    Column("directed_at_citizens", "boolean (true/false)", "", CPK.directedAtCitizens),
    Column(
        "compensation",
        "notations, ;-joined",
        "All of the case's mechanisms, ;-joined in alphabetical order; empty when the case states none.",
        CPK.compensation,
        "compensation",
        multiple=True,
    ),
    Column("actor_id", _ID, "Given as its id within the case.", CPK.participant),
    Column("actor_kind", "notation", "Of the actor in actor_id.", CPK.actorKind, "kind"),
    Column("actor_label", _TEXT, "The name of the actor in actor_id, in words.", RDFS.label),
    Column("stage", "notation", "", CPK.atStage, "stage"),
    Column("decision", "notation", "", CPK.decisionRight, "decision"),
    Column("task", "notation", "Empty when the participation states none (it then has none).", CPK.taskType, "task"),
    Column(
        "contributes",
        "notations, ;-joined",
        "All of them, ;-joined in alphabetical order; empty when the participation states none.",
        CPK.contributes,
        "contributes",
        multiple=True,
    ),
)
_LEVEL_NOTE = (
    "The highest power-transfer level the case reaches under the ontology's default reading (cpk:isDefaultReading), "
    "as stored with the case when it was classified: of that reading's defined classes with a cpk:powerRank, the "
    "highest-ranked one whose equivalent-class axiom the case satisfies, or the reading's floor "
    "(cpk:floorNotation). The same in every row of a case."
)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")


def level_columns(ontology: Ontology) -> list[Column]:
    """``power_transfer`` (the default reading) and one more column per other reading of the levels."""
    cols = [Column("power_transfer", "notation", _LEVEL_NOTE)]
    for typology in ontology.power_typologies():
        if typology.default_reading:
            continue
        floor = ontology.power_levels(typology)[0]
        cols.append(
            Column(
                f"power_transfer_{_slug(typology.notation)}",
                "notation",
                f"The highest level the case reaches under the {typology.label}, or '{floor.notation}' "
                f"({floor.label}).",
                reading=typology.notation,
            )
        )
    return cols


def columns(ontology: Ontology | None = None) -> list[Column]:
    """Every column of the cases table, in order."""
    return [*BASE_COLUMNS, *level_columns(ontology or default_ontology())]


# ---------------------------------------------------------------- the codebook
def _pref_label(ontology: Ontology, iri: URIRef) -> str:
    labels = [lit for lit in ontology.graph.objects(iri, SKOS.prefLabel) if isinstance(lit, Literal)]
    english = [str(lit) for lit in labels if lit.language in (None, "en")]
    return english[0] if english else ontology.label(iri)


def _curie(term: URIRef) -> str:
    for prefix, namespace in (("cpk", str(CPK)), ("dcterms", str(DCTERMS)), ("rdfs", str(RDFS))):
        if str(term).startswith(namespace):
            return f"{prefix}:{str(term)[len(namespace) :]}"
    return str(term)


def _vocabulary_values(ontology: Ontology, name: str) -> list[Value]:
    values = sorted(
        ontology.vocabularies[name].values.values(),
        key=lambda v: (v.rank if v.rank is not None else 0, v.notation),
    )
    return [Value(v.notation, _pref_label(ontology, v.iri), v.definition) for v in values]


def _level_values(ontology: Ontology, reading: str | None) -> list[Value]:
    typologies = ontology.power_typologies()
    typology = next((t for t in typologies if t.notation == reading), None) if reading else ontology.default_reading()
    if typology is None:
        return []
    values = []
    for level in ontology.power_levels(typology):
        label = _pref_label(ontology, level.iri) if level.iri is not None else level.label
        definition = ontology.definition(level.iri) if level.iri is not None else level.definition
        values.append(Value(level.notation, label, definition))
    return values


def codebook(ontology: Ontology | None = None) -> list[CodebookEntry]:
    """Every column of the cases table with its meaning and, for vocabulary columns, its allowed values."""
    ontology = ontology or default_ontology()
    entries = []
    for position, column in enumerate(columns(ontology), start=1):
        definition = ontology.definition(column.term) if column.term is not None else ""
        if column.vocabulary is not None and not definition:
            definition = ontology.definition(FIELD_VOCABULARIES[column.vocabulary])
        meaning = " ".join(part for part in (definition, column.note) if part)
        if column.vocabulary is not None:
            values = _vocabulary_values(ontology, column.vocabulary)
        elif column.name.startswith("power_transfer"):
            values = _level_values(ontology, column.reading)
        else:
            values = []
        term = _curie(column.term) if column.term is not None else ""
        value_class = _curie(FIELD_VOCABULARIES[column.vocabulary]) if column.vocabulary is not None else ""
        if column.name == "power_transfer":
            term = "cpkr:powerTransferLevel"
        entries.append(CodebookEntry(position, column, meaning, term, value_class, values))
    return entries


def _md(text: str) -> str:
    """Text for a Markdown table cell."""
    for char in "\\|<>":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", " ")


def codebook_markdown(ontology: Ontology | None = None) -> str:
    """The codebook as Markdown: a table of the columns, then the allowed values of each vocabulary column."""
    entries = codebook(ontology)
    lines = [
        "# Codebook of the coprokg cases table",
        "",
        "`cases.csv` (`coprokg export --format csv`, `GET /export/cases.csv`) has one row per participation: one",
        "actor taking part in one stage of a case's service cycle. A case's own fields repeat in each of its rows.",
        "The file is CSV as in RFC 4180 (comma-separated, CRLF line ends, double quotes where needed), UTF-8,",
        "with a header row; rows are ordered by case id, then actor id, then stage. An empty cell is a value the",
        "case does not state. A cell with several values joins them with `;`. The meanings and allowed values",
        "below are read from the coprokg ontology (https://w3id.org/coprokg/ontology): a value is the",
        "`skos:notation` of an individual, with its `skos:prefLabel` and `skos:definition`.",
        "",
        "R and pandas read the text `NA` as missing by default, and `NA` is also Namibia's country code: read",
        'the file with `na.strings = ""` (R) or `keep_default_na=False, na_values=[""]` (pandas) to keep it.',
        "",
        "| # | column | type | meaning | term | values |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for e in entries:
        term = f"`{e.term}`" if e.term else ""
        values = f"[{len(e.values)} values](#{e.column.name})" if e.values else ""
        if e.value_class:
            values += f": `{e.value_class}`"
        lines.append(
            f"| {e.position} | `{e.column.name}` | {_md(e.column.type)} | {_md(e.meaning)} | {term} | {values} |"
        )
    for e in entries:
        if not e.values:
            continue
        lines += ["", f"## {e.column.name}", "", "| value | label | definition |", "| --- | --- | --- |"]
        lines += [f"| `{_md(v.notation)}` | {_md(v.label)} | {_md(v.definition)} |" for v in e.values]
    return "\n".join(lines) + "\n"


CODEBOOK_CSV_HEADER = (
    "position",
    "column",
    "type",
    "meaning",
    "term",
    "value_class",
    "value",
    "value_label",
    "value_definition",
)


def codebook_csv(ontology: Ontology | None = None) -> str:
    """The codebook as CSV: a row per allowed value of a vocabulary column, one row for each other column."""
    rows: list[Sequence[str]] = []
    for e in codebook(ontology):
        head = (str(e.position), e.column.name, e.column.type, e.meaning, e.term, e.value_class)
        if e.values:
            rows += [(*head, v.notation, v.label, v.definition) for v in e.values]
        else:
            rows.append((*head, "", "", ""))
    return _write_csv(CODEBOOK_CSV_HEADER, rows)


# ---------------------------------------------------------------- the cases table
@dataclass
class StoredCase:
    """A case read back from the store, with the classification stored with it."""

    case: Case
    classification: dict[str, Any]


def case_graph_quads(store: GraphStore) -> list[ox.Quad]:
    """Every quad of the case graphs and of what was derived from each case, in one query."""
    rows = store.select(
        "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
        f"FILTER(STRSTARTS(STR(?g), {literal(CASE_GRAPH_PREFIX)})) }}"
    )
    return [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]


def stored_cases(store: GraphStore, ontology: Ontology | None = None) -> list[StoredCase]:
    """Every stored case (ordered by id), as the case format, with its stored classification."""
    ontology = ontology or default_ontology()
    described: dict[str, list[ox.Triple]] = {}
    classifications: dict[str, dict[str, Any]] = {}
    for quad in case_graph_quads(store):
        assert isinstance(quad.graph_name, ox.NamedNode)
        node = parse_case_node(quad.graph_name.value)
        if node is None:
            continue
        case_id = node.case_id
        if node.kind is NodeKind.CASE_GRAPH:
            described.setdefault(case_id, []).append(quad.triple)
        elif node.kind is NodeKind.CLASSIFICATION_GRAPH and quad.predicate.value == _CLASSIFICATION:
            assert isinstance(quad.object, ox.Literal)
            classifications[case_id] = json.loads(quad.object.value)
    return [
        StoredCase(
            graph_to_case(triples_to_graph(described[case_id]), case_id, ontology), classifications.get(case_id, {})
        )
        for case_id in sorted(described)
    ]


def _level_under(classification: dict[str, Any], reading: str, floor: str) -> str:
    """The stored level under one reading; the reading's floor when the case was classified without it."""
    for stored in classification.get("readings", []):
        if stored.get("reading") == reading:
            return str(stored.get("level") or floor)
    return floor


def _rows(
    stored: StoredCase, level_cols: Sequence[Column], floors: dict[str, str]
) -> Iterable[tuple[tuple[str, str, int], list[str]]]:
    case = stored.case
    actors = {a.id: a for a in case.actors}
    common = [
        case.id,
        case.title or "",
        case.country or "",
        case.domain or "",
        case.place or "",
        case.started or "",
        case.initiated_by or "",
        case.representativeness,
        "true" if case.directed_at_citizens else "false",
        JOIN.join(sorted(case.compensation)),
    ]
    levels = [
        str(stored.classification.get("power_transfer", ""))
        if column.reading is None
        else _level_under(stored.classification, column.reading, floors.get(column.reading, ""))
        for column in level_cols
    ]
    for position, part in enumerate(case.participations):
        actor = actors.get(part.actor)
        yield (
            (part.actor, part.stage, position),
            [*common, *_participation(part, actor.kind if actor else "", actor.label if actor else ""), *levels],
        )


def _participation(part: Participation, kind: str, label: str) -> list[str]:
    return [part.actor, kind, label, part.stage, part.decision, part.task or "", JOIN.join(sorted(part.contributes))]


def cases_table(store: GraphStore, ontology: Ontology | None = None) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of the cases table (one row per stored participation)."""
    ontology = ontology or default_ontology()
    level_cols = level_columns(ontology)
    floors = {t.notation: ontology.power_levels(t)[0].notation for t in ontology.power_typologies()}
    header = [c.name for c in (*BASE_COLUMNS, *level_cols)]
    rows: list[list[str]] = []
    for stored in stored_cases(store, ontology):  # ordered by case id
        rows += [row for _, row in sorted(_rows(stored, level_cols, floors), key=lambda keyed: keyed[0])]
    return header, rows


def cases_csv(store: GraphStore, ontology: Ontology | None = None) -> str:
    """The cases table as CSV (RFC 4180, header row); encode it as UTF-8."""
    header, rows = cases_table(store, ontology)
    return _write_csv(header, rows)


def _write_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


# ---------------------------------------------------------------- JSON-LD
def whole_store_jsonld(store: GraphStore) -> bytes:
    """Every named graph of the store (ontology, shapes, each case and its classification) as JSON-LD."""
    out = io.BytesIO()
    store.export(out, "jsonld")
    return out.getvalue()
