"""The API documentation pages: Swagger UI at ``/docs``, Redoc at ``/redoc``, from vendored files.

Both read ``/openapi.json`` (OpenAPI 3.1). Their front-end files are vendored from the npm registry
at pinned versions (``api.ui.vendor``); nothing is fetched from elsewhere at run time. The pages
keep the site's Content-Security-Policy: no inline script (each tool is started by a script file,
``api/static/swagger-init.js`` and ``redoc-init.js``), plus what the tools need and no more —
``connect-src 'self'`` to read the document (and for "Try it out"), and for Redoc a per-response
nonce for the stylesheet it generates and ``worker-src blob:`` for its search worker.

When the vendored files are missing, or are not the pinned versions, both pages answer 503 with
a page that says what is missing and to run ``make install``: never a blank page.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse, Response

from api.ui import render as ui
from api.ui.vendor import CSS, JS, REDOC, SWAGGER_UI, VendoredPackage, vendor_problem, with_csp

router = APIRouter(include_in_schema=False)

ASSETS = "/docs-assets"
OPENAPI_URL = "/openapi.json"
PACKAGES = (SWAGGER_UI, REDOC)
OWN_FILES: dict[str, tuple[Path, str]] = {
    "swagger-init.js": (ui.STATIC_DIR / "swagger-init.js", JS),
    "redoc-init.js": (ui.STATIC_DIR / "redoc-init.js", JS),
    "docs.css": (ui.STATIC_DIR / "docs.css", CSS),
}


def asset_files() -> dict[str, tuple[Path, str]]:
    """Every file served under ``/docs-assets/``: its path there -> (file, media type)."""
    files = dict(OWN_FILES)
    for package in PACKAGES:
        for name, media_type in package.files.items():
            files[f"{package.folder}/{name}"] = (package.directory / name, media_type)
    return files


def _missing_page(request: Request, problem: str) -> HTMLResponse:
    return ui.templates.TemplateResponse(
        request,
        "docs-missing.html",
        {"section": "/docs", "problem": problem, "openapi_url": OPENAPI_URL},
        status_code=503,
        headers={**ui.SECURITY_HEADERS, "Cache-Control": "no-store", "Retry-After": "60"},
    )


def _page(request: Request, package: VendoredPackage, tool: str, container: str, bundle: str, init: str) -> Response:
    problem = vendor_problem(package)
    if problem is not None:
        return _missing_page(request, problem)
    nonce = secrets.token_urlsafe(18) if package is REDOC else None
    extra = {"connect-src": "'self'"}
    if nonce is not None:
        extra |= {"style-src": f"'nonce-{nonce}'", "worker-src": "blob:"}
    stylesheets = [f"{ASSETS}/docs.css"]
    bundle_url, init_url = f"{ASSETS}/{package.folder}/{bundle}", f"{ASSETS}/{init}"
    if package is SWAGGER_UI:
        stylesheets.insert(0, f"{ASSETS}/swagger-ui/swagger-ui.css")
        scripts = [bundle_url, init_url]
    else:  # Redoc's start-up script must run before its bundle (see redoc-init.js)
        scripts = [init_url, bundle_url]
    return ui.templates.TemplateResponse(
        request,
        "docs.html",
        {
            "tool": tool,
            "assets": ASSETS,
            "stylesheets": stylesheets,
            "container": container,
            "openapi_url": OPENAPI_URL,
            "scripts": scripts,
            "nonce": nonce,
        },
        headers={**with_csp(extra), "Cache-Control": "no-store"},
    )


@router.get("/docs", name="swagger_ui")
async def swagger_ui(request: Request) -> Response:
    """Swagger UI for ``/openapi.json``, or 503 when its files are not installed."""
    return _page(request, SWAGGER_UI, "Swagger UI", "swagger-ui", "swagger-ui-bundle.js", "swagger-init.js")


@router.get("/redoc", name="redoc")
async def redoc(request: Request) -> Response:
    """Redoc for ``/openapi.json``, or 503 when its files are not installed."""
    return _page(request, REDOC, "Redoc", "redoc", "redoc.standalone.js", "redoc-init.js")


@router.get(ASSETS + "/{path:path}", name="docs_asset")
async def docs_asset(path: str) -> Response:
    """A file of the documentation pages (the tools' vendored files and their start-up scripts)."""
    entry = asset_files().get(path)
    if entry is None or not entry[0].is_file():
        return PlainTextResponse("no such file", status_code=404)
    file, media_type = entry
    return FileResponse(file, media_type=media_type, headers={"Cache-Control": "public, max-age=300"})


def install(app: FastAPI) -> None:
    """Add ``/docs``, ``/redoc`` and their files to the app."""
    app.include_router(router)
