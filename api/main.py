"""The FastAPI application: ``create_app(settings)``.

The lifespan opens the store (and starts its query workers) and closes it; nothing is global,
so tests can build a read-only and a read-write app side by side.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from api import errors, openapi, ui
from api.middleware import BodyLimitMiddleware
from api.routes import analysis, cases, docs, export, health, queries, sparql, vocabulary
from coprokg.settings import Settings, load_settings
from coprokg.store import GraphStore, open_store
from coprokg.workers import AnalysisPool

log = logging.getLogger("coprokg.api")
DESCRIPTION = """A knowledge graph of citizen coproduction of public services: a SPARQL 1.1 Protocol
endpoint over the ontology, the SHACL shapes and the curated cases; classification and validation of
described cases; and the case base itself. Writes need `Authorization: Bearer <COPROKG_API_TOKEN>`."""


def _operation_id(route: APIRoute) -> str:
    return route.name


def create_app(settings: Settings | None = None, *, store: GraphStore | None = None) -> FastAPI:
    """The service for ``settings`` (default: from ``COPROKG_*``); a given ``store`` is used, not closed."""
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        app.state.store = store if store is not None else await run_in_threadpool(open_store, settings)
        analysis = AnalysisPool(
            settings.analysis_worker_count, memory_mb=settings.worker_memory_mb, limits=settings.case_limits
        )
        app.state.analysis = analysis
        try:
            await run_in_threadpool(app.state.store.start)
            await run_in_threadpool(analysis.start)
            cases = await run_in_threadpool(app.state.store.count_cases)
            if cases == 0:
                log.warning("the store holds no case (%s); run `coprokg load` if it should", settings.store_path)
            yield
        finally:
            await run_in_threadpool(analysis.close)
            if owned:
                await run_in_threadpool(app.state.store.close)

    app = FastAPI(
        title="coprokg",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
        docs_url=None,  # served by api.routes.docs from vendored files, not from a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store
    errors.install(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    for module in (sparql, cases, analysis, queries, vocabulary, export, health):
        app.include_router(module.router)
    app.include_router(ui.router)
    docs.install(app)
    openapi.install(app)
    return app


def create_app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` (settings from the environment)."""
    return create_app()
