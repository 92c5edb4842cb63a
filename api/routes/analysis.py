"""``POST /classify`` and ``POST /validate``: a case in, the library's result out; nothing stored."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from api.deps import AnalysisDep, CaseBody, SettingsDep, bounded
from api.routes.cases import CASE_BODY_DOC

router = APIRouter(tags=["analysis"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Malformed case: message, field, line, column, allowed values"},
    413: {"description": "Body too large"},
    415: {"description": "Unsupported Content-Type"},
}


@router.post("/classify", name="classify_case", responses=_ERRORS, openapi_extra=CASE_BODY_DOC)
async def classify(body: CaseBody, pool: AnalysisDep, settings: SettingsDep, request: Request) -> dict[str, Any]:
    """Classify a described case: power transfer, typology cells, roles, paradigms, risks, and why."""
    result = await bounded(
        request, lambda cancel: pool.classify(body, timeout=settings.analysis_timeout, cancel=cancel)
    )
    data: dict[str, Any] = result.model_dump(mode="json")
    return data


@router.post("/validate", name="validate_case", responses=_ERRORS, openapi_extra=CASE_BODY_DOC)
async def validate(body: CaseBody, pool: AnalysisDep, settings: SettingsDep, request: Request) -> dict[str, Any]:
    """Validate a described case against the case and risk shapes (200 even when it does not conform)."""
    report = await bounded(
        request, lambda cancel: pool.validate(body, timeout=settings.analysis_timeout, cancel=cancel)
    )
    data: dict[str, Any] = report.model_dump(mode="json")
    return data
