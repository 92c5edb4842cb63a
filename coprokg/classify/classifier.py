"""Classify a described case: power transfer, typology cells, roles, paradigms, risks, and why."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from coprokg.cases.load import LoadedCase
from coprokg.cases.model import Actor, Participation
from coprokg.classify.compiler import INF, Change, CompiledOntology, DefinedClass, Node
from coprokg.classify.expressions import Named, render
from coprokg.classify.result import Classification, Explanation, Membership, NearMiss, Reading
from coprokg.fields import node_path, property_path
from coprokg.namespaces import CPK, CaseNode, NodeKind, actor_iri, case_iri, parse_case_node
from coprokg.ontology import Ontology, Typology, ontology_at
from coprokg.paths import ontology_path, resolved, shapes_dir
from coprokg.risks import RiskEvaluator

# Near misses are listed for the typologies marked cpk:hasNearMisses: for every level not reached
# of a ranked typology, and for the other cells that one change would reach.
NEAR_MISS_MAX_COST = 1


_CITATION = re.compile(r"^(.*?\b(?:19|20)\d\d[a-z]?)(?:, .*?\b(pp?\. [0-9][0-9–-]*))?")


def short_citation(sources: list[str]) -> str:
    """The source to name in a sentence: the first read with a page ("Meijer 2016, p. 604"), else the first.

    >>> short_citation(["Brandsen & Pestoff 2006, PMR 8(4) (not opened here)", "Meijer 2016, p. 604 (page …)"])
    'Meijer 2016, p. 604'
    """
    if not sources:
        return ""
    read = [s for s in sources if "not opened" not in s and "secondary" not in s]
    paged = [s for s in read if re.search(r"\bpp?\. [0-9]", s)]
    chosen = (paged or read or sources)[0]
    match = _CITATION.match(chosen)
    if not match:
        return chosen.split(" (")[0]
    if not read:  # a source not opened here is named, but no page is pinned on it
        return match.group(1)
    return match.group(1) + (f", {match.group(2)}" if match.group(2) else "")


class Classifier:
    """Compiles the ontology once; ``classify`` then runs in milliseconds per case."""

    def __init__(self, ontology: Ontology, *, risk_shapes: Path | None = None) -> None:
        self.ontology = ontology
        self.compiled = CompiledOntology(ontology)
        self.risks = RiskEvaluator(ontology, risk_shapes or shapes_dir() / "risks.ttl")
        self.case_classes = [
            dc for dc in self.compiled.defined.values() if not dc.is_value_set and CPK.Case in dc.requires
        ]
        self.actor_classes = [
            dc for dc in self.compiled.defined.values() if not dc.is_value_set and CPK.Actor in dc.requires
        ]
        self.levels = sorted((dc for dc in self.case_classes if dc.rank is not None), key=lambda d: d.rank or 0)
        self.readings = ontology.power_typologies()
        self.default_reading = ontology.default_reading()
        self.floors = {t.iri: ontology.power_levels(t)[0] for t in self.readings}
        typologies = ontology.typologies
        self.near_miss_typologies = {iri for iri, t in typologies.items() if t.has_near_misses}
        self.paradigm_typologies = {iri for iri, t in typologies.items() if t.reports_paradigms}
        # axioms and sources are the same for every case: render them once
        self.axioms = {
            iri: f"{dc.label} ≡ {render(dc.expression, ontology.label)}" for iri, dc in self.compiled.defined.items()
        }
        self.class_sources = {iri: ontology.sources(iri) for iri in self.compiled.defined}

    # ------------------------------------------------------------------ wording
    @staticmethod
    def _case_node(node: Node, loaded: LoadedCase) -> CaseNode | None:
        """The node of this case that ``node`` is (``coprokg.iris``), or None."""
        if not isinstance(node, URIRef):
            return None
        parsed = parse_case_node(node)
        return parsed if parsed is not None and parsed.case_id == loaded.case.id else None

    @staticmethod
    def _actor(loaded: LoadedCase, actor_id: str) -> Actor | None:
        return next((a for a in loaded.case.actors if a.id == actor_id), None)

    @staticmethod
    def _participation(loaded: LoadedCase, node: CaseNode) -> Participation | None:
        parts = loaded.case.participations
        return parts[node.position - 1] if 0 < node.position <= len(parts) else None

    def _path(self, node: CaseNode, loaded: LoadedCase) -> str | None:
        """The node's field path in the case file (``participations[0]``, ``actors[1]``)."""
        return node_path(node, [a.id for a in loaded.case.actors])

    def _describe_node(self, node: Node, loaded: LoadedCase) -> str:
        if isinstance(node, Literal):
            return repr(str(node))
        parsed = self._case_node(node, loaded)
        if parsed is None:
            return self.ontology.label(node)
        if parsed.kind is NodeKind.CASE:
            return f"case '{parsed.case_id}'"
        if parsed.kind is NodeKind.ACTOR:
            actor = self._actor(loaded, str(parsed.key))
            return f"{actor.label} ({actor.id})" if actor else str(parsed.key)
        path = self._path(parsed, loaded) or str(node)
        if parsed.kind is NodeKind.PARTICIPATION:
            part = self._participation(loaded, parsed)
            return f"{path} ({part.actor} at {part.stage})" if part else path
        return path

    def _plain_node(self, node: Node, loaded: LoadedCase) -> str:
        """A node in words a reader knows: "the part of Neighbourhood residents in commissioning"."""
        parsed = self._case_node(node, loaded)
        if parsed is not None and parsed.kind is NodeKind.PARTICIPATION:
            part = self._participation(loaded, parsed)
            if part is not None:
                actor = self._actor(loaded, part.actor)
                stage = self.ontology.vocabularies["stage"].values.get(part.stage)
                return f"the part of {actor.label if actor else part.actor} in {stage.label if stage else part.stage}"
        if parsed is not None and parsed.kind is NodeKind.ACTOR:
            actor = self._actor(loaded, str(parsed.key))
            return actor.label if actor else str(parsed.key)
        if parsed is not None and parsed.kind is NodeKind.CASE:
            return "the case"
        return self._describe_node(node, loaded)

    def _summary(
        self, dc: DefinedClass, node: URIRef, proof: list[tuple[Node, URIRef, Node]], loaded: LoadedCase
    ) -> str:
        """One plain sentence: who does what, so the case (or actor) is in the class — with the source."""
        in_proof = (self._case_node(s, loaded) for s, _p, _o in proof)
        participations = dict.fromkeys(n for n in in_proof if n is not None and n.kind is NodeKind.PARTICIPATION)
        parts: list[str] = []
        for n in participations:
            part = self._participation(loaded, n)
            if part is None:
                continue
            actor = self._actor(loaded, part.actor)
            kind = self.ontology.vocabularies["kind"].values.get(actor.kind) if actor else None
            stage = self.ontology.vocabularies["stage"].values.get(part.stage)
            decision = self.ontology.vocabularies["decision"].values.get(part.decision)
            who = f"{actor.label if actor else part.actor}" + (f" ({kind.label})" if kind else "")
            parts.append(
                f"the participation of {who} in {stage.label if stage else part.stage} has the decision right "
                f"“{decision.label if decision else part.decision}”"
            )
        reason = "; ".join(parts) if parts else "the case facts below satisfy its axiom"
        parsed = self._case_node(node, loaded)
        if parsed is not None and parsed.kind is NodeKind.CASE:
            conclusion = f"the case {'reaches' if dc.rank is not None else 'is'} {dc.label}"
        else:
            conclusion = f"the role of {self._plain_node(node, loaded)} is {dc.label}"
        sentence = f"{reason[0].upper()}{reason[1:]}, so {conclusion}"
        cited = short_citation(self.class_sources.get(dc.iri) or [])
        return sentence + (f" — {cited}." if cited else ".")

    def _fact_text(self, fact: tuple[Node, URIRef, Node], loaded: LoadedCase) -> str:
        key = (self, fact)  # explanations of one case repeat facts: word each once
        text: str | None = loaded.memo.get(key)
        if text is None:
            s, p, o = fact
            if p == RDF.type:
                label = self.ontology.label(o) if isinstance(o, URIRef) else o
                text = f"{self._describe_node(s, loaded)} is a {label}"
            else:
                text = f"{self._describe_node(s, loaded)} — {self.ontology.label(p)} — {self._describe_node(o, loaded)}"
            loaded.memo[key] = text
        return text

    def _node_path(self, node: URIRef, loaded: LoadedCase) -> str:
        """The field path of a classified node: '' for the case, ``actors[0]`` for its first actor."""
        parsed = self._case_node(node, loaded)
        path = self._path(parsed, loaded) if parsed is not None else None
        return path if path is not None else str(node)

    def _explain(self, dc: DefinedClass, node: URIRef, facts: object, loaded: LoadedCase) -> Explanation:
        proof: list[tuple[Node, URIRef, Node]] = []
        self.compiled.holds(Named(dc.iri), node, facts, proof)  # type: ignore[arg-type]
        seen: list[str] = []
        for fact in proof:
            if fact[1] == RDF.type:
                continue  # asserted types (a case is a case) say nothing to a reader
            text = self._fact_text(fact, loaded)
            if text not in seen:
                seen.append(text)
        return Explanation(
            summary=self._summary(dc, node, proof, loaded),
            axiom=self.axioms[dc.iri],
            facts=seen,
            source=self.class_sources[dc.iri],
        )

    def _membership(self, dc: DefinedClass, node: URIRef, facts: object, loaded: LoadedCase) -> Membership:
        return Membership(
            iri=str(dc.iri),
            label=dc.label,
            typology=dc.typology,
            typology_iri=str(dc.typology_iri) if dc.typology_iri is not None else None,
            notation=dc.notation,
            rank=dc.rank,
            node=self._node_path(node, loaded),
            node_iri=str(node),
            explanation=self._explain(dc, node, facts, loaded),
        )

    def _change_text(self, change: Change, loaded: LoadedCase) -> str:
        """A near miss's change in plain words, from the ontology's labels."""
        where = self._plain_node(change.node, loaded)
        if change.prop is not None and change.wanted:
            current = ", ".join(self._plain_node(c, loaded) for c in change.current) or "nothing"
            wanted = " or ".join(self.ontology.label(w) for w in change.wanted)
            text = f"the {self.ontology.label(change.prop)} of {where} were {wanted} instead of {current}"
            changed = self._case_node(change.node, loaded)
            if changed is not None and changed.kind is NodeKind.PARTICIPATION:
                text += " (or a new participation like it were added)"
            return text
        if change.text.startswith("would need not to satisfy"):
            return f"{where} were dropped"
        if change.text.startswith("would need a new "):
            return f"{where} had a new {change.text.removeprefix('would need a new ')}"
        return f"{where} {change.text}".strip()

    def _near_miss(
        self, dc: DefinedClass, node: URIRef, facts: object, loaded: LoadedCase, max_cost: int = INF
    ) -> NearMiss | None:
        """What would put ``node`` in ``dc`` (None when nothing would, or only changes costing more
        than ``max_cost``: those are not worded)."""
        cost, changes = self.compiled.repair(Named(dc.iri), node, facts)  # type: ignore[arg-type]
        if cost >= INF or cost > max_cost or not changes:
            return None
        texts: list[str] = []
        paths: list[str] = []
        actor_ids = [a.id for a in loaded.case.actors]
        for change in changes:
            text = self._change_text(change, loaded)
            if text not in texts:
                texts.append(text)
            changed = self._case_node(change.node, loaded)
            path = property_path(changed, change.prop, actor_ids) if changed is not None else None
            if path is not None and path not in paths:
                paths.append(path)
        return NearMiss(
            iri=str(dc.iri),
            label=dc.label,
            typology=dc.typology,
            typology_iri=str(dc.typology_iri) if dc.typology_iri is not None else None,
            cost=cost,
            changes=texts,
            fields=paths,
            text=f"would be {dc.label} if " + "; and ".join(texts),
        )

    def _reading(self, typology: Typology, levels: list[Membership]) -> Reading:
        """The highest level of one reading that the case reaches, or the reading's floor."""
        own = [m for m in levels if m.typology_iri == str(typology.iri)]
        top = max(own, key=lambda m: m.rank or 0) if own else None
        floor = self.floors[typology.iri]
        return Reading(
            typology_iri=str(typology.iri),
            typology=typology.label,
            reading=typology.notation,
            default=typology.default_reading,
            level=(top.notation or top.label) if top else floor.notation,
            label=top.label if top else floor.label,
            iri=top.iri if top else None,
            rank=(top.rank or 0) if top else 0,
            explanation=top.explanation if top else None,
        )

    # ------------------------------------------------------------------ classification
    def classify(self, loaded: LoadedCase, *, risks: bool = True, near_misses: bool = True) -> Classification:
        """Classify one loaded case.

        >>> from coprokg.cases import load_case
        >>> result = default_classifier().classify(load_case("tests/fixtures/buurt.json"), risks=False)
        >>> result.power_transfer
        'co-governance'
        """
        facts = self.compiled.facts_of(loaded.graph)
        case_node = self.compiled.node(facts, case_iri(loaded.case.id))
        reached = [dc for dc in self.case_classes if self.compiled.holds(Named(dc.iri), case_node, facts, None)]
        memberships = [self._membership(dc, case_node, facts, loaded) for dc in reached]
        levels = [m for m in memberships if m.rank is not None]
        readings = [self._reading(typology, levels) for typology in self.readings]
        default = next(r for r in readings if r.default)
        roles: list[Membership] = []
        for actor in loaded.case.actors:
            node = self.compiled.node(facts, actor_iri(loaded.case.id, actor.id))
            for dc in self.actor_classes:
                if dc.typology and self.compiled.holds(Named(dc.iri), node, facts, None):
                    roles.append(self._membership(dc, node, facts, loaded))
        paradigms = [
            m for m in memberships if m.typology_iri is not None and URIRef(m.typology_iri) in self.paradigm_typologies
        ]
        typologies: dict[str, list[str]] = {}
        for m in memberships:
            if m.typology:
                typologies.setdefault(m.typology, []).append(m.label)
        misses: list[NearMiss] = []
        if near_misses:
            reached_iris = {dc.iri for dc in reached}
            for dc in self.case_classes:
                if dc.iri in reached_iris or dc.typology_iri not in self.near_miss_typologies:
                    continue
                # every level that is not reached is a near miss; another class only when it is near
                miss = self._near_miss(dc, case_node, facts, loaded, INF if dc.rank is not None else NEAR_MISS_MAX_COST)
                if miss is not None:
                    misses.append(miss)
            default_iri = str(self.default_reading.iri)
            misses.sort(key=lambda m: (m.typology_iri != default_iri, m.cost, m.label))
        risk_results = self.risks.evaluate(loaded) if risks else []
        return Classification(
            case_id=loaded.case.id,
            power_transfer=default.level,
            power_transfer_label=default.label,
            power_transfer_explanation=default.explanation,
            power_transfer_reading=default.typology,
            readings=readings,
            levels=sorted((m for m in levels if m.typology_iri == default.typology_iri), key=lambda m: m.rank or 0),
            classes=memberships,
            roles=roles,
            paradigms=paradigms,
            typologies=typologies,
            risks=risk_results,
            near_misses=misses,
            notes=loaded.notes,
        )


@lru_cache(maxsize=4)
def _classifier_for(path: Path) -> Classifier:
    return Classifier(ontology_at(path))


def default_classifier() -> Classifier:
    """The classifier for the project's ontology, compiled once per process."""
    return _classifier_for(resolved(ontology_path()))
