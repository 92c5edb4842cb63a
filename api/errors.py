"""Every error the API returns has one JSON shape: ``{"message", "field", "line", "column", "allowed"}``.

Library errors map to statuses here, in one place; a server fault is logged and answered with a
500 that says nothing about the internals.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from coprokg.errors import (
    CaseNotConforming,
    CaseNotFound,
    CoprokgError,
    InputError,
    LimitExceeded,
    NotAcceptable,
    QueryTimeout,
    ResourceExhausted,
    StoreUnavailable,
)

log = logging.getLogger("coprokg.api")


class ErrorBody(BaseModel):
    """The body of every error response."""

    model_config = ConfigDict(extra="allow")

    message: str = Field(description="What is wrong, in one sentence.")
    field: str | None = Field(description="The field, parameter or header at fault, if one is.")
    line: int | None = Field(description="Line of the input at fault (1-based), when known.")
    column: int | None = Field(description="Column of the input at fault (1-based), when known.")
    allowed: list[str] | None = Field(description="The values or media types that would be accepted.")


class ApiError(Exception):
    """An HTTP error raised by the API layer itself (auth, media types, sizes)."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        field: str | None = None,
        allowed: Sequence[str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field
        self.allowed = list(allowed) if allowed is not None else None
        self.headers = headers


def error_body(
    message: str,
    *,
    field: str | None = None,
    line: int | None = None,
    column: int | None = None,
    allowed: Sequence[str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "message": message,
        "field": field,
        "line": line,
        "column": column,
        "allowed": list(allowed) if allowed is not None else None,
    }
    body.update(extra)
    return body


def status_of(exc: CoprokgError) -> int:
    if isinstance(exc, CaseNotFound):
        return 404
    if isinstance(exc, NotAcceptable):
        return 406
    if isinstance(exc, CaseNotConforming):
        return 422
    if isinstance(exc, QueryTimeout | ResourceExhausted | StoreUnavailable):
        return 503
    if isinstance(exc, LimitExceeded):
        return 413
    if isinstance(exc, InputError):
        return 400
    return 500


def error_response(exc: CoprokgError) -> JSONResponse:
    status = status_of(exc)
    if isinstance(exc, ResourceExhausted | StoreUnavailable):
        log.warning("%s: %s", type(exc).__name__, exc)
        return JSONResponse(error_body(str(exc), error=type(exc).__name__), status_code=status)
    if not isinstance(exc, InputError):
        log.error("server fault: %s: %s", type(exc).__name__, exc)
        return JSONResponse(error_body("internal server error: the graph store failed"), status_code=status)
    body = exc.to_dict()
    message = str(body.pop("message"))
    for key in ("field", "line", "column", "allowed"):
        body.pop(key, None)
    return JSONResponse(
        error_body(message, field=exc.field, line=exc.line, column=exc.column, allowed=exc.allowed, **body),
        status_code=status,
    )


def install(app: FastAPI) -> None:
    """Register the handlers that give every error the one JSON shape."""

    @app.exception_handler(CoprokgError)
    async def coprokg_error(_request: Request, exc: CoprokgError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(
            error_body(exc.message, field=exc.field, allowed=exc.allowed), status_code=exc.status, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first: dict[str, Any] = dict(errors[0]) if errors else {"loc": (), "msg": "invalid request"}
        loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path", "header")]
        allowed = None
        ctx = first.get("ctx")
        expected = ctx.get("expected") if isinstance(ctx, dict) else None
        if expected:
            allowed = [x.strip(" '") for x in str(expected).replace(" or ", ",").split(",") if x.strip(" '")]
        return JSONResponse(
            error_body(str(first.get("msg", "invalid request")), field=".".join(loc) or None, allowed=allowed),
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        return JSONResponse(error_body(message), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def server_fault(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected server fault", exc_info=exc)
        return JSONResponse(error_body("internal server error"), status_code=500)
