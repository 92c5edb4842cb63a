"""``POST /classify`` and ``POST /validate``: a case in, the library's result out; nothing stored."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from api.deps import AnalysisDep, CaseBody, SettingsDep, stop_on_disconnect
from api.routes.cases import CASE_BODY_DOC

router = APIRouter(tags=["analysis"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Malformed case: message, field, line, column, allowed values"},
    413: {"description": "Body too large"},
    415: {"description": "Unsupported Content-Type"},
}


# The worker writes the JSON answer; it is sent as it comes (``response_model`` documents it only).
@router.post(
    "/classify", name="classify_case", responses=_ERRORS, openapi_extra=CASE_BODY_DOC, response_model=dict[str, Any]
)
async def classify(body: CaseBody, pool: AnalysisDep, settings: SettingsDep, request: Request) -> Response:
    """Classify a described case: power transfer, typology cells, roles, paradigms, risks, and why."""
    data = await stop_on_disconnect(request, pool.classify_json(body, timeout=settings.analysis_timeout))
    return Response(data, media_type="application/json")


@router.post(
    "/validate", name="validate_case", responses=_ERRORS, openapi_extra=CASE_BODY_DOC, response_model=dict[str, Any]
)
async def validate(body: CaseBody, pool: AnalysisDep, settings: SettingsDep, request: Request) -> Response:
    """Validate a described case against the case and risk shapes (200 even when it does not conform)."""
    data = await stop_on_disconnect(request, pool.validate_json(body, timeout=settings.analysis_timeout))
    return Response(data, media_type="application/json")
