"""The classify form (``/ui/classify``): describe a case, see its classification, save it with the token."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from api.deps import SettingsDep, StoreDep, authorize_write, bounded, get_analysis
from api.errors import ApiError
from api.ui.forms import CaseForm
from api.ui.render import page
from coprokg.classify import Classification
from coprokg.errors import CaseNotConforming, InputError
from coprokg.settings import Settings
from coprokg.store import GraphStore
from coprokg.validate import Severity, ValidationReport
from coprokg.workers import AnalysisPool

router = APIRouter(include_in_schema=False)


# ---------------------------------------------------------------- classify
def _format_error(exc: InputError) -> str:
    message = exc.message
    if exc.allowed and len(exc.allowed) <= 12:
        message += " (allowed: " + ", ".join(exc.allowed) + ")"
    return message


def _classify_page(
    request: Request,
    form: CaseForm,
    *,
    status: int = 200,
    classification: Classification | None = None,
    actor_labels: Mapping[str, str] | None = None,
    saved: dict[str, Any] | None = None,
    focus: str | None = None,
    token_error: str | None = None,
    writes_enabled: bool = True,
) -> HTMLResponse:
    return page(
        request,
        "classify.html",
        {
            "form": form,
            "classification": classification,
            "saved": saved,
            "focus": focus,
            "token_error": token_error,
            "writes_enabled": writes_enabled,
            "actor_labels": actor_labels or {},
        },
        status=status,
        section="/ui/classify",
    )


@router.get("/ui/classify", name="ui_classify")
async def classify_form(request: Request, settings: SettingsDep) -> HTMLResponse:
    """An empty form to describe a case."""
    return _classify_page(request, CaseForm.empty(), writes_enabled=settings.api_token is not None)


async def _save(
    request: Request,
    form: CaseForm,
    case: dict[str, Any],
    store: GraphStore,
    settings: Settings,
    token: str,
    report: ValidationReport,
) -> tuple[int, dict[str, Any] | None, str | None]:
    """Store the case as ``PUT /cases/{id}`` does; the status, what was saved, and a token error."""
    try:
        authorize_write(settings, f"Bearer {token}" if token else None)
    except ApiError as exc:
        if exc.status == 401:
            return 401, None, "Enter the write token (COPROKG_API_TOKEN) to save the case."
        return exc.status, None, exc.message
    if not report.conforms:
        return 422, None, None  # the violations are shown next to their fields
    case_id = str(case["id"])
    if not form.replace and await run_in_threadpool(store.has_case, case_id):
        form.errors["case_id"] = (
            f"a case {case_id!r} is already stored: choose another id, or tick “replace the stored case”"
        )
        return 409, None, None
    pool = await get_analysis(request)
    body = AnalysisPool.body(data=case, source="the form")
    try:
        record = await bounded(
            request, lambda cancel: pool.record(body, timeout=settings.analysis_timeout, cancel=cancel)
        )
    except CaseNotConforming as exc:
        form.add_error(exc.field, exc.message)
        return 422, None, None
    created = await run_in_threadpool(store.put_case, record)
    return (201 if created else 200), {"id": case_id, "created": created, "level": record.power_transfer}, None


@router.post("/ui/classify", name="ui_classify_submit")
async def classify_submit(request: Request, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """Classify the described case and show why; add a row; or save the case with the token."""
    data = await request.form()
    form = CaseForm.from_form(data)
    action = str(data.get("action") or "classify")
    writes_enabled = settings.api_token is not None
    if action.startswith("add-"):
        focus = form.add_row(action.removeprefix("add-"))
        return _classify_page(request, form, focus=focus, writes_enabled=writes_enabled)
    case = form.to_case()
    if case is None:
        return _classify_page(request, form, status=422, writes_enabled=writes_enabled)
    pool = await get_analysis(request)
    body = AnalysisPool.body(data=case, source="the form")
    try:
        report, classification = await bounded(
            request, lambda cancel: pool.analyse(body, timeout=settings.analysis_timeout, cancel=cancel)
        )
    except InputError as exc:
        form.add_error(exc.field, _format_error(exc))
        return _classify_page(request, form, status=422, writes_enabled=writes_enabled)
    for result in report.results:
        if result.issue is not None:
            continue  # risk warnings are part of the classification shown
        if result.severity is Severity.VIOLATION and action == "save":
            form.add_error(result.field, result.message)
        elif result.severity is Severity.VIOLATION:
            form.add_notice(result.field, result.message)
        else:
            form.add_error(result.field, result.message, warning=True)
    status, saved, token_error = 200, None, None
    if action == "save":
        token = str(data.get("token") or "")
        status, saved, token_error = await _save(request, form, case, store, settings, token, report)
    return _classify_page(
        request,
        form,
        status=status,
        classification=classification,
        actor_labels={
            key: str(a.get("label"))
            for i, a in enumerate(case.get("actors", []))
            if isinstance(a, dict)
            for key in (str(a.get("id")), f"actors[{i}]")
        },
        saved=saved,
        token_error=token_error,
        writes_enabled=writes_enabled,
    )
