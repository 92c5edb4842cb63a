"""Case analysis in worker processes: load, validate and classify a case under a time and memory budget.

The service never validates or classifies a case in its own process: a large or pathological case
could keep a thread busy for minutes and threads cannot be stopped. ``AnalysisPool`` sends the
request body to a worker process (``python -m coprokg.workers.analysis_worker FD MEMORY_MB``) that has the
ontology, the compiled classifier and the shapes loaded, and kills it when the budget
(``COPROKG_ANALYSIS_TIMEOUT``) runs out or the client goes away. Errors come back as the library's
own exceptions (``coprokg.errors.error_from_wire``), so the API maps them as it always has.
"""

from __future__ import annotations

import dataclasses
import sys
import threading
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from coprokg.cases.limits import DEFAULT_LIMITS, CaseLimits
from coprokg.errors import CaseFormatError, CoprokgError, WorkTimeout, error_from_wire, error_to_wire
from coprokg.workers.pool import WorkerPool, limit_memory, serve

if TYPE_CHECKING:
    from coprokg.cases.load import LoadedCase
    from coprokg.classify import Classification
    from coprokg.store.records import CaseRecord
    from coprokg.validate import ValidationReport


# ---------------------------------------------------------------- in the worker
def _load(job: dict[str, Any]) -> LoadedCase:
    from coprokg.cases.load import case_from_dict, load_case_text

    limits = CaseLimits(**job["limits"])
    if "data" in job:
        return case_from_dict(job["data"], source=job.get("source"), limits=limits)
    return load_case_text(job["text"], job["fmt"], source=job.get("source"), limits=limits)


def _nt(triples: Any) -> str:
    return "".join(f"{t} .\n" for t in triples)


def _out(model: BaseModel, job: dict[str, Any]) -> Any:
    """The result as plain data, or as JSON bytes (the HTTP answer as is) when the job says ``encoded``."""
    if job.get("encoded"):
        return model.__pydantic_serializer__.to_json(model)
    return model.model_dump(mode="json")


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    """Do one job in this process; the reply is plain data (``ok`` and a result, or an error)."""
    from coprokg.classify import default_classifier
    from coprokg.store.records import build_record
    from coprokg.validate import validate_case

    try:
        loaded = _load(job)
        expected = job.get("expected_id")
        if expected is not None and loaded.case.id != expected:
            raise CaseFormatError(f"the case in the body has id {loaded.case.id!r}, the URL {expected!r}", field="id")
        op = job["op"]
        if op == "classify":
            return {"ok": True, "classification": _out(default_classifier().classify(loaded), job)}
        if op == "validate":
            return {"ok": True, "validation": _out(validate_case(loaded), job)}
        if op == "analyse":
            return {
                "ok": True,
                "validation": validate_case(loaded).model_dump(mode="json"),
                "classification": default_classifier().classify(loaded).model_dump(mode="json"),
            }
        if op == "record":
            record = build_record(loaded)
            return {
                "ok": True,
                "case_id": record.case_id,
                "case_nt": _nt(record.case_triples),
                "derived_nt": _nt(record.derived_triples),
                "classification": record.classification.model_dump(mode="json"),
                "validation": record.validation.model_dump(mode="json"),
                "digest": record.digest,
            }
        raise CaseFormatError(f"unknown analysis {op!r}")
    except CoprokgError as exc:
        return {"ok": False, "error": "coprokg", "detail": error_to_wire(exc)}
    except RecursionError:
        detail = error_to_wire(CaseFormatError("the input is nested too deeply to read"))
        return {"ok": False, "error": "coprokg", "detail": detail}


def _warm_up() -> None:
    from coprokg.classify import default_classifier
    from coprokg.paths import cases_dir

    default_classifier()
    sample = next(iter(sorted(cases_dir().glob("*.json"))), None)
    if sample is not None:
        text = sample.read_text(encoding="utf-8")
        run_job({"op": "record", "limits": dataclasses.asdict(DEFAULT_LIMITS), "text": text, "fmt": "json"})


def main(argv: list[str]) -> int:
    conn = Connection(int(argv[1]))
    limit_memory(int(argv[2]) if len(argv) > 2 else 0)
    try:  # warm up: the ontology, the compiled classes and the shapes, before the first request
        _warm_up()
    except Exception as exc:  # a broken ontology or shapes: say why instead of exiting silently
        conn.send({"ready": False, "message": f"{type(exc).__name__}: {exc}"})
        return 1
    conn.send({"ready": True, "sandboxed": False})
    return serve(conn, run_job)


