"""Case JSON <-> RDF, with every vocabulary value resolved against the ontology.

``case_to_graph`` gives the triples of one case (for its own named graph); ``graph_to_case``
reads them back, so that export and import round-trip. Vocabulary slugs are resolved through
``skos:notation`` (and, case-insensitively, ``skos:altLabel``); the canonical slug is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD
from rdflib.term import Node

from coprokg.cases.model import AccountabilityRelation, Actor, Case, Participation, SourceClassification, SourceRef
from coprokg.errors import CaseFormatError
from coprokg.namespaces import (
    CASE_BASE,
    CPK,
    accountability_iri,
    actor_iri,
    case_iri,
    participation_iri,
    source_iri,
)
from coprokg.ontology import Ontology


@dataclass
class ResolvedCase:
    """A case whose vocabulary values are all canonical notations, with what was rewritten."""

    case: Case
    notes: list[str] = field(default_factory=list)


def resolve_case(case: Case, ontology: Ontology, *, source: str | None = None) -> ResolvedCase:
    """Check references and replace every vocabulary value by its canonical notation.

    Raises ``CaseFormatError`` for an unknown value (with the allowed ones), an undeclared actor,
    or a duplicate actor id.
    """
    notes: list[str] = []
    voc = ontology.vocabularies

    def canon(field_name: str, value: str, path: str) -> str:
        resolved = voc[field_name].resolve(value, field_path=path, source=source).notation
        if resolved != value:
            notes.append(f"{path}: {value!r} read as {resolved!r}")
        return resolved

    data = case.model_copy(deep=True)
    seen: dict[str, int] = {}
    for i, actor in enumerate(data.actors):
        if actor.id in seen:
            raise CaseFormatError(
                f"duplicate actor id {actor.id!r} (first declared at actors[{seen[actor.id]}])",
                field=f"actors[{i}].id",
                source=source,
            )
        seen[actor.id] = i
        actor.kind = canon("kind", actor.kind, f"actors[{i}].kind")
    declared = sorted(seen)

    def known_actor(actor_id: str, path: str) -> None:
        if actor_id not in seen:
            raise CaseFormatError(
                f"actor {actor_id!r} is not declared in 'actors'",
                field=path,
                allowed=declared,
                source=source,
            )

    if data.domain is not None:
        data.domain = canon("domain", data.domain, "domain")
    if data.initiated_by is not None:
        known_actor(data.initiated_by, "initiated_by")
    for i, part in enumerate(data.participations):
        known_actor(part.actor, f"participations[{i}].actor")
        part.stage = canon("stage", part.stage, f"participations[{i}].stage")
        part.decision = canon("decision", part.decision, f"participations[{i}].decision")
        if part.task is not None:
            part.task = canon("task", part.task, f"participations[{i}].task")
        # contributions and compensation are sets: kept sorted and without repeats (canonical form)
        part.contributes = sorted(
            {canon("contributes", r, f"participations[{i}].contributes[{j}]") for j, r in enumerate(part.contributes)}
        )
    for i, rel in enumerate(data.accountability):
        known_actor(rel.accountor, f"accountability[{i}].accountor")
        known_actor(rel.forum, f"accountability[{i}].forum")
        rel.type = canon("type", rel.type, f"accountability[{i}].type")
    data.compensation = sorted(
        {canon("compensation", c, f"compensation[{j}]") for j, c in enumerate(data.compensation)}
    )
    data.representativeness = canon("representativeness", data.representativeness, "representativeness")
    if data.source_classification is not None and data.source_classification.level is not None:
        levels = ontology.level_notations()
        if data.source_classification.level not in levels:
            raise CaseFormatError(
                f"unknown power-transfer level {data.source_classification.level!r}",
                field="source_classification.level",
                allowed=levels,
                source=source,
            )
    return ResolvedCase(data, notes)


def _iri(ontology: Ontology, field_name: str, slug: str) -> URIRef:
    return ontology.vocabularies[field_name].values[slug].iri


def case_to_graph(case: Case, ontology: Ontology) -> Graph:
    """The RDF of a resolved case (its values must be canonical: see ``resolve_case``)."""
    g = Graph()
    g.bind("cpk", CPK)
    g.bind("dcterms", DCTERMS)
    c = case_iri(case.id)
    add = g.add
    add((c, RDF.type, CPK.Case))
    add((c, DCTERMS.identifier, Literal(case.id)))
    if case.title is not None:
        add((c, DCTERMS.title, Literal(case.title)))
    if case.description is not None:
        add((c, DCTERMS.description, Literal(case.description)))
    if case.domain is not None:
        add((c, CPK.policyDomain, _iri(ontology, "domain", case.domain)))
    if case.country is not None:
        add((c, CPK.country, Literal(case.country)))
    if case.place is not None:
        add((c, CPK.place, Literal(case.place)))
    if case.started is not None:
        add((c, CPK.started, Literal(case.started)))
    for n, actor in enumerate(case.actors, start=1):
        a = actor_iri(case.id, actor.id)
        add((c, CPK.hasActor, a))
        add((a, RDF.type, CPK.Actor))
        add((a, DCTERMS.identifier, Literal(actor.id)))
        add((a, RDFS.label, Literal(actor.label)))
        add((a, CPK.actorKind, _iri(ontology, "kind", actor.kind)))
        add((a, CPK.listPosition, Literal(n, datatype=XSD.integer)))
    if case.initiated_by is not None:
        a = actor_iri(case.id, case.initiated_by)
        add((c, CPK.initiatedBy, a))
        add((a, CPK.initiates, c))
    for n, part in enumerate(case.participations, start=1):
        p = participation_iri(case.id, n)
        a = actor_iri(case.id, part.actor)
        add((c, CPK.hasParticipation, p))
        add((p, RDF.type, CPK.Participation))
        add((p, CPK.listPosition, Literal(n, datatype=XSD.integer)))
        add((p, CPK.participant, a))
        add((a, CPK.takesPartIn, p))
        add((p, CPK.atStage, _iri(ontology, "stage", part.stage)))
        add((p, CPK.decisionRight, _iri(ontology, "decision", part.decision)))
        if part.task is not None:
            add((p, CPK.taskType, _iri(ontology, "task", part.task)))
        for r in part.contributes:
            add((p, CPK.contributes, _iri(ontology, "contributes", r)))
    for n, rel in enumerate(case.accountability, start=1):
        r_node = accountability_iri(case.id, n)
        add((c, CPK.hasAccountabilityRelation, r_node))
        add((r_node, RDF.type, CPK.AccountabilityRelation))
        add((r_node, CPK.listPosition, Literal(n, datatype=XSD.integer)))
        add((r_node, CPK.accountor, actor_iri(case.id, rel.accountor)))
        add((r_node, CPK.forum, actor_iri(case.id, rel.forum)))
        add((r_node, CPK.accountabilityType, _iri(ontology, "type", rel.type)))
        if rel.mechanism is not None:
            add((r_node, CPK.accountabilityMechanism, Literal(rel.mechanism)))
    for comp in case.compensation:
        add((c, CPK.compensation, _iri(ontology, "compensation", comp)))
    add((c, CPK.representativeness, _iri(ontology, "representativeness", case.representativeness)))
    add((c, CPK.directedAtCitizens, Literal(case.directed_at_citizens)))
    for n, src in enumerate(case.sources, start=1):
        s = source_iri(case.id, n)
        add((c, CPK.hasSource, s))
        add((s, RDF.type, CPK.SourceReference))
        add((s, CPK.listPosition, Literal(n, datatype=XSD.integer)))
        add((s, CPK.citation, Literal(src.cite)))
        add((s, CPK.accessMode, Literal(src.access)))
        for prop, value in (
            (CPK.page, src.page),
            (CPK.citedVia, src.via),
            (CPK.pageNote, src.page_note),
            (CPK.sourceUrl, src.url),
        ):
            if value is not None:
                add((s, prop, Literal(value)))
    if case.source_classification is not None:
        sc = case.source_classification
        node = URIRef(f"{CASE_BASE}{case.id}/source-classification")
        add((c, CPK.hasSourceClassification, node))
        add((node, RDF.type, CPK.SourceClassification))
        add((node, CPK.statement, Literal(sc.statement)))
        add((node, CPK.citation, Literal(sc.cite)))
        for prop, value in ((CPK.statedLevel, sc.level), (CPK.statedType, sc.type), (CPK.page, sc.page)):
            if value is not None:
                add((node, prop, Literal(value)))
    return g


def _str(g: Graph, s: URIRef, p: URIRef) -> str | None:
    value = g.value(s, p)
    return None if value is None else str(value)


def _position(g: Graph, node: Node) -> int:
    value = g.value(node, CPK.listPosition)
    return int(value) if isinstance(value, Literal) else 0


def case_ids(g: Graph) -> list[str]:
    """The ids of the cases described in ``g``."""
    ids = []
    for c in g.subjects(RDF.type, CPK.Case):
        ident = g.value(c, DCTERMS.identifier)
        if ident is None and str(c).startswith(CASE_BASE):
            ident = Literal(str(c)[len(CASE_BASE) :])
        if ident is not None:
            ids.append(str(ident))
    return sorted(ids)


def graph_to_case(g: Graph, case_id: str, ontology: Ontology, *, source: str | None = None) -> Case:
    """Read one case back from its RDF (the inverse of ``case_to_graph``)."""
    c = case_iri(case_id)
    if (c, RDF.type, CPK.Case) not in g:
        raise CaseFormatError(f"no cpk:Case <{c}> in the graph", field="id")
    voc = ontology.vocabularies

    def slug(field_name: str, node: object, path: str) -> str:
        if not isinstance(node, URIRef):
            raise CaseFormatError(f"expected an IRI, got {node!r}", field=path, source=source)
        value = voc[field_name].by_iri(node)
        if value is None:
            raise CaseFormatError(
                f"<{node}> is not a value of {voc[field_name].cls}",
                field=path,
                allowed=voc[field_name].notations,
                source=source,
            )
        return value.notation

    def one(subject: URIRef, prop: URIRef, field_name: str, path: str) -> str:
        values = list(g.objects(subject, prop))
        if not values:
            raise CaseFormatError("Field required", field=path, source=source)
        if len(values) > 1:
            raise CaseFormatError(
                f"expected exactly one value, found {len(values)}",
                field=path,
                allowed=voc[field_name].notations,
                source=source,
            )
        return slug(field_name, values[0], path)

    actor_ids: dict[URIRef, str] = {}
    actors = []
    for a in sorted(g.objects(c, CPK.hasActor), key=lambda n: (_position(g, n), str(n))):
        assert isinstance(a, URIRef)
        aid = _str(g, a, DCTERMS.identifier) or str(a).rsplit("/", 1)[-1]
        actor_ids[a] = aid
        actors.append(
            Actor(
                id=aid,
                kind=slug("kind", g.value(a, CPK.actorKind), f"actors[{aid}].kind"),
                label=_str(g, a, RDFS.label) or aid,
            )
        )

    def actor_ref(node: object, path: str) -> str:
        if isinstance(node, URIRef) and node in actor_ids:
            return actor_ids[node]
        raise CaseFormatError(
            f"actor <{node}> is not declared in 'actors'", field=path, allowed=sorted(actor_ids.values()), source=source
        )

    parts = []
    for i, p in enumerate(sorted(g.objects(c, CPK.hasParticipation), key=lambda n: (_position(g, n), str(n)))):
        assert isinstance(p, URIRef)
        task = g.value(p, CPK.taskType)
        parts.append(
            Participation(
                actor=actor_ref(g.value(p, CPK.participant), f"participations[{i}].actor"),
                stage=one(p, CPK.atStage, "stage", f"participations[{i}].stage"),
                decision=one(p, CPK.decisionRight, "decision", f"participations[{i}].decision"),
                task=None if task is None else slug("task", task, "participations.task"),
                contributes=sorted(
                    slug("contributes", r, "participations.contributes") for r in g.objects(p, CPK.contributes)
                ),
            )
        )
    rels = []
    for r in sorted(g.objects(c, CPK.hasAccountabilityRelation), key=lambda n: (_position(g, n), str(n))):
        assert isinstance(r, URIRef)
        rels.append(
            AccountabilityRelation(
                accountor=actor_ref(g.value(r, CPK.accountor), "accountability.accountor"),
                forum=actor_ref(g.value(r, CPK.forum), "accountability.forum"),
                type=slug("type", g.value(r, CPK.accountabilityType), "accountability.type"),
                mechanism=_str(g, r, CPK.accountabilityMechanism),
            )
        )
    sources = []
    for s in sorted(g.objects(c, CPK.hasSource), key=lambda n: (_position(g, n), str(n))):
        assert isinstance(s, URIRef)
        access = _str(g, s, CPK.accessMode) or "read"
        sources.append(
            SourceRef(
                cite=_str(g, s, CPK.citation) or "",
                page=_str(g, s, CPK.page),
                access="secondary" if access == "secondary" else "read",
                via=_str(g, s, CPK.citedVia),
                page_note=_str(g, s, CPK.pageNote),
                url=_str(g, s, CPK.sourceUrl),
            )
        )
    source_classification = None
    sc = g.value(c, CPK.hasSourceClassification)
    if isinstance(sc, URIRef):
        level = _str(g, sc, CPK.statedLevel)
        source_classification = SourceClassification.model_validate(
            {
                "level": level,
                "type": _str(g, sc, CPK.statedType),
                "statement": _str(g, sc, CPK.statement) or "",
                "cite": _str(g, sc, CPK.citation) or "",
                "page": _str(g, sc, CPK.page),
            }
        )
    domain = g.value(c, CPK.policyDomain)
    initiated = g.value(c, CPK.initiatedBy)
    representativeness = g.value(c, CPK.representativeness)
    directed = g.value(c, CPK.directedAtCitizens)
    return Case(
        id=case_id,
        title=_str(g, c, DCTERMS.title),
        description=_str(g, c, DCTERMS.description),
        domain=None if domain is None else slug("domain", domain, "domain"),
        country=_str(g, c, CPK.country),
        place=_str(g, c, CPK.place),
        started=_str(g, c, CPK.started),
        initiated_by=None if initiated is None else actor_ref(initiated, "initiated_by"),
        actors=actors,
        participations=parts,
        accountability=rels,
        compensation=sorted(slug("compensation", x, "compensation") for x in g.objects(c, CPK.compensation)),
        representativeness="unknown"
        if representativeness is None
        else slug("representativeness", representativeness, "representativeness"),
        directed_at_citizens=bool(directed.toPython()) if isinstance(directed, Literal) else False,
        source_classification=source_classification,
        sources=sources,
    )
