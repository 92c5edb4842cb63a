"""Front-end tools the service serves from its own files: Swagger UI and Redoc (``/docs``, ``/redoc``)
and YASGUI (``/ui/sparql``).

Their files come from the npm registry at the exact versions of ``api/frontend/package.json``
(locked in its ``package-lock.json``), copied into the git-ignored ``api/static/vendor/`` by
``make install``; nothing is fetched from elsewhere at run time. A page built on one of them checks
``vendor_problem`` first and, when the files are missing or of another version, says so instead
of showing a blank page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from api.ui.render import API_DIR, SECURITY_HEADERS, STATIC_DIR

VENDOR_DIR = STATIC_DIR / "vendor"
MANIFEST = API_DIR / "frontend" / "package.json"
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
# YASGUI (MIT, as its package.json says; the package has no LICENSE file): one bundle with Yasqe,
# Yasr and what they use, and its stylesheet. The Makefile removes the remote addresses it holds.
YASGUI = VendoredPackage("@zazuko/yasgui", "yasgui", {"yasgui.min.js": JS, "yasgui.min.css": CSS})
PACKAGES = (SWAGGER_UI, REDOC, YASGUI)


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
        if where.is_relative_to(API_DIR.parent):
            where = where.relative_to(API_DIR.parent)
        return f"The front-end files of {label} are not installed ({where} is missing)."
    if wanted:
        try:
            found = json.loads((package.directory / "package.json").read_text(encoding="utf-8")).get("version")
        except (OSError, ValueError):
            found = None
        if found != wanted:
            return f"The installed {package.name} is version {found or 'unknown'}, the project pins {wanted}."
    return None


def with_csp(extra: dict[str, str]) -> dict[str, str]:
    """The site's security headers, with sources added to some Content-Security-Policy directives.

    >>> with_csp({"connect-src": "'self'"})["Content-Security-Policy"].split("; ")[-1]
    "connect-src 'self'"
    """
    directives: dict[str, str] = {}
    for part in SECURITY_HEADERS["Content-Security-Policy"].split(";"):
        name, _, sources = part.strip().partition(" ")
        directives[name] = sources
    for name, sources in extra.items():
        directives[name] = f"{directives[name]} {sources}" if name in directives else sources
    policy = "; ".join(f"{name} {sources}" for name, sources in directives.items())
    return {**SECURITY_HEADERS, "Content-Security-Policy": policy}
