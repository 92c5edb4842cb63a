"""``/queries``: named SPARQL queries answering Meijer's (2016) research agenda."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel

from api.deps import SettingsDep, StoreDep
from api.errors import ApiError
from api.routes.sparql import PROTOCOL_DOC, run_query
from coprokg.named_queries import named_queries

router = APIRouter(prefix="/queries", tags=["queries"])


class NamedQueryInfo(BaseModel):
    name: str
    title: str
    description: str
    issue: str | None
    source: str | None
    url: str
    query: str


@router.get("", name="list_named_queries", response_model=list[NamedQueryInfo])
async def list_named_queries(request: Request) -> list[NamedQueryInfo]:
    """The named queries, with what each answers and its SPARQL text."""
    return [
        NamedQueryInfo(
            name=q.name,
            title=q.title,
            description=q.description,
            issue=q.issue,
            source=q.source,
            url=str(request.url_for("run_named_query", name=q.name)),
            query=q.text,
        )
        for q in named_queries().values()
    ]


@router.get("/{name}", name="run_named_query", responses={200: PROTOCOL_DOC, 404: {}, 406: {}})
async def run_named_query(
    name: Annotated[str, Path(pattern=r"^[a-z0-9-]+$")], request: Request, store: StoreDep, settings: SettingsDep
) -> Response:
    """Run a named query; results by `Accept` as for `/sparql` (kept until the store changes)."""
    query = named_queries().get(name)
    if query is None:
        raise ApiError(404, f"no named query {name!r}", field="name", allowed=sorted(named_queries()))
    return await run_query(store, settings, request.headers.get("accept"), query.text, cached=True)
