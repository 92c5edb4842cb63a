"""The API documentation pages: Swagger UI at ``/docs``, Redoc at ``/redoc``, from vendored files.

Both read ``/openapi.json`` (OpenAPI 3.1). Their front-end files come from the npm registry at
the exact versions of ``api/frontend/package.json`` (locked in its ``package-lock.json``), copied
into the git-ignored ``api/static/vendor/`` by ``make install``; nothing is fetched from elsewhere
at run time. The pages keep the site's Content-Security-Policy: no inline script (each tool is
started by a script file, ``api/static/swagger-init.js`` and ``redoc-init.js``), plus what the
tools need and no more — ``connect-src 'self'`` to read the document (and for "Try it out"), and
for Redoc a per-response nonce for the stylesheet it generates and ``worker-src blob:`` for its
search worker.

When the vendored files are missing, or are not the pinned versions, both pages answer 503 with
a page that says what is missing and to run ``make install``: never a blank page.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse, Response

from api.ui import render as ui

router = APIRouter(include_in_schema=False)

ASSETS = "/docs-assets"
OPENAPI_URL = "/openapi.json"
VENDOR_DIR = ui.STATIC_DIR / "vendor"
MANIFEST = ui.API_DIR / "frontend" / "package.json"
JS, CSS, TEXT = "text/javascript", "text/css", "text/plain; charset=utf-8"


@dataclass(frozen=True)
class VendoredPackage:
    """An npm package whose files ``make install`` copies into ``api/static/vendor/<folder>/``."""

    name: str
    folder: str
    files: dict[str, str]  # file name -> media type

    @property
    def directory(self) -> Path:
        return VENDOR_DIR / self.folder


SWAGGER_UI = VendoredPackage(
    "swagger-ui-dist",
    "swagger-ui",
    {
        "swagger-ui-bundle.js": JS,
        "swagger-ui.css": CSS,
        "favicon-32x32.png": "image/png",
        "LICENSE": TEXT,
        "NOTICE": TEXT,
    },
)
REDOC = VendoredPackage(
    "redoc", "redoc", {"redoc.standalone.js": JS, "redoc.standalone.js.LICENSE.txt": TEXT, "LICENSE": TEXT}
)
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


def pinned_versions(manifest: Path = MANIFEST) -> dict[str, str]:
    """The exact versions ``api/frontend/package.json`` pins (none when it is not there, as in a wheel)."""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.get("dependencies", {}).items()}


def vendor_problem(package: VendoredPackage) -> str | None:
    """What is wrong with a vendored package, in one sentence, or None when it is ready."""
    wanted = pinned_versions().get(package.name)
    label = f"{package.name} {wanted}" if wanted else package.name
    missing = [name for name in package.files if not (package.directory / name).is_file()]
    if missing:
        where = package.directory / missing[0]
        if where.is_relative_to(ui.API_DIR.parent):
            where = where.relative_to(ui.API_DIR.parent)
        return f"The front-end files of {label} are not installed ({where} is missing)."
    if wanted:
        try:
            found = json.loads((package.directory / "package.json").read_text(encoding="utf-8")).get("version")
        except (OSError, ValueError):
            found = None
        if found != wanted:
            return f"The installed {package.name} is version {found or 'unknown'}, the project pins {wanted}."
    return None


def _csp(extra: dict[str, str]) -> dict[str, str]:
    """The site's security headers, with sources added to some Content-Security-Policy directives."""
    directives: dict[str, str] = {}
    for part in ui.SECURITY_HEADERS["Content-Security-Policy"].split(";"):
        name, _, sources = part.strip().partition(" ")
        directives[name] = sources
    for name, sources in extra.items():
        directives[name] = f"{directives[name]} {sources}" if name in directives else sources
    policy = "; ".join(f"{name} {sources}" for name, sources in directives.items())
    return {**ui.SECURITY_HEADERS, "Content-Security-Policy": policy}


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
        headers={**_csp(extra), "Cache-Control": "no-store"},
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
