"""The case list (``/ui/cases``): search, filters, sorting and paging, all done by the library's case catalogue.

The page asks the library's one ``find_cases`` (``GraphStore.find_cases``) exactly what ``GET
/cases`` asks, so the pages and the API give the same cases in the same order; the menus offer
only values in use, each with its count (``GraphStore.case_facets``), and countries by name.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from api.deps import StoreDep
from api.ui.render import domain_groups, page
from coprokg.countries import country_name
from coprokg.errors import QueryError
from coprokg.store import CaseQuery, citizen_roles

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
FILTERS = ("q", "domain", "country", "level", "role")
COLUMNS = (("title", "Case"), ("domain", "Policy domain"), ("country", "Country"), ("level", "Power transfer"))


def _filter_values(request: Request) -> dict[str, str | None]:
    params = request.query_params
    values: dict[str, str | None] = {k: (params.get(k) or "").strip() or None for k in FILTERS}
    if values["country"]:
        values["country"] = values["country"].upper()
    return values


def _page_number(request: Request) -> int:
    try:
        return max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        return 1


@router.get("/", name="ui_home")
@router.get("/ui/cases", name="ui_cases")
async def cases_page(request: Request, store: StoreDep) -> HTMLResponse:
    """The case base as a table: search, filter by domain, country, level and role, sort, page."""
    filters = _filter_values(request)
    sort = request.query_params.get("sort") or "title"
    descending = request.query_params.get("order") == "desc"
    number = _page_number(request)
    roles = await run_in_threadpool(citizen_roles)
    query = CaseQuery(
        domain=filters["domain"],
        country=filters["country"],
        level=filters["level"],
        role=filters["role"],
        text=filters["q"],
        sort=sort,
        descending=descending,
        offset=(number - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
        roles=tuple(roles),
    )
    errors: dict[str, str] = {}
    status = 200
    try:
        found = await run_in_threadpool(store.find_cases, query)
        cases, matching = found.items, found.total
    except QueryError as exc:
        errors[exc.field or "domain"] = exc.message
        cases, matching, status = [], 0, 400
    facets = await run_in_threadpool(store.case_facets)
    total = sum(facets["level"].values()) if facets["level"] else await run_in_threadpool(store.count_cases)
    role_groups: dict[str, list[Any]] = {}
    for role in roles:
        role_groups.setdefault(role.typology, []).append(role)
    kept = {k: v for k, v in filters.items() if v}

    def link(**changes: Any) -> str:
        params = {**kept, "sort": sort, "order": "desc" if descending else "asc", "page": number, **changes}
        params = {k: v for k, v in params.items() if v not in (None, "")}
        return "/ui/cases?" + urlencode(params)

    pages = max(1, -(-matching // PAGE_SIZE))
    sort_links = {
        key: link(sort=key, order="asc" if (key != sort or descending) else "desc", page=1) for key, _ in COLUMNS
    }
    countries = sorted(facets["country"].items(), key=lambda item: country_name(item[0]).casefold())
    return page(
        request,
        "cases.html",
        {
            "cases": cases,
            "total": total,
            "matching": matching,
            "filters": filters,
            "errors": errors,
            "countries": countries,
            "domain_counts": facets["domain"],
            "level_counts": facets["level"],
            "groups": [
                (d, [g for g in gs if facets["domain"].get(g.notation)])
                for d, gs in domain_groups()
                if facets["domain"].get(d.notation) or any(facets["domain"].get(g.notation) for g in gs)
            ],
            "role_groups": role_groups,
            "filtered": any(filters.values()),
            "columns": COLUMNS,
            "sort_heading": dict(COLUMNS).get(sort, sort),
            "country_codes": [code for code, _ in countries],
            "sort": sort,
            "descending": descending,
            "sort_links": sort_links,
            "page_number": number,
            "pages": pages,
            "first": (number - 1) * PAGE_SIZE + 1 if cases else 0,
            "last": (number - 1) * PAGE_SIZE + len(cases),
            "previous": link(page=number - 1) if number > 1 else None,
            "next": link(page=number + 1) if number < pages else None,
        },
        status=status,
        section="/ui/cases",
    )
