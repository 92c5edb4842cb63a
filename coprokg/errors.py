"""The one error hierarchy of coprokg.

Every error a user can cause is a ``CoprokgError``. Each carries what to fix as fields (file, line,
column, field path, allowed values, the ontology term or shape whose rule was broken) and repeats
them in ``str()`` so a CLI can print one readable line.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "CaseFormatError",
    "CaseNotConforming",
    "CaseNotFound",
    "ConfigurationError",
    "CoprokgError",
    "InputError",
    "LimitExceeded",
    "MemoryLimitExceeded",
    "NotAcceptable",
    "OntologyError",
    "QualityCheckFailed",
    "QueryError",
    "QueryRefused",
    "QueryTimeout",
    "ResourceExhausted",
    "StoreError",
    "StoreInUse",
    "StoreUnavailable",
    "WorkCancelled",
    "WorkTimeout",
    "error_from_wire",
    "error_to_wire",
]


class CoprokgError(Exception):
    """Root of all coprokg errors."""


def location_prefix(source: str | None, line: int | None, column: int | None) -> str:
    """The ``file:line:column: `` prefix of a one-line error (empty when nothing is known).

    >>> location_prefix("case.json", 12, 21), location_prefix(None, 3, None), location_prefix(None, None, None)
    ('case.json:12:21: ', '3: ', '')
    """
    text = source or ""
    if line is not None:
        text += f":{line}" if text else str(line)
        if column is not None:
            text += f":{column}"
    return f"{text}: " if text else ""


class InputError(CoprokgError):
    """A case, query or file given by the user is wrong; the message says where and what to fix."""

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
        allowed: Sequence[str] | None = None,
        rule: str | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.field = field
        self.allowed = tuple(allowed) if allowed is not None else None
        self.rule = rule
        super().__init__(str(self))

    @property
    def detail(self) -> str:
        """The message without the "line L, column C: " it may lead with (for ``file:line:column:`` output).

        >>> InputError("line 2, column 5: syntax error", line=2, column=5).detail
        'syntax error'
        """
        lead = f"line {self.line}, column {self.column}: " if self.column is not None else f"line {self.line}: "
        return self.message.removeprefix(lead) if self.line is not None else self.message

    def __str__(self) -> str:
        text = location_prefix(self.source, self.line, self.column)
        if self.field:
            text += f"{self.field}: "
        text += self.detail
        if self.allowed is not None:
            text += " (allowed: " + ", ".join(self.allowed) + ")"
        if self.rule:
            text += f" [rule: {self.rule}]"
        return text

    def to_dict(self) -> dict[str, object]:
        """The error as a JSON-ready dict, for the API's 4xx bodies."""
        body: dict[str, object] = {"message": self.message, "error": type(self).__name__}
        for key in ("source", "line", "column", "field", "rule"):
            value = getattr(self, key)
            if value is not None:
                body[key] = value
        if self.allowed is not None:
            body["allowed"] = list(self.allowed)
        return body


class CaseFormatError(InputError):
    """A case description is malformed or uses a value the ontology does not know.

    ``problems`` lists every problem found in the input, this one first, so that a file's errors
    can be reported at once rather than one per run.
    """

    problems: list[CaseFormatError]

    def to_dict(self) -> dict[str, object]:
        body = super().to_dict()
        others = getattr(self, "problems", [])
        if len(others) > 1:
            body["problems"] = [
                {k: v for k, v in p.to_dict().items() if k in ("message", "field", "line", "column", "allowed")}
                for p in others
            ]
        return body


class QueryError(InputError):
    """A SPARQL query or update is malformed, refused or too expensive."""


