"""``/healthz``: is the service up and does the store answer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.deps import StoreDep
from coprokg.errors import StoreError

router = APIRouter(tags=["health"])


@router.get("/healthz", name="health", responses={503: {"description": "The store does not answer"}})
async def health(store: StoreDep) -> Any:
    """`{"status": "ok", "backend": …, "cases": n}` when the store answers, else 503."""
    try:
        await run_in_threadpool(store.ping)
        cases = await run_in_threadpool(store.count_cases)
    except StoreError:
        return JSONResponse({"status": "unavailable", "backend": store.backend}, status_code=503)
    return {"status": "ok", "backend": store.backend, "cases": cases}
