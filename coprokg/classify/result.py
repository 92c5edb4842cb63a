"""The typed, JSON-serialisable result of classifying a case."""

from __future__ import annotations

from pydantic import BaseModel, Field

from coprokg.validate import ValidationResult

NO_LEVEL = "none"  # the power transfer of a case that reaches no level
NO_LEVEL_LABEL = "no transfer of power"


class Explanation(BaseModel):
    """Why a conclusion holds: the ontology axiom and the case facts that satisfy it."""

    axiom: str = Field(description="The equivalent-class axiom, Manchester-like, with labels.")
    facts: list[str] = Field(description="The case facts the axiom matched, in words.")
    source: list[str] = Field(default_factory=list, description="dcterms:source of the class.")


class Membership(BaseModel):
    """A case, actor or participation that belongs to a defined class."""

    iri: str
    label: str
    typology: str | None = None
    notation: str | None = None
    rank: int | None = None
    node: str = Field(description="Field path of what is classified: '' for the case, 'actors[residents]' …")
    explanation: Explanation


class NearMiss(BaseModel):
    """A class the case did not reach and the smallest change that would put it there."""

    iri: str
    label: str
    typology: str | None = None
    cost: int = Field(description="Number of facts to change.")
    changes: list[str]
    text: str


class Classification(BaseModel):
    """Where a described case sits in the ontology's typologies, and why."""

    case_id: str
    power_transfer: str = Field(description="Highest power-transfer level reached (by cpk:powerRank), or 'none'.")
    power_transfer_label: str
    power_transfer_explanation: Explanation | None = None
    levels: list[Membership] = Field(description="Every power-transfer level the case satisfies.")
    classes: list[Membership] = Field(description="Every defined class of the case node, all typologies.")
    roles: list[Membership] = Field(description="Citizen roles of the case's actors.")
    paradigms: list[Membership] = Field(description="Governance paradigms whose social contract the case carries.")
    typologies: dict[str, list[str]] = Field(description="Typology name -> labels of the cells the case occupies.")
    risks: list[ValidationResult] = Field(default_factory=list, description="Warnings of the risk shapes.")
    near_misses: list[NearMiss] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="Vocabulary values that were rewritten.")
