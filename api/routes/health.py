"""``/healthz``: is the service up and does the store answer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.deps import StoreDep
from coprokg.errors import StoreError

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str = Field(description="'ok', or 'unavailable' with the reason.")
    backend: str
    cases: int | None = None
    reason: str | None = None


@router.get(
    "/healthz",
    name="health",
    response_model=Health,
    responses={503: {"model": Health, "description": "The store cannot be read or written; `reason` says why"}},
)
async def health(store: StoreDep) -> Any:
    """`{"status": "ok", "backend": …, "cases": n}` when the store is readable and writable, else 503 with the reason.

    The embedded store is checked for a read, for its directory still being the one opened, and for
    a probe file written and removed there; a fault that has passed is recovered here.
    """
    try:
        await run_in_threadpool(store.ping)
        cases = await run_in_threadpool(store.count_cases)
    except StoreError as exc:
        body = Health(status="unavailable", backend=store.backend, reason=str(exc))
        return JSONResponse(body.model_dump(), status_code=503)
    return Health(status="ok", backend=store.backend, cases=cases)
