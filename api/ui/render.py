"""Rendering shared by the web pages: the template environment and its helpers, the site's menu and
security headers, ``page`` and ``error_page``.

The pages (one module each in ``api/ui``) are rendered on the server from the Jinja2 templates in
``api/templates`` and work without JavaScript; ``/ui/static/ui.js`` only adds conveniences."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from rdflib import URIRef

from api.ui.forms import MIN_ROWS, field_title
from api.ui.ontology_docs import STYLESHEET_PATH, local_name
from api.ui.plots import level_labels, level_notations
from coprokg.countries import country_name
from coprokg.namespaces import CPK, NodeKind, parse_case_node
from coprokg.ontology import VocabularyValue, default_ontology

API_DIR = Path(__file__).resolve().parents[1]
STATIC_DIR = API_DIR / "static"
STATIC_FILES: dict[str, tuple[Path, str]] = {
    "style.css": (STATIC_DIR / "style.css", "text/css"),
    "ui.js": (STATIC_DIR / "ui.js", "text/javascript"),
    "sparql-init.js": (STATIC_DIR / "sparql-init.js", "text/javascript"),
    "ontology.css": (STYLESHEET_PATH, "text/css"),
}
NAV: tuple[tuple[str, str], ...] = (
    ("Cases", "/ui/cases"),
    ("Classify", "/ui/classify"),
    ("SPARQL", "/ui/sparql"),
    ("Ontology", "/ui/ontology"),
    ("Plots", "/ui/plots"),
    ("API", "/docs"),
)
# Pages load nothing from elsewhere and run no inline script or style.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
CASE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}$")


# ---------------------------------------------------------------- template helpers
def term_href(iri: str) -> str | None:
    """Where a reader looks an IRI up: the ontology page for terms, the case page for cases."""
    if iri.startswith(str(CPK)) and len(iri) > len(str(CPK)):
        return f"/ui/ontology#{local_name(iri)}"
    node = parse_case_node(iri)
    if node is not None and node.kind is NodeKind.CASE:
        return f"/ui/cases/{node.case_id}"
    if iri.startswith(("http://", "https://")):
        return iri
    return None


def vocabulary_values(field: str) -> list[VocabularyValue]:
    """The values of a case field, ordered scales by rank, the rest by label."""
    values = default_ontology().vocabularies[field].values.values()
    return sorted(values, key=lambda v: (v.rank if v.rank is not None else 0, v.label.casefold()))


def vocabulary_value(field: str, slug: str | None) -> VocabularyValue | None:
    if not slug:
        return None
    return default_ontology().vocabularies[field].values.get(slug)


def vocabulary_label(field: str, slug: str | None) -> str:
    value = vocabulary_value(field, slug)
    return value.label if value is not None else (slug or "")


def vocabulary_definition(field: str, slug: str | None) -> str:
    value = vocabulary_value(field, slug)
    return value.definition if value is not None else ""


def vocabulary_link(field: str, slug: str | None) -> Markup:
    """The value's label, linked to its entry in the ontology documentation."""
    value = vocabulary_value(field, slug)
    if value is None:
        return Markup("{}").format(slug or "—")
    return Markup('<a href="/ui/ontology#{}" title="{}">{}</a>').format(
        local_name(str(value.iri)), value.definition, value.label
    )


@lru_cache(maxsize=1)
def domain_groups() -> list[tuple[VocabularyValue, list[VocabularyValue]]]:
    """Policy domains as COFOG divisions, each with its groups, in COFOG order."""
    ontology = default_ontology()

    def code(value: VocabularyValue) -> str:
        return str(ontology.graph.value(value.iri, CPK.cofogCode) or "99")

    values = sorted(default_ontology().vocabularies["domain"].values.values(), key=code)
    divisions = [v for v in values if "." not in code(v)]
    return [(d, [v for v in values if code(v).startswith(code(d) + ".")]) for d in divisions]


def term_label(iri: str) -> str:
    return default_ontology().label(URIRef(iri))


def term_definition(iri: str) -> str:
    return default_ontology().definition(URIRef(iri))


def term_sources(iri: str) -> list[str]:
    return default_ontology().sources(URIRef(iri))


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(API_DIR / "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        nav=NAV,
        term_href=term_href,
        term_label=term_label,
        term_definition=term_definition,
        term_sources=term_sources,
        vocabulary_values=vocabulary_values,
        vocabulary_label=vocabulary_label,
        vocabulary_definition=vocabulary_definition,
        vocabulary_link=vocabulary_link,
        domain_groups=domain_groups,
        country_name=country_name,
        level_labels=level_labels(),
        levels=level_notations(),
        min_rows=MIN_ROWS,
        field_title=field_title,
    )
    return env


templates = Jinja2Templates(env=_environment())


def page(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    status: int = 200,
    section: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """A rendered page with the site's security headers (or ``headers``, a page's own policy)."""
    return templates.TemplateResponse(
        request,
        template,
        {"section": section, **context},
        status_code=status,
        headers=dict(headers) if headers is not None else SECURITY_HEADERS,
    )


def error_page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    return page(request, "error.html", {"title": title, "message": message}, status=status)
