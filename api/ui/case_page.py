"""One case (``/ui/cases/{id}``): what it is, its classification under each reading and why, risks, sources."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from api.deps import StoreDep
from api.ui.plots import accountability_graph_svg
from api.ui.render import CASE_ID, error_page, page, vocabulary_values
from coprokg.cases import graph_to_case
from coprokg.classify import Classification
from coprokg.ontology import default_ontology
from coprokg.sources import bibliography
from coprokg.store import triples_to_graph
from coprokg.validate import ValidationReport

router = APIRouter(include_in_schema=False)


@router.get("/ui/cases/{case_id}", name="ui_case")
async def case_page(case_id: str, request: Request, store: StoreDep) -> HTMLResponse:
    """One case: what it is, who takes part how, its classification and why, risks, accountability, sources."""
    if not CASE_ID.match(case_id):
        return error_page(
            request, 404, "No such case", "Case ids are lower-case slugs, such as buurt-bestuurt-rotterdam."
        )
    triples = await run_in_threadpool(store.case_triples, case_id)
    if triples is None:
        return error_page(request, 404, "No such case", f"There is no case {case_id!r} in the case base.")
    case = await run_in_threadpool(graph_to_case, triples_to_graph(triples), case_id, default_ontology())
    stored = await run_in_threadpool(store.stored_report, case_id, "classification")
    classification = Classification.model_validate(stored) if stored else None
    stored_validation = await run_in_threadpool(store.stored_report, case_id, "validation")
    validation = ValidationReport.model_validate(stored_validation) if stored_validation else None
    notices = [r for r in validation.results if r.issue is None] if validation else []
    type_labels = {v.notation: v.label for v in vocabulary_values("type")}
    graph = accountability_graph_svg(case, type_labels=type_labels)
    bib = bibliography()
    references = [(s, bib.get(s.cite), bib.get(s.via) if s.via else None) for s in case.sources]
    return page(
        request,
        "case.html",
        {
            "case": case,
            "classification": classification,
            "references": references,
            "source_check": source_check(case, classification),
            "notices": notices,
            "accountability_svg": Markup(graph) if graph else None,  # built and escaped by coprokg.plots
            # by id (participations, accountability) and by field path (the classification's nodes)
            "actor_labels": {
                **{a.id: a.label for a in case.actors},
                **{f"actors[{i}]": a.label for i, a in enumerate(case.actors)},
            },
        },
        section="/ui/cases",
    )


def source_check(case: Any, classification: Classification | None) -> dict[str, Any] | None:
    """How the level a source states compares with coprokg's, under each reading (None when no level is stated)."""
    stated = case.source_classification
    if stated is None or stated.level is None or classification is None:
        return None
    readings = classification.readings
    default = next((r for r in readings if r.default), None)
    level_label = {lv.notation: lv.label for lv in default_ontology().power_levels()}.get(stated.level, stated.level)
    return {
        "stated": stated.level,
        "stated_label": level_label,
        "agrees": classification.power_transfer == stated.level,
        "agreeing_readings": [r for r in readings if not r.default and r.level == stated.level],
        "default": default,
    }
