"""The published JSON Schema is the model's own, and every curated case satisfies it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from coprokg.cases.schema import SCHEMA_ID, case_json_schema
from coprokg.paths import cases_dir, project_root

SCHEMA_FILE = project_root() / "data" / "case.schema.json"
CURATED = sorted(cases_dir().glob("*.json"))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_published_schema_is_the_generated_one() -> None:
    published = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert published == case_json_schema(), (
        "data/case.schema.json is stale: regenerate it from coprokg.cases.schema.case_json_schema()"
    )


def test_schema_header() -> None:
    schema = case_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID == "https://w3id.org/coprokg/case.schema.json"
    assert schema["title"] and schema["description"]


@pytest.mark.parametrize("path", CURATED, ids=[p.stem for p in CURATED])
def test_curated_case_satisfies_schema(path: Path, validator: jsonschema.Draft202012Validator) -> None:
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(_read(path))]
    assert errors == []


# What the model refuses, the schema refuses too (the schema is only as strict as the model).
@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda case: case.update(titel="x"), ""),
        (lambda case: case.update(id="Not A Slug"), "id"),
        (lambda case: case.update(country="Netherlands"), "country"),
        (lambda case: case["sources"][0].update(access="skimmed"), "sources/0/access"),
        (lambda case: case["participations"][0].pop("stage"), "participations/0"),
        (lambda case: case["actors"][0].update(label=""), "actors/0/label"),
    ],
    ids=["unknown-field", "id-pattern", "country-pattern", "access-literal", "stage-required", "empty-label"],
)
def test_schema_refuses_what_the_model_refuses(
    change: Any, where: str, validator: jsonschema.Draft202012Validator
) -> None:
    case = _read(CURATED[0])
    change(case)
    paths = ["/".join(map(str, e.absolute_path)) for e in validator.iter_errors(case)]
    assert paths == [where]


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
