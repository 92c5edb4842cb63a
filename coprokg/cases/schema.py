"""The published JSON Schema of the case format (``data/case.schema.json``).

The schema is generated from the pydantic model, so it states the structure only: field names and
types, identifier patterns, no unknown fields. Vocabulary values stay plain strings here because
they are resolved against the ontology (synonyms included) when a case is loaded, and completeness
is judged by the SHACL shapes; neither belongs in a schema that would go stale when the ontology
changes. The one exception is ``source_classification.level``: the power-transfer levels are few,
have no synonyms, and the schema lists them as the ontology ranks them (``Ontology.level_notations``),
so regenerating the schema after a Protégé edit picks up a new level.
"""

from __future__ import annotations

from typing import Any

from coprokg.cases.model import Case
from coprokg.ontology import Ontology, default_ontology

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "https://w3id.org/coprokg/case.schema.json"
SCHEMA_TITLE = "coprokg case"
SCHEMA_DESCRIPTION = (
    "A described case of citizen coproduction of a public service, as in data/cases/*.json. "
    "Vocabulary values (kind, stage, decision, task, contributes, type, compensation, "
    "representativeness, domain) are skos:notations of individuals of the coprokg ontology "
    "(https://w3id.org/coprokg/ontology); data/context.jsonld makes every case JSON-LD."
)


def case_json_schema(ontology: Ontology | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a case file, generated from ``coprokg.cases.model.Case``.

    >>> schema = case_json_schema()
    >>> schema["$id"], schema["additionalProperties"], schema["required"]
    ('https://w3id.org/coprokg/case.schema.json', False, ['id'])
    """
    generated = Case.model_json_schema(mode="validation")
    levels = (ontology or default_ontology()).level_notations()
    level = generated["$defs"]["SourceClassification"]["properties"]["level"]
    level["anyOf"] = [{"enum": levels, "type": "string"}, {"type": "null"}]
    generated.pop("title", None)
    generated.pop("description", None)
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": SCHEMA_ID,
        "title": SCHEMA_TITLE,
        "description": SCHEMA_DESCRIPTION,
        **generated,
    }