class OntologyError(CoprokgError):
    """The ontology, the shapes (or a copy of them) cannot be loaded or compiled.

    ``source``, ``line`` and ``column`` say where, when a file is at fault, and ``str()`` leads with
    them: ``shapes/risks.ttl:37:12: not valid Turtle: …``.
    """

    def __init__(
        self, message: str, *, source: str | None = None, line: int | None = None, column: int | None = None
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        return location_prefix(self.source, self.line, self.column) + self.message


class QualityCheckFailed(CoprokgError):
    """An ontology quality check found violations."""


class QueryRefused(QueryError):
    """A SPARQL operation uses a feature the service never runs (SERVICE, LOAD) or is not allowed."""


class QueryTimeout(QueryError):
    """A SPARQL query ran longer than the configured time limit and was stopped."""


class CaseNotFound(InputError):
    """No stored case has the given id."""


class CaseNotConforming(InputError):
    """A case was read but violates the case shapes; ``results`` lists every violation as a dict."""

    def __init__(self, message: str, *, results: Sequence[dict[str, object]] = (), **where: object) -> None:
        super().__init__(message, **where)  # type: ignore[arg-type]
        self.results = list(results)

    def to_dict(self) -> dict[str, object]:
        body = super().to_dict()
        body["results"] = self.results
        return body


class LimitExceeded(InputError):
    """An input is larger than a configured limit; ``limit`` names the ``COPROKG_*`` setting."""

    def __init__(self, message: str, *, limit: str, value: int, **where: object) -> None:
        super().__init__(message, **where)  # type: ignore[arg-type]
        self.limit = limit
        self.value = value

    def to_dict(self) -> dict[str, object]:
        body = super().to_dict()
        body["limit"] = self.limit
        body["limit_value"] = self.value
        return body


class StoreError(CoprokgError):
    """The graph store cannot be opened, read or written (a server-side fault, not the user's)."""


class StoreInUse(StoreError):
    """Another process holds the embedded store's lock (a running ``coprokg serve``, a ``coprokg load``).

    ``path`` is the store directory. Opening the store read-only while that process may write is
    undefined behaviour in pyoxigraph, so a command that needs the store says what to use instead.
    """

    def __init__(self, message: str, *, path: str = "") -> None:
        super().__init__(message)
        self.path = path


class StoreUnavailable(StoreError):
    """The store cannot take a read or write now (gone, unwritable, faulted); the message says why."""


class ResourceExhausted(CoprokgError):
    """A piece of work ran past its time or memory budget and was stopped; nothing was stored."""


class WorkTimeout(ResourceExhausted):
    """Classification, validation or a write's analysis ran past its time budget and was stopped."""


class WorkCancelled(ResourceExhausted):
    """The client went away; its work was stopped."""


class MemoryLimitExceeded(ResourceExhausted):
    """A worker process needed more memory than its configured bound; it was replaced."""


class ConfigurationError(CoprokgError):
    """The service configuration is unsafe or inconsistent; the message names the setting."""


class NotAcceptable(InputError):
    """No representation the client accepts exists; ``allowed`` lists the media types there are."""


def error_to_wire(exc: CoprokgError) -> dict[str, object]:
    """An error as plain data, to send from a worker process to the service.

    >>> back = error_from_wire(error_to_wire(CaseFormatError("bad", field="actors[0].kind", line=3)))
    >>> type(back).__name__, str(back)
    ('CaseFormatError', '3: actors[0].kind: bad')
    >>> back = error_from_wire(error_to_wire(OntologyError("not valid Turtle", source="risks.ttl", line=4, column=2)))
    >>> str(back), back.line
    ('risks.ttl:4:2: not valid Turtle', 4)
    """
    data: dict[str, object] = {"class": type(exc).__name__, "message": str(exc)}
    if isinstance(exc, InputError):
        data.update(
            message=exc.message,
            source=exc.source,
            line=exc.line,
            column=exc.column,
            field=exc.field,
            allowed=list(exc.allowed) if exc.allowed is not None else None,
            rule=exc.rule,
        )
        if isinstance(exc, CaseNotConforming):
            data["results"] = exc.results
        if isinstance(exc, LimitExceeded):
            data["limit"] = exc.limit
            data["value"] = exc.value
    elif isinstance(exc, OntologyError):
        data.update(message=exc.message, source=exc.source, line=exc.line, column=exc.column)
    return data


def error_from_wire(data: dict[str, object]) -> CoprokgError:
    """The error ``error_to_wire`` described (an unknown class becomes a plain ``CoprokgError``)."""
    cls = globals().get(str(data.get("class")))
    if not (isinstance(cls, type) and issubclass(cls, CoprokgError)):
        return CoprokgError(str(data.get("message")))
    if issubclass(cls, OntologyError):
        line, column = data.get("line"), data.get("column")
        return cls(
            str(data.get("message")),
            source=str(data["source"]) if data.get("source") is not None else None,
            line=line if isinstance(line, int) else None,
            column=column if isinstance(column, int) else None,
        )
    if not issubclass(cls, InputError):
        return cls(str(data.get("message")))
    where = {k: data.get(k) for k in ("source", "line", "column", "field", "allowed", "rule")}
    if cls is CaseNotConforming:
        return CaseNotConforming(str(data["message"]), results=data.get("results") or [], **where)  # type: ignore[arg-type]
    if cls is LimitExceeded:
        return LimitExceeded(str(data["message"]), limit=str(data["limit"]), value=int(data["value"]), **where)  # type: ignore[call-overload]
    return cls(str(data["message"]), **where)  # type: ignore[arg-type]
