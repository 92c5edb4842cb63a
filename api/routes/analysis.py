"""``POST /classify`` and ``POST /validate``: a case in, the library's result out; nothing stored."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from api.deps import CaseBody
from api.routes.cases import CASE_BODY_DOC
from coprokg.threadsafe import classify as classify_case
from coprokg.threadsafe import validate as validate_loaded

router = APIRouter(tags=["analysis"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Malformed case: message, field, line, column, allowed values"},
    413: {"description": "Body too large"},
    415: {"description": "Unsupported Content-Type"},
}


@router.post("/classify", name="classify_case", responses=_ERRORS, openapi_extra=CASE_BODY_DOC)
async def classify(loaded: CaseBody) -> dict[str, Any]:
    """Classify a described case: power transfer, typology cells, roles, paradigms, risks, and why."""
    result = await run_in_threadpool(classify_case, loaded)
    data: dict[str, Any] = result.model_dump(mode="json")
    return data


@router.post("/validate", name="validate_case", responses=_ERRORS, openapi_extra=CASE_BODY_DOC)
async def validate(loaded: CaseBody) -> dict[str, Any]:
    """Validate a described case against the case and risk shapes (200 even when it does not conform)."""
    report = await run_in_threadpool(validate_loaded, loaded)
    data: dict[str, Any] = report.model_dump(mode="json")
    return data
