"""``/export``: the cases as a CSV table for R, Stata or pandas, its codebook, and the whole store as JSON-LD.

Thin: the tables, the codebook and the dump are made by ``coprokg.export``, as for ``coprokg export``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from starlette.concurrency import run_in_threadpool

from api.deps import StoreDep
from coprokg import export

router = APIRouter(prefix="/export", tags=["export"])


class CSVResponse(Response):
    media_type = "text/csv"


class MarkdownResponse(Response):
    media_type = "text/markdown"


class JSONLDResponse(Response):
    media_type = "application/ld+json"


def _doc(media_type: str, description: str, schema: dict[str, Any]) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": description, "content": {media_type: {"schema": schema}}}}


def _download(body: bytes, media_type: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-cache"},
    )


@router.get(
    "/cases.csv",
    name="export_cases_csv",
    summary="Cases as a CSV table",
    response_class=CSVResponse,
    responses=_doc(
        "text/csv",
        "One row per participation, with its case's fields and power-transfer level: RFC 4180, UTF-8, a header "
        "row, ordered by case id, actor id and stage. The columns are described in `/export/codebook.md`.",
        {"type": "string"},
    ),
)
async def export_cases_csv(store: StoreDep) -> Response:
    """The stored cases as a table: one row per participation (for R, Stata, pandas)."""
    text = await run_in_threadpool(export.cases_csv, store)
    return _download(text.encode("utf-8"), export.CSV_MEDIA_TYPE, "coprokg-cases.csv")


@router.get(
    "/codebook.md",
    name="export_codebook_markdown",
    summary="Codebook (Markdown)",
    response_class=MarkdownResponse,
    responses=_doc(
        "text/markdown",
        "Every column of `/export/cases.csv`, its meaning, and the allowed values of the vocabulary columns "
        "(notation, label, definition), read from the ontology.",
        {"type": "string"},
    ),
)
async def export_codebook_markdown() -> Response:
    """The codebook of the cases table, as Markdown."""
    text = await run_in_threadpool(export.codebook_markdown)
    return _download(text.encode("utf-8"), export.MARKDOWN_MEDIA_TYPE, "coprokg-codebook.md")


@router.get(
    "/codebook.csv",
    name="export_codebook_csv",
    summary="Codebook (CSV)",
    response_class=CSVResponse,
    responses=_doc(
        "text/csv",
        "The codebook as CSV: one row per allowed value of a vocabulary column, one row for each other column.",
        {"type": "string"},
    ),
)
async def export_codebook_csv() -> Response:
    """The codebook of the cases table, as CSV."""
    text = await run_in_threadpool(export.codebook_csv)
    return _download(text.encode("utf-8"), export.CSV_MEDIA_TYPE, "coprokg-codebook.csv")


@router.get(
    "/cases.jsonld",
    name="export_jsonld",
    summary="Whole base as JSON-LD",
    response_class=JSONLDResponse,
    responses=_doc(
        "application/ld+json",
        "Every named graph of the store — the ontology, the shapes, each case and what was derived from it (its "
        "classification and warnings) — as expanded JSON-LD.",
        {"type": "array", "items": {"type": "object"}},
    ),
)
async def export_jsonld(store: StoreDep) -> Response:
    """The whole knowledge base (ontology, shapes, cases with their classifications) as JSON-LD."""
    body = await run_in_threadpool(export.whole_store_jsonld, store)
    return _download(body, export.JSONLD_MEDIA_TYPE, "coprokg.jsonld")
