"""The ontology's documentation page (``/ui/ontology``; ``/ontology`` for browsers).

The documentation itself is built once from the ontology (``ontology_docs``); this page adds the
download links and, for each term, the stored cases that use it, from the store's ``term_usage``
(two SPARQL queries for all terms, asked again only after a write):

* a policy domain links "N cases" to the case list filtered by that domain (which takes in its
  narrower domains, so the count does too); a citizen role to the case list filtered by that role;
  a power-transfer level class to the case list filtered by that level when the level filter finds
  exactly the cases in the class (the top level);
* any other term links "N cases" to the SPARQL editor with the query that lists them all, and lists
  up to 20 of them by title. A level class below the top also says how many cases have that level
  as their power-transfer level, linked to the filtered case list (a co-governance case is a
  co-management case too, but its level is co-governance).
"""

from __future__ import annotations

import logging
from collections import Counter
from functools import lru_cache
from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from api.deps import StoreDep
from api.ui.ontology_docs import CaseLinks, Download, ontology_html
from api.ui.render import NAV, SECURITY_HEADERS
from coprokg.errors import StoreError
from coprokg.ontology import default_ontology
from coprokg.sparql import formats
from coprokg.store import GraphStore, TermUsage, UsageKind, cases_sparql, citizen_roles, domain_family

router = APIRouter(include_in_schema=False)
log = logging.getLogger("coprokg.api")

# The ontology at fixed addresses (served by api.routes.vocabulary): path, format, name for people.
ONTOLOGY_FILES: tuple[tuple[str, formats.MediaFormat, str], ...] = (
    ("/ontology.ttl", formats.TURTLE, "Turtle"),
    ("/ontology.rdf", formats.RDF_XML, "RDF/XML"),
    ("/ontology.jsonld", formats.JSON_LD, "JSON-LD"),
)
DOWNLOADS = tuple(Download(label, path, fmt.media_type) for path, fmt, label in ONTOLOGY_FILES)
STYLESHEETS = ("/ui/static/ontology.css", "/ui/static/style.css")
MAX_LISTED = 20
USES = {
    UsageKind.VALUE: "using it",
    UsageKind.CASE_CLASS: "classified in it",
    UsageKind.ACTOR_CLASS: "with an actor in it",
}


def _cases_href(**params: str) -> str:
    return "/ui/cases?" + urlencode(params)


@lru_cache(maxsize=4)
def case_links(usage: TermUsage) -> dict[str, CaseLinks]:
    """For each term some stored case uses, how the page links to those cases (module docstring).

    Cached per ``TermUsage`` object, which the store keeps until its next write; do not change the result.
    """
    ontology = default_ontology()
    links: dict[str, CaseLinks] = {}

    domains = ontology.vocabularies["domain"]
    for value in domains.values.values():
        family = domain_family(value.notation, ontology)
        ids = frozenset().union(*(usage.cases_using(str(domains.values[n].iri)) for n in family))
        if ids:
            note = "in it or a narrower domain" if len(family) > 1 else ""
            links[str(value.iri)] = CaseLinks(len(ids), _cases_href(domain=value.notation), note)

    roles = {role.iri: role.key for role in citizen_roles()}
    levels = {str(level.iri): level.notation for level in ontology.power_levels() if level.iri is not None}
    at_level = Counter(case.level for case in usage.cases.values())
    for term, ids in usage.terms.items():
        kind = usage.kind(term)
        if term in links or not ids or kind is None:
            continue
        note = USES[kind]
        if kind is UsageKind.ACTOR_CLASS and term in roles:
            links[term] = CaseLinks(len(ids), _cases_href(role=roles[term]), note)
            continue
        level = None
        if term in levels:
            notation = levels[term]
            level_ids = {case.id for case in usage.cases.values() if case.level == notation}
            if level_ids == ids:
                links[term] = CaseLinks(len(ids), _cases_href(level=notation), note)
                continue
            level = (at_level[notation], _cases_href(level=notation))
        titled = [((usage.cases[i].title if i in usage.cases else None) or i, f"/ui/cases/{i}") for i in ids]
        cases = sorted(titled, key=lambda pair: (pair[0].casefold(), pair[1]))
        all_of_them = "/ui/sparql?" + urlencode({"query": cases_sparql(term, kind)})
        links[term] = CaseLinks(len(ids), all_of_them, note, listed=tuple(cases[:MAX_LISTED]), level=level)
    return links


def ontology_page(store: GraphStore) -> HTMLResponse:
    """The ontology's documentation with the site's menu, downloads and case links (also ``/ontology`` for browsers)."""
    notice = ""
    try:
        cases = case_links(store.term_usage())
    except StoreError as exc:  # the documentation does not need the store: it is shown, saying what is missing
        log.warning("the ontology page shows no case links: %s", exc)
        cases, notice = {}, f"The stored cases that use each term cannot be shown now: {exc}"
    html = ontology_html(stylesheets=STYLESHEETS, nav=NAV, downloads=DOWNLOADS, cases=cases, notice=notice)
    return HTMLResponse(html, headers={**SECURITY_HEADERS, "Vary": "Accept"})


@router.get("/ui/ontology", name="ui_ontology")
async def ontology_documentation(store: StoreDep) -> HTMLResponse:
    return await run_in_threadpool(ontology_page, store)
