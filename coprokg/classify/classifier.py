"""Classify a described case: power transfer, typology cells, roles, paradigms, risks, and why."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from coprokg.cases.load import LoadedCase
from coprokg.classify.compiler import INF, Change, CompiledOntology, DefinedClass, Node
from coprokg.classify.expressions import Named, render
from coprokg.classify.result import NO_LEVEL, NO_LEVEL_LABEL, Classification, Explanation, Membership, NearMiss
from coprokg.namespaces import CASE_BASE, CPK, case_iri
from coprokg.ontology import Ontology
from coprokg.paths import ontology_path, shapes_dir
from coprokg.risks import RiskEvaluator

POWER_TYPOLOGY = "power-transfer level"
# Near misses are listed for every level not reached, and for the cells of the other case
# typologies that one change would reach.
NEAR_MISS_MAX_COST = 1
NEAR_MISS_TYPOLOGIES = {POWER_TYPOLOGY, "Brandsen & Honingh 2016", "Bovaird 2007"}


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
        # axioms and sources are the same for every case: render them once
        self.axioms = {
            iri: f"{dc.label} ≡ {render(dc.expression, ontology.label)}" for iri, dc in self.compiled.defined.items()
        }
        self.class_sources = {iri: ontology.sources(iri) for iri in self.compiled.defined}

    # ------------------------------------------------------------------ wording
    def _describe_node(self, node: Node, loaded: LoadedCase) -> str:
        if isinstance(node, Literal):
            return repr(str(node))
        text = str(node)
        case_id = loaded.case.id
        prefix = f"{CASE_BASE}{case_id}"
        if text == prefix:
            return f"case '{case_id}'"
        if text.startswith(prefix + "/actor/"):
            actor_id = text.rsplit("/", 1)[-1]
            actor = next((a for a in loaded.case.actors if a.id == actor_id), None)
            return f"{actor.label} ({actor_id})" if actor else actor_id
        if text.startswith(prefix + "/participation/"):
            n = int(text.rsplit("/", 1)[-1])
            part = loaded.case.participations[n - 1]
            return f"participations[{n - 1}] ({part.actor} at {part.stage})"
        return self.ontology.label(node)

    def _fact_text(self, fact: tuple[Node, URIRef, Node], loaded: LoadedCase) -> str:
        s, p, o = fact
        if p == RDF.type:
            return f"{self._describe_node(s, loaded)} is a {self.ontology.label(o) if isinstance(o, URIRef) else o}"
        return f"{self._describe_node(s, loaded)} — {self.ontology.label(p)} — {self._describe_node(o, loaded)}"

    def _node_path(self, node: URIRef, loaded: LoadedCase) -> str:
        text = str(node)
        prefix = f"{CASE_BASE}{loaded.case.id}"
        if text == prefix:
            return ""
        if "/actor/" in text:
            return f"actors[{text.rsplit('/', 1)[-1]}]"
        return text[len(prefix) + 1 :]

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
        return Explanation(axiom=self.axioms[dc.iri], facts=seen, source=self.class_sources[dc.iri])

    def _membership(self, dc: DefinedClass, node: URIRef, facts: object, loaded: LoadedCase) -> Membership:
        return Membership(
            iri=str(dc.iri),
            label=dc.label,
            typology=dc.typology,
            notation=dc.notation,
            rank=dc.rank,
            node=self._node_path(node, loaded),
            explanation=self._explain(dc, node, facts, loaded),
        )

    def _change_text(self, change: Change, loaded: LoadedCase) -> str:
        where = self._describe_node(change.node, loaded)
        if change.prop is not None and change.wanted:
            current = ", ".join(self._describe_node(c, loaded) for c in change.current) or "nothing"
            wanted = " or ".join(self.ontology.label(w) for w in change.wanted)
            text = f"{where} had {self.ontology.label(change.prop)} {wanted} instead of {current}"
            if "/participation/" in str(change.node):
                text += " (or a new participation like it)"
            return text
        return f"{where} {change.text}".strip()

    def _near_miss(self, dc: DefinedClass, node: URIRef, facts: object, loaded: LoadedCase) -> NearMiss | None:
        cost, changes = self.compiled.repair(Named(dc.iri), node, facts)  # type: ignore[arg-type]
        if cost >= INF or not changes:
            return None
        texts = []
        for change in changes:
            text = self._change_text(change, loaded)
            if text not in texts:
                texts.append(text)
        return NearMiss(
            iri=str(dc.iri),
            label=dc.label,
            typology=dc.typology,
            cost=cost,
            changes=texts,
            text=f"would be {dc.label} if " + "; and ".join(texts),
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
        case_node = case_iri(loaded.case.id)
        reached = [dc for dc in self.case_classes if self.compiled.holds(Named(dc.iri), case_node, facts, None)]
        memberships = [self._membership(dc, case_node, facts, loaded) for dc in reached]
        levels = [m for m in memberships if m.rank is not None]
        top = max(levels, key=lambda m: m.rank or 0) if levels else None
        roles: list[Membership] = []
        for actor in loaded.case.actors:
            node = URIRef(f"{CASE_BASE}{loaded.case.id}/actor/{actor.id}")
            for dc in self.actor_classes:
                if dc.typology and self.compiled.holds(Named(dc.iri), node, facts, None):
                    roles.append(self._membership(dc, node, facts, loaded))
        paradigms = [m for m in memberships if m.typology == "Meijer 2016 social contracts"]
        typologies: dict[str, list[str]] = {}
        for m in memberships:
            if m.typology:
                typologies.setdefault(m.typology, []).append(m.label)
        misses: list[NearMiss] = []
        if near_misses:
            reached_iris = {dc.iri for dc in reached}
            for dc in self.case_classes:
                if dc.iri in reached_iris or dc.typology not in NEAR_MISS_TYPOLOGIES:
                    continue
                miss = self._near_miss(dc, case_node, facts, loaded)
                if miss is None:
                    continue
                if dc.rank is not None or miss.cost <= NEAR_MISS_MAX_COST:
                    misses.append(miss)
            misses.sort(key=lambda m: (m.typology != POWER_TYPOLOGY, m.cost, m.label))
        risk_results = self.risks.evaluate(loaded) if risks else []
        return Classification(
            case_id=loaded.case.id,
            power_transfer=(top.notation or top.label) if top else NO_LEVEL,
            power_transfer_label=top.label if top else NO_LEVEL_LABEL,
            power_transfer_explanation=top.explanation if top else None,
            levels=sorted(levels, key=lambda m: m.rank or 0),
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
    return Classifier(Ontology.load(path))


def default_classifier() -> Classifier:
    """The classifier for the project's ontology, compiled once per process."""
    return _classifier_for(ontology_path().resolve())
