"""The typed, JSON-serialisable result of classifying a case."""

from __future__ import annotations

from pydantic import BaseModel, Field

from coprokg.validate import ValidationResult


class Explanation(BaseModel):
    """Why a conclusion holds: the ontology axiom and the case facts that satisfy it."""

    summary: str = Field(
        default="", description="One plain sentence: the facts that decide it, the conclusion and its source."
    )
    axiom: str = Field(description="The equivalent-class axiom, Manchester-like, with labels.")
    facts: list[str] = Field(description="The case facts the axiom matched, in words.")
    source: list[str] = Field(default_factory=list, description="dcterms:source of the class.")


class Membership(BaseModel):
    """A case, actor or participation that belongs to a defined class."""

    iri: str
    label: str
    typology: str | None = None
    typology_iri: str | None = None
    notation: str | None = None
    rank: int | None = None
    node: str = Field(
        description="Field path in the case file of what is classified: '' for the case, 'actors[0]' (first actor)."
    )
    node_iri: str | None = Field(default=None, description="The IRI of what is classified (coprokg.iris).")
    explanation: Explanation


class NearMiss(BaseModel):
    """A class the case did not reach and the smallest change that would put it there."""

    iri: str
    label: str
    typology: str | None = None
    typology_iri: str | None = None
    cost: int = Field(description="Number of facts to change.")
    changes: list[str]
    fields: list[str] = Field(
        default_factory=list, description="Field paths in the case file the changes touch ('participations[0].stage')."
    )
    text: str


class Reading(BaseModel):
    """The case's power-transfer level under one reading of the levels (one power-transfer typology)."""

    typology_iri: str
    typology: str = Field(description="The reading's label, from the ontology.")
    reading: str = Field(default="", description="The reading's short name (the typology's skos:notation).")
    default: bool = Field(description="True for the reading reported as `power_transfer` (cpk:isDefaultReading).")
    level: str = Field(description="Notation of the highest level reached, or the reading's floor ('none').")
    label: str
    iri: str | None = Field(default=None, description="The level's class; none for the floor.")
    rank: int = Field(description="cpk:powerRank of the level; 0 for the floor.")
    explanation: Explanation | None = None


class Classification(BaseModel):
    """Where a described case sits in the ontology's typologies, and why."""

    case_id: str
    power_transfer: str = Field(
        description="Highest power-transfer level reached under the default reading (by cpk:powerRank), or its floor."
    )
    power_transfer_label: str
    power_transfer_explanation: Explanation | None = None
    power_transfer_reading: str = Field(default="", description="Label of the default reading.")
    readings: list[Reading] = Field(
        default_factory=list, description="The level under every reading of the levels, the default reading first."
    )
    levels: list[Membership] = Field(description="Every level of the default reading the case satisfies.")
    classes: list[Membership] = Field(description="Every defined class of the case node, all typologies.")
    roles: list[Membership] = Field(description="Citizen roles of the case's actors.")
    paradigms: list[Membership] = Field(description="Governance paradigms whose social contract the case carries.")
    typologies: dict[str, list[str]] = Field(description="Typology name -> labels of the cells the case occupies.")
    risks: list[ValidationResult] = Field(default_factory=list, description="Warnings of the risk shapes.")
    near_misses: list[NearMiss] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="Vocabulary values that were rewritten.")
