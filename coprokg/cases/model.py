"""The case format: a described coproduction case as typed data.

The model checks structure (types, identifiers, no unknown fields). Vocabulary values are plain
slugs here and are resolved against the ontology by ``coprokg.cases.convert``; completeness (a
title, at least one participation, a source …) is the job of the SHACL shapes in
``shapes/case.ttl``, so that JSON, JSON-LD and Turtle input are judged by the same rules.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from coprokg.cases.forgiving import EDTF

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=120)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Actor(_Strict):
    """An actor of the case: who it is and what kind (``kind`` is an actor-kind notation)."""

    id: Slug = Field(description="Identifier of the actor within the case, referred to by participations.")
    kind: str = Field(description="Actor kind: a skos:notation of a cpk:ActorKind individual.")
    label: str = Field(min_length=1, description="Name of the actor, in words.")


class Participation(_Strict):
    """One actor taking part in one stage, with its decision right there."""

    actor: str = Field(description="The id of an actor of this case.")
    stage: str = Field(description="A skos:notation of a cpk:ServiceStage individual.")
    decision: str = Field(description="A skos:notation of a cpk:DecisionRight individual.")
    task: str | None = Field(default=None, description="A skos:notation of a cpk:TaskType individual.")
    contributes: list[str] = Field(default_factory=list, description="Notations of cpk:Resource individuals.")


class AccountabilityRelation(_Strict):
    """The accountor renders account to the forum (Bovens 2007)."""

    accountor: str = Field(description="The id of the actor that renders account.")
    forum: str = Field(description="The id of the actor to which account is rendered.")
    type: str = Field(description="A skos:notation of a cpk:AccountabilityType individual.")
    mechanism: str | None = Field(default=None, description="How account is rendered, in words.")


class SourceRef(_Strict):
    """A publication the case description rests on."""

    cite: str = Field(min_length=1, description="Author-year citation, matching a shorthand in data/sources.bib.")
    page: str | None = Field(default=None, description="Page or page range, only where the text read shows it.")
    access: Literal["read", "secondary"] = Field(
        default="read",
        description="'read' when the text was read; 'secondary' when it is cited only through another text.",
    )
    via: str | None = Field(default=None, description="For secondary citations: the text that cites it.")
    page_note: str | None = Field(default=None, description="How the page was established, if not printed.")
    url: str | None = Field(default=None, description="Where the text read can be found.")


class SourceClassification(_Strict):
    """What a source itself says about the case's level or type, kept to compare with coprokg's."""

    level: str | None = Field(
        default=None, description="A power-transfer level notation of the ontology (or the floor, 'none')."
    )
    type: str | None = Field(default=None, description="A type or cell the source names, in its words.")
    statement: str = Field(min_length=1, description="Paraphrase of what the source says.")
    cite: str = Field(min_length=1)
    page: str | None = None


class Case(_Strict):
    """A described coproduction case (the JSON of ``data/cases/*.json``)."""

    id: Slug
    title: str | None = None
    description: str | None = None
    domain: str | None = Field(default=None, description="A skos:notation of a cpk:PolicyDomain individual.")
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = Field(
        default=None,
        description="ISO 3166-1 alpha-2 country code; case files may also give a code in lower case or the name.",
    )
    place: str | None = None
    started: Annotated[str, Field(pattern=EDTF.pattern)] | None = Field(
        default=None,
        description=(
            "When the case started, as an EDTF date (ISO 8601-2): 1999, 1999-05, 196X (the 1960s), "
            "1999~ (about), 1999? (uncertain), 1999/2003 (an interval). Case files may also say 1960s, "
            "c. 1999, 1999-2003 or unknown, which are read as EDTF with a note."
        ),
    )
    initiated_by: str | None = Field(default=None, description="The id of the actor that started the case.")
    actors: list[Actor] = Field(default_factory=list)
    participations: list[Participation] = Field(default_factory=list)
    accountability: list[AccountabilityRelation] = Field(default_factory=list)
    compensation: list[str] = Field(default_factory=list)
    representativeness: str = "unknown"
    directed_at_citizens: StrictBool = False
    source_classification: SourceClassification | None = None
    sources: list[SourceRef] = Field(default_factory=list)
