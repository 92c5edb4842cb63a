"""The OpenAPI document, made exact: every ``$ref`` resolves and every status a route can return is documented.

FastAPI documents what the route signatures say. What it cannot see is added here, in one place:

* the case model's nested definitions (``Actor``, ``Participation`` …) are registered under
  ``components/schemas`` so the case request body's references resolve;
* every error response has the one error body of ``api.errors`` (``ErrorBody``), including the
  422 of a bad parameter, which FastAPI would otherwise document in its own shape;
* statuses that any route can answer are added to every route: 503 (the store or a worker is
  unavailable, or a time or memory budget ran out), 413 where a request has a body (the body
  limit), 401 and 403 where the route writes.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.errors import ErrorBody
from coprokg.cases import Case

REF_TEMPLATE = "#/components/schemas/{model}"
_DESCRIPTIONS = {
    "400": "Malformed input: `message` says what, `field`, `line` and `column` say where",
    "401": "No or malformed credentials: send `Authorization: Bearer <token>`",
    "403": "Writes are disabled, or the token is wrong",
    "404": "Not found",
    "406": "No representation in a format the request accepts; `allowed` lists them",
    "409": "Conflict",
    "413": "Too large: the body, or a case over a size limit (`limit` names the COPROKG_* setting)",
    "415": "Unsupported Content-Type; `allowed` lists the accepted ones",
    "422": "A parameter or the case is not valid: `field` names it, `allowed` lists the values",
    "503": "Unavailable: the store cannot be read or written, or a time or memory budget ran out",
}
_WRITES = {("put", "/cases/{case_id}"), ("delete", "/cases/{case_id}")}


def case_schema() -> tuple[dict[str, Any], dict[str, Any]]:
    """The case body schema with references into ``components/schemas``, and the definitions it uses."""
    schema = Case.model_json_schema(ref_template=REF_TEMPLATE)
    definitions = schema.pop("$defs", {})
    return schema, definitions


def _error_content() -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": REF_TEMPLATE.format(model="ErrorBody")}}}


def finish(document: dict[str, Any]) -> dict[str, Any]:
    """Complete FastAPI's document as the module docstring says (idempotent)."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    case, definitions = case_schema()
    schemas.update(definitions)
    schemas.setdefault("Case", case)
    schemas["ErrorBody"] = ErrorBody.model_json_schema(ref_template=REF_TEMPLATE)
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            responses: dict[str, Any] = operation.setdefault("responses", {})
            extra = ["503"]
            if "requestBody" in operation:
                extra += ["413"]
            if (method, path) in _WRITES:
                extra += ["401", "403"]
            if operation.get("parameters") or "requestBody" in operation:
                extra += ["422"]
            for code in extra:
                responses.setdefault(code, {})
            for code, response in responses.items():
                if code.startswith(("4", "5")):
                    response["description"] = response.get("description") or _DESCRIPTIONS.get(code, "Error")
                    if response["description"] == "Validation Error":
                        response["description"] = _DESCRIPTIONS["422"]
                    content = response.get("content")
                    refers = str(content) if content else ""
                    if not content or "HTTPValidationError" in refers:
                        response["content"] = _error_content()
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return document


def install(app: FastAPI) -> None:
    """Serve the finished document at ``/openapi.json`` (built once, on first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
            )
            app.openapi_schema = finish(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
