"""Compile the ontology's defined classes into a closed-world matcher over one case.

At start-up every ``owl:equivalentClass`` axiom is parsed into an expression tree
(``expressions.py``). Classifying a case evaluates those trees over the case's facts — an index of
the case graph plus the types and value sets of the vocabulary — with proof: each satisfied class
carries the facts that satisfy it, and each unsatisfied one can report the smallest change that
would satisfy it (a near miss). No rule is written in Python: change an axiom in the ontology and
the classification changes.

The closed-world reading is the one stated in the ontology header and enforced for the HermiT
oracle by closure axioms (``coprokg.classify.oracle``): a case lists all its actors, participations
and relations, and a node has exactly the relations stated.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from coprokg.classify.expressions import And, Expr, HasValue, Named, Not, OneOf, Only, Or, Prop, Some, parse_expression
from coprokg.errors import OntologyError
from coprokg.namespaces import CPK
from coprokg.ontology import Ontology

Node = URIRef | Literal
INF = 10**6
# Namespace attribute access and URIRef.__eq__ are slow in rdflib; hot paths compare plain strings.
_THING = str(OWL.Thing)
_TYPE = RDF.type
_TYPE_STR = str(RDF.type)


@dataclass(frozen=True)
class DefinedClass:
    """A named class with an equivalent-class axiom the classifier evaluates."""

    iri: URIRef
    label: str
    expression: Expr
    requires: frozenset[URIRef]
    typology: str | None
    typology_iri: URIRef | None
    rank: int | None
    notation: str | None
    is_value_set: bool


@dataclass
class Facts:
    """Outgoing edges and asserted types of the nodes of one case (plus the vocabulary)."""

    edges: dict[tuple[Node, URIRef], set[Node]] = field(default_factory=lambda: defaultdict(set))
    types: dict[Node, set[URIRef]] = field(default_factory=lambda: defaultdict(set))
    shared_types: dict[Node, set[URIRef]] = field(default_factory=dict)
    memo: dict[tuple[URIRef, Node], bool] = field(default_factory=dict)
    repairs: dict[tuple[object, ...], tuple[int, list[Change]]] = field(default_factory=dict)  # near-miss memo
    terms: dict[str, URIRef] = field(default_factory=dict)  # this case's IRIs, one object each
    answers: dict[tuple[int, Node], bool] = field(default_factory=dict)  # holds() of sub-expressions
    proofs: dict[tuple[object, Node], tuple[bool, tuple[tuple[Node, URIRef, Node], ...]]] = field(
        default_factory=dict
    )  # holds() with its proof

    def types_of(self, node: Node) -> set[URIRef]:
        own = self.types.get(node)
        if own is not None:
            return own
        return self.shared_types.get(node, set())

    def values(self, node: Node, prop: Prop) -> set[Node]:
        if prop.inverse:
            return self.edges.get((node, _inverse_key(prop.iri)), set())
        return self.edges.get((node, prop.iri), set())


@lru_cache(maxsize=4096)
def _inverse_key(prop: URIRef) -> URIRef:
    """The edge key of ``prop`` read backwards (one object per property, see ``Terms``)."""
    return URIRef(str(prop) + "#inverse")


class Terms:
    """One object per IRI.

    rdflib compares two distinct but equal ``URIRef`` objects in Python (``Identifier.__eq__``),
    several times slower than the identity check a dictionary tries first. The compiled ontology
    keeps its IRIs here and every case's IRIs are mapped onto them (or onto one object per case),
    so the lookups of classification almost always succeed on identity.
    """

    def __init__(self) -> None:
        self.known: dict[str, URIRef] = {}

    def __call__(self, term: URIRef) -> URIRef:
        return self.known.setdefault(str(term), term)

    def expression(self, expr: Expr) -> Expr:
        """``expr`` with its IRIs replaced by the known objects."""
        if isinstance(expr, Named):
            return Named(self(expr.iri))
        if isinstance(expr, And):
            return And(tuple(self.expression(p) for p in expr.parts))
        if isinstance(expr, Or):
            return Or(tuple(self.expression(p) for p in expr.parts))
        if isinstance(expr, Not):
            return Not(self.expression(expr.part))
        if isinstance(expr, Some | Only):
            prop = Prop(self(expr.prop.iri), expr.prop.inverse)
            return type(expr)(prop, self.expression(expr.filler))
        if isinstance(expr, HasValue):
            value = self(expr.value) if isinstance(expr.value, URIRef) else expr.value
            return HasValue(Prop(self(expr.prop.iri), expr.prop.inverse), value)
        return OneOf(frozenset(self(m) for m in expr.members), tuple(self(m) for m in expr.order))


@dataclass(frozen=True)
class Change:
    """One edit of the case that a near miss needs."""

    node: Node
    prop: URIRef | None
    current: tuple[Node, ...]
    wanted: tuple[URIRef, ...]
    text: str


@dataclass
class Proof:
    """Why an expression holds (or fails) at a node: the facts used, as (subject, property, object)."""

    holds: bool
    facts: list[tuple[Node, URIRef, Node]] = field(default_factory=list)


class CompiledOntology:
    """The ontology's defined classes, compiled once and applied to many cases."""

    def __init__(self, ontology: Ontology) -> None:
        self.ontology = ontology
        graph = ontology.graph
        self.labels: dict[URIRef, str] = {}
        self.defined: dict[URIRef, DefinedClass] = {}
        self.terms = terms = Terms()
        self.superclasses = {terms(c): {terms(s) for s in sups} for c, sups in self._told_superclasses(graph).items()}
        self.inverse_of = {terms(a): terms(b) for a, b in self._inverses(graph).items()}
        self.super_properties = {
            terms(p): {terms(s) for s in sups} for p, sups in self._super_properties(graph).items()
        }
        for cls, expr_node in graph.subject_objects(OWL.equivalentClass):
            if not isinstance(cls, URIRef):
                continue
            if cls in self.defined:
                raise OntologyError(f"{cls}: more than one owl:equivalentClass axiom; merge them into one")
            cls = self.terms(cls)
            expression = self.terms.expression(parse_expression(graph, expr_node, str(cls)))
            rank = graph.value(cls, CPK.powerRank)
            notation = graph.value(cls, URIRef("http://www.w3.org/2004/02/skos/core#notation"))
            typology = ontology.typology_of(cls)
            self.defined[cls] = DefinedClass(
                iri=cls,
                label=ontology.label(cls),
                expression=expression,
                requires=frozenset(),
                typology=typology.label if typology is not None else None,
                typology_iri=typology.iri if typology is not None else None,
                rank=int(rank) if isinstance(rank, Literal) else None,
                notation=str(notation) if notation is not None else None,
                is_value_set=isinstance(expression, OneOf),
            )
        for cls, dc in list(self.defined.items()):
            self.defined[cls] = DefinedClass(
                **{**dc.__dict__, "requires": frozenset(self._requires(dc.expression, set()))}
            )
        self.vocabulary_facts = self._vocabulary_facts(ontology)
        # properties a near miss may not change (cpk:fixedInNearMisses true), and their inverses
        self.fixed: set[URIRef] = {
            p
            for p, v in graph.subject_objects(CPK.fixedInNearMisses)
            if isinstance(p, URIRef) and isinstance(v, Literal) and bool(v.toPython())
        }
        self.fixed |= {inverse for inverse, prop in self.inverse_of.items() if prop in self.fixed}

    # ------------------------------------------------------------------ ontology structure
    @staticmethod
    def _told_superclasses(graph: Graph) -> dict[URIRef, set[URIRef]]:
        direct: dict[URIRef, set[URIRef]] = defaultdict(set)
        for sub, sup in graph.subject_objects(RDFS.subClassOf):
            if isinstance(sub, URIRef) and isinstance(sup, URIRef):
                direct[sub].add(sup)
        closure: dict[URIRef, set[URIRef]] = {}
        for cls in list(direct):
            seen: set[URIRef] = set()
            todo = [cls]
            while todo:
                for sup in direct.get(todo.pop(), ()):
                    if sup not in seen:
                        seen.add(sup)
                        todo.append(sup)
            closure[cls] = seen
        return closure

    @staticmethod
    def _inverses(graph: Graph) -> dict[URIRef, URIRef]:
        pairs: dict[URIRef, URIRef] = {}
        for a, b in graph.subject_objects(OWL.inverseOf):
            if isinstance(a, URIRef) and isinstance(b, URIRef):
                pairs[a] = b
                pairs[b] = a
        return pairs

    @staticmethod
    def _super_properties(graph: Graph) -> dict[URIRef, set[URIRef]]:
        result: dict[URIRef, set[URIRef]] = defaultdict(set)
        for sub, sup in graph.subject_objects(RDFS.subPropertyOf):
            if isinstance(sub, URIRef) and isinstance(sup, URIRef):
                result[sub].add(sup)
        return result

    def _requires(self, expr: Expr, seen: set[URIRef]) -> set[URIRef]:
        """Named primitive classes a node must be asserted in for ``expr`` to hold (a fast pre-filter)."""
        if isinstance(expr, Named):
            if expr.iri in self.defined and expr.iri not in seen:
                return self._requires(self.defined[expr.iri].expression, seen | {expr.iri})
            return {expr.iri} if expr.iri != OWL.Thing and expr.iri not in self.defined else set()
        if isinstance(expr, And):
            out: set[URIRef] = set()
            for part in expr.parts:
                out |= self._requires(part, seen)
            return out
        return set()

    def _vocabulary_facts(self, ontology: Ontology) -> Facts:
        facts = Facts()
        for vocab in ontology.vocabularies.values():
            for value in vocab.values.values():
                for t in ontology.graph.objects(value.iri, RDF.type):
                    if isinstance(t, URIRef):
                        facts.types[self.terms(value.iri)].add(self.terms(t))
        return facts

    def closed_properties(self) -> set[URIRef]:
        """Properties whose absence of further values some defined class depends on.

        A property needs the closed-world assumption where it occurs under ``only`` (in a positive
        position) or under ``some``/``value`` in a negative position (inside ``not``). Only these
        need closure axioms for an open-world reasoner to reach the matcher's conclusions.
        """
        found: set[URIRef] = set()
        seen: set[tuple[URIRef, bool]] = set()

        def walk(expr: Expr, positive: bool) -> None:
            if isinstance(expr, Named):
                defined = self.defined.get(expr.iri)
                if defined is not None and (expr.iri, positive) not in seen:
                    seen.add((expr.iri, positive))
                    walk(defined.expression, positive)
            elif isinstance(expr, And | Or):
                for part in expr.parts:
                    walk(part, positive)
            elif isinstance(expr, Not):
                walk(expr.part, not positive)
            elif isinstance(expr, Only):
                if positive:
                    found.add(expr.prop.iri)
                walk(expr.filler, positive)
            elif isinstance(expr, Some | HasValue):
                if not positive:
                    found.add(expr.prop.iri)
                if isinstance(expr, Some):
                    walk(expr.filler, positive)

        for dc in self.defined.values():
            walk(Named(dc.iri), True)
        found |= {self.inverse_of[p] for p in found if p in self.inverse_of}
        return found

    # ------------------------------------------------------------------ facts of one case
    def facts_of(self, triples: Iterable[tuple[object, object, object]]) -> Facts:
        """Index a case's triples, adding inverse and super-property edges the ontology declares.

        Every IRI is mapped onto one object (``Terms``): the ontology's own where it has the IRI,
        else one per case in ``Facts.terms``; ``Facts.node`` maps a node given later the same way.
        """
        facts = Facts(shared_types=self.vocabulary_facts.types)
        known, mine = self.terms.known, facts.terms

        def one(term: URIRef) -> URIRef:
            text = str(term)
            found = known.get(text)
            return found if found is not None else mine.setdefault(text, term)

        for s, p, o in triples:
            if not isinstance(s, URIRef) or not isinstance(p, URIRef):
                continue
            s = one(s)
            if str.__eq__(p, _TYPE_STR):
                if isinstance(o, URIRef):
                    facts.types[s].add(one(o))
                continue
            if not isinstance(o, URIRef | Literal):
                continue
            p = one(p)
            if isinstance(o, URIRef):
                o = one(o)
            for prop in (p, *self.super_properties.get(p, ())):
                facts.edges[(s, prop)].add(o)
                if isinstance(o, URIRef):
                    facts.edges[(o, _inverse_key(prop))].add(s)
                    inverse = self.inverse_of.get(prop)
                    if inverse is not None:
                        facts.edges[(o, inverse)].add(s)
                        facts.edges[(s, _inverse_key(inverse))].add(o)
        return facts

    def node(self, facts: Facts, node: URIRef) -> URIRef:
        """``node`` as the object ``facts`` knows it by (see ``Terms``)."""
        text = str(node)
        found = self.terms.known.get(text)
        return found if found is not None else facts.terms.setdefault(text, node)

    def asserted(self, facts: Facts, node: Node, cls: URIRef) -> bool:
        types = facts.types_of(node)
        if cls in types:
            return True
        return any(cls in self.superclasses.get(t, ()) for t in types)

    # ------------------------------------------------------------------ evaluation with proof
    def holds(self, expr: Expr, node: Node, facts: Facts, proof: list[tuple[Node, URIRef, Node]] | None) -> bool:
        """Does ``expr`` hold at ``node``? Appends the facts used to ``proof`` when given.

        Without a proof the answer is remembered for the case: explanations and near misses ask
        the same sub-expressions at the same nodes many times; with a proof, the answer and its
        proof are remembered. Sub-expressions live as long as the compiled ontology, so their id
        is a stable key. (Exact ``type(...) is`` tests: this is the hottest function of classification.)
        """
        if proof is None:
            if type(expr) is Named:
                return self._holds(expr, node, facts, None)
            key = (id(expr), node)
            known = facts.answers.get(key)
            if known is None:
                known = facts.answers[key] = self._holds(expr, node, facts, None)
            return known
        # With a proof, the answer and its proof are remembered together: the explanations of the
        # levels of one reading prove the same parts again. A false answer adds nothing to a proof.
        proof_key: tuple[object, Node] = (expr.iri, node) if isinstance(expr, Named) else (id(expr), node)
        found = facts.proofs.get(proof_key)
        if found is None:
            local: list[tuple[Node, URIRef, Node]] = []
            ok = self._holds(expr, node, facts, local)
            found = facts.proofs[proof_key] = (ok, tuple(local))
        if found[0]:
            proof.extend(found[1])
        return found[0]

    def _holds(self, expr: Expr, node: Node, facts: Facts, proof: list[tuple[Node, URIRef, Node]] | None) -> bool:
        kind = type(expr)
        if kind is Named:
            assert isinstance(expr, Named)
            defined = self.defined.get(expr.iri)
            if defined is None and str.__eq__(expr.iri, _THING):
                return True
            if defined is not None:
                key = (expr.iri, node)
                if proof is None:
                    known = facts.memo.get(key)
                    if known is not None:
                        return known
                if type(node) is not URIRef or not all(self.asserted(facts, node, r) for r in defined.requires):
                    facts.memo[key] = False
                    return False
                result = self.holds(defined.expression, node, facts, proof)
                facts.memo[key] = result
                return result
            ok = self.asserted(facts, node, expr.iri)
            if ok and proof is not None:
                proof.append((node, _TYPE, expr.iri))
            return ok
        if kind is And:
            assert isinstance(expr, And)
            local: list[tuple[Node, URIRef, Node]] | None = [] if proof is not None else None
            for part in expr.parts:
                if not self.holds(part, node, facts, local):
                    return False
            if proof is not None and local is not None:
                proof.extend(local)
            return True
        if kind is Or:
            assert isinstance(expr, Or)
            return any(self.holds(part, node, facts, proof) for part in expr.parts)
        if kind is Not:
            assert isinstance(expr, Not)
            return not self.holds(expr.part, node, facts, None)
        if kind is OneOf:
            assert isinstance(expr, OneOf)
            return node in expr.members
        if kind is HasValue:
            assert isinstance(expr, HasValue)
            ok = expr.value in facts.values(node, expr.prop)
            if ok and proof is not None:
                proof.append((node, expr.prop.iri, expr.value))
            return ok
        if kind is Some:
            assert isinstance(expr, Some)
            values = facts.values(node, expr.prop)
            for value in sorted(values, key=str) if len(values) > 1 else values:
                local = [] if proof is not None else None
                if self.holds(expr.filler, value, facts, local):
                    if proof is not None and local is not None:
                        proof.append((node, expr.prop.iri, value))
                        proof.extend(local)
                    return True
            return False
        assert isinstance(expr, Only)
        for value in facts.values(node, expr.prop):
            if not self.holds(expr.filler, value, facts, None):
                return False
        if proof is not None:
            proof.extend((node, expr.prop.iri, v) for v in sorted(facts.values(node, expr.prop), key=str))
        return True

    def classes_of(self, node: URIRef, facts: Facts) -> list[DefinedClass]:
        """The defined classes (other than value sets) that ``node`` belongs to."""
        return [
            dc for dc in self.defined.values() if not dc.is_value_set and self.holds(Named(dc.iri), node, facts, None)
        ]

    # ------------------------------------------------------------------ near misses
    def repair(self, expr: Expr, node: Node, facts: Facts, depth: int = 0) -> tuple[int, list[Change]]:
        """The cheapest set of changes (by count) that would make ``expr`` hold at ``node``."""
        if depth > 12:
            return INF, []
        # Sub-expressions live as long as the compiled ontology, so their id is a stable key;
        # a Named may be made on the fly, so it is keyed by its IRI.
        key: tuple[object, ...] = ("class", expr.iri, node) if isinstance(expr, Named) else ("expr", id(expr), node)
        cached = facts.repairs.get(key)
        if cached is None:
            cached = facts.repairs[key] = self._repair(expr, node, facts, depth)
        return cached

    def _repair(self, expr: Expr, node: Node, facts: Facts, depth: int) -> tuple[int, list[Change]]:
        if self.holds(expr, node, facts, None):
            return 0, []
        if isinstance(expr, Named):
            defined = self.defined.get(expr.iri)
            if defined is not None:
                return self.repair(defined.expression, node, facts, depth + 1)
            return 1, [Change(node, RDF.type, (), (expr.iri,), f"would need to be a {self.ontology.label(expr.iri)}")]
        if isinstance(expr, And):
            total, changes = 0, []
            for part in expr.parts:
                cost, part_changes = self.repair(part, node, facts, depth + 1)
                total += cost
                changes += part_changes
            return min(total, INF), changes
        if isinstance(expr, Or):
            options = [self.repair(part, node, facts, depth + 1) for part in expr.parts]
            return min(options, key=lambda o: o[0])
        if isinstance(expr, Not):
            return 1, [Change(node, None, (), (), "would need not to satisfy: " + self._short(expr.part))]
        if isinstance(expr, OneOf):
            return 1, [Change(node, None, (node,), expr.order, "")]
        if isinstance(expr, HasValue):
            if expr.prop.iri in self.fixed:
                return INF, []
            current = tuple(sorted(facts.values(node, expr.prop), key=str))
            wanted = (expr.value,) if isinstance(expr.value, URIRef) else ()
            return 1, [Change(node, expr.prop.iri, current, wanted, "")]
        if isinstance(expr, Some):
            fixed = expr.prop.iri in self.fixed
            best: tuple[int, list[Change]] = (INF, [])
            for value in sorted(facts.values(node, expr.prop), key=str):
                cost, changes = self.repair(expr.filler, value, facts, depth + 1)
                if fixed and any(c.node == value and c.prop is None for c in changes):
                    continue  # that would change the value of a fixed property

                # a value-level change ("stage would be design") is reported on the edge
                changes = [
                    Change(node, expr.prop.iri, (value,), c.wanted, c.text)
                    if c.node == value and c.prop is None and c.wanted
                    else c
                    for c in changes
                ]
                if cost < best[0]:
                    best = (cost, changes)
            if best[0] >= INF:
                if fixed:
                    return INF, []
                return 3, [Change(node, expr.prop.iri, (), (), "would need a new " + self._short(expr))]
            return best
        total, changes = 0, []
        for value in sorted(facts.values(node, expr.prop), key=str):
            cost, value_changes = self.repair(expr.filler, value, facts, depth + 1)
            total += cost
            changes += value_changes
        return min(total, INF), changes

    def _short(self, expr: Expr) -> str:
        from coprokg.classify.expressions import render

        return render(expr, self.ontology.label)
