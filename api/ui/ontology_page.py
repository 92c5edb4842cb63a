"""The ontology's documentation page (``/ui/ontology``; ``/ontology`` for browsers)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from api.ui.ontology_docs import ontology_html
from api.ui.render import NAV, SECURITY_HEADERS

router = APIRouter(include_in_schema=False)


def ontology_page() -> HTMLResponse:
    """The ontology's documentation with the site's menu (also ``/ontology`` for browsers)."""
    html = ontology_html(stylesheets=("/ui/static/ontology.css", "/ui/static/style.css"), nav=NAV)
    return HTMLResponse(html, headers={**SECURITY_HEADERS, "Vary": "Accept"})


@router.get("/ui/ontology", name="ui_ontology")
async def ontology_documentation() -> HTMLResponse:
    return await run_in_threadpool(ontology_page)
