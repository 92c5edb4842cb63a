"""Dependencies of the routes, as ``Annotated`` aliases: settings, store, write access, case bodies."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from api.errors import ApiError
from coprokg.cases.load import MEDIA_TYPES, LoadedCase, load_case_text
from coprokg.settings import Settings
from coprokg.sparql.formats import media_type_of
from coprokg.store import GraphStore

_bearer = HTTPBearer(auto_error=False, description="COPROKG_API_TOKEN, needed for writes")
CASE_MEDIA_TYPES = sorted(MEDIA_TYPES)


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[GraphStore, Depends(get_store)]


def authorize_write(settings: Settings, authorization: str | None) -> None:
    """Allow a write only with ``Authorization: Bearer <COPROKG_API_TOKEN>``.

    No token configured: writes are disabled (403). No or malformed credentials: 401 with
    ``WWW-Authenticate``. A wrong token: 403. Tokens are compared in constant time.
    """
    if settings.api_token is None:
        raise ApiError(403, "writes are disabled on this server (no COPROKG_API_TOKEN is configured)")
    challenge = {"WWW-Authenticate": 'Bearer realm="coprokg"'}
    if not authorization:
        raise ApiError(401, "this request changes data and needs 'Authorization: Bearer <token>'", headers=challenge)
    scheme, _, credentials = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise ApiError(
            401,
            "use 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": 'Bearer realm="coprokg", error="invalid_request"'},
        )
    expected = settings.api_token.get_secret_value().encode("utf-8")
    if not secrets.compare_digest(credentials.strip().encode("utf-8"), expected):
        raise ApiError(403, "the bearer token is not valid for this server")


def require_write(
    request: Request,
    settings: SettingsDep,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    authorize_write(settings, request.headers.get("authorization"))


WriteAccess = Annotated[None, Depends(require_write)]


async def read_text_body(request: Request) -> str:
    data = await request.body()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(400, f"the request body is not UTF-8 (byte {exc.start})") from None


async def read_case(request: Request) -> LoadedCase:
    """The case in the request body, read by its ``Content-Type`` (JSON, JSON-LD, Turtle …)."""
    media = media_type_of(request.headers.get("content-type"))
    fmt = MEDIA_TYPES.get(media)
    if fmt is None:
        raise ApiError(
            415,
            f"a case must be sent as one of the case media types, not {media or 'no Content-Type'!r}",
            field="Content-Type",
            allowed=CASE_MEDIA_TYPES,
        )
    text = await read_text_body(request)
    return await run_in_threadpool(load_case_text, text, fmt, source="request body")


CaseBody = Annotated[LoadedCase, Depends(read_case)]
