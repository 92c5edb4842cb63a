"""Dependencies of the routes, as ``Annotated`` aliases: settings, store, write access, case bodies.

Every dependency is ``async def``: FastAPI runs a plain ``def`` dependency in its thread pool, a
thread hop per dependency per request (measured: most of the server's time on a SPARQL point
lookup).
"""

from __future__ import annotations

import asyncio
import secrets
import threading
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from api.errors import ApiError
from coprokg.cases import MEDIA_TYPES, decode_text
from coprokg.errors import WorkCancelled
from coprokg.settings import Settings
from coprokg.sparql import media_type_of
from coprokg.store import GraphStore
from coprokg.workers import AnalysisPool

T = TypeVar("T")
DISCONNECT_POLL = 0.1

_bearer = HTTPBearer(auto_error=False, description="COPROKG_API_TOKEN, needed for writes")
CASE_MEDIA_TYPES = sorted(MEDIA_TYPES)


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


async def get_analysis(request: Request) -> AnalysisPool:
    pool: AnalysisPool = request.app.state.analysis
    return pool


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
AnalysisDep = Annotated[AnalysisPool, Depends(get_analysis)]


async def bounded(request: Request, work: Callable[[threading.Event], T]) -> T:
    """Run ``work(cancel)`` in a thread; set ``cancel`` as soon as the client disconnects.

    The work itself (an ``AnalysisPool`` call) kills its worker process when ``cancel`` is set, so
    nothing runs on for a client that has gone.
    """
    cancel = threading.Event()
    task: asyncio.Future[T] = asyncio.ensure_future(run_in_threadpool(work, cancel))
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=DISCONNECT_POLL)
            if done:
                return task.result()
            if await request.is_disconnected():
                cancel.set()
    except asyncio.CancelledError:
        cancel.set()
        raise


async def stop_on_disconnect(request: Request, work: Awaitable[T]) -> T:
    """Await ``work`` (an ``AnalysisPool`` coroutine); cancel it the moment the client disconnects.

    No thread and no polling: a task waits for the ASGI ``http.disconnect`` message (the body has
    been read already) and cancels this one, and a cancelled pool call kills its worker process.
    """
    current = asyncio.current_task()
    assert current is not None
    gone = False

    async def watch() -> None:
        nonlocal gone
        while (await request.receive())["type"] != "http.disconnect":
            pass
        gone = True
        current.cancel()

    watcher = asyncio.ensure_future(watch())
    try:
        return await work
    except asyncio.CancelledError:
        if not gone:
            raise
        current.uncancel()
        raise WorkCancelled("the client went away; its case analysis was stopped") from None
    finally:
        watcher.cancel()


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


async def require_write(
    request: Request,
    settings: SettingsDep,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    authorize_write(settings, request.headers.get("authorization"))


WriteAccess = Annotated[None, Depends(require_write)]


async def read_text_body(request: Request) -> str:
    data = await request.body()
    try:
        return decode_text(data, source="request body")
    except Exception as exc:
        raise ApiError(400, str(exc).removeprefix("request body: ")) from None


async def read_case(request: Request) -> dict[str, Any]:
    """The case in the request body as the input of an analysis job, by its ``Content-Type``."""
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
    return AnalysisPool.body(text=text, fmt=fmt, source="request body")


CaseBody = Annotated[dict[str, Any], Depends(read_case)]