# ---------------------------------------------------------------- in the service
class AnalysisPool(WorkerPool):
    """Worker processes that validate and classify cases for the service."""

    what = "case analysis"
    timeout_error = WorkTimeout

    def __init__(self, size: int, *, memory_mb: int = 0, limits: CaseLimits = DEFAULT_LIMITS) -> None:
        super().__init__(size, module="coprokg.workers.analysis_worker", memory_mb=memory_mb)
        self.limits = limits

    def _timeout_message(self, timeout: float) -> str:
        return (
            f"validating and classifying the case took longer than the limit of {timeout:g} s "
            "(COPROKG_ANALYSIS_TIMEOUT) and was stopped; describe fewer actors or participations"
        )

    def _ask(self, op: str, body: dict[str, Any], timeout: float, cancel: threading.Event | None) -> dict[str, Any]:
        job = {"op": op, "limits": dataclasses.asdict(self.limits), **body}
        reply = self.run(job, timeout, cancel=cancel)
        if not reply.get("ok"):
            raise error_from_wire(reply["detail"])
        return reply

    @staticmethod
    def body(
        *, text: str | None = None, fmt: str | None = None, data: Any = None, source: str | None = None
    ) -> dict[str, Any]:
        """The input of a job: ``text`` in ``fmt``, or an already parsed case ``data``."""
        if data is not None:
            return {"data": data, "source": source}
        return {"text": text, "fmt": fmt, "source": source}

    async def _ask_async(self, op: str, body: dict[str, Any], timeout: float) -> dict[str, Any]:
        job = {"op": op, "limits": dataclasses.asdict(self.limits), "encoded": True, **body}
        reply = await self.run_async(job, timeout)
        if not reply.get("ok"):
            raise error_from_wire(reply["detail"])
        return reply

    async def classify_json(self, body: dict[str, Any], *, timeout: float) -> bytes:
        """``classify`` for the event loop, the result as JSON bytes written by the worker.

        Nothing is parsed or re-encoded here: the service sends the bytes as they come. Cancel
        the awaiting task (the client went away) and the worker is killed.
        """
        data: bytes = (await self._ask_async("classify", body, timeout))["classification"]
        return data

    async def validate_json(self, body: dict[str, Any], *, timeout: float) -> bytes:
        """``validate`` for the event loop, the report as JSON bytes (see ``classify_json``)."""
        data: bytes = (await self._ask_async("validate", body, timeout))["validation"]
        return data

    def classify(
        self, body: dict[str, Any], *, timeout: float, cancel: threading.Event | None = None
    ) -> Classification:
        from coprokg.classify import Classification

        return Classification.model_validate(self._ask("classify", body, timeout, cancel)["classification"])

    def validate(
        self, body: dict[str, Any], *, timeout: float, cancel: threading.Event | None = None
    ) -> ValidationReport:
        from coprokg.validate import ValidationReport

        return ValidationReport.model_validate(self._ask("validate", body, timeout, cancel)["validation"])

    def analyse(
        self, body: dict[str, Any], *, timeout: float, cancel: threading.Event | None = None
    ) -> tuple[ValidationReport, Classification]:
        from coprokg.classify import Classification
        from coprokg.validate import ValidationReport

        reply = self._ask("analyse", body, timeout, cancel)
        return (
            ValidationReport.model_validate(reply["validation"]),
            Classification.model_validate(reply["classification"]),
        )

    def record(
        self,
        body: dict[str, Any],
        *,
        timeout: float,
        expected_id: str | None = None,
        cancel: threading.Event | None = None,
    ) -> CaseRecord:
        """The record to store for a case (validated and classified); ``CaseNotConforming`` if it violates a shape."""
        import pyoxigraph as ox

        from coprokg.classify import Classification
        from coprokg.store.records import CaseRecord
        from coprokg.validate import ValidationReport

        reply = self._ask("record", {**body, "expected_id": expected_id}, timeout, cancel)
        return CaseRecord(
            case_id=reply["case_id"],
            case_triples=tuple(q.triple for q in ox.parse(reply["case_nt"].encode(), ox.RdfFormat.N_TRIPLES)),
            derived_triples=tuple(q.triple for q in ox.parse(reply["derived_nt"].encode(), ox.RdfFormat.N_TRIPLES)),
            classification=Classification.model_validate(reply["classification"]),
            validation=ValidationReport.model_validate(reply["validation"]),
            digest=reply["digest"],
        )


if __name__ == "__main__":
    sys.exit(main(sys.argv))
