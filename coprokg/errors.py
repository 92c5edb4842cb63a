"""The one error hierarchy of coprokg.

Every error a user can cause is a ``CoprokgError``. Each carries what to fix as fields (file, line,
column, field path, allowed values, the ontology term or shape whose rule was broken) and repeats
them in ``str()`` so a CLI can print one readable line.
"""

from __future__ import annotations

from collections.abc import Sequence


class CoprokgError(Exception):
    """Root of all coprokg errors."""


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

    def __str__(self) -> str:
        where = ""
        if self.source:
            where = self.source
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        text = where
        if self.field:
            text += f"{self.field}: "
        text += self.message
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
    """A case description is malformed or uses a value the ontology does not know."""


class QueryError(InputError):
    """A SPARQL query or update is malformed, refused or too expensive."""


class OntologyError(CoprokgError):
    """The ontology (or a copy of it) cannot be loaded or compiled."""


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


class StoreError(CoprokgError):
    """The graph store cannot be opened, read or written (a server-side fault, not the user's)."""


class ConfigurationError(CoprokgError):
    """The service configuration is unsafe or inconsistent; the message names the setting."""


class NotAcceptable(InputError):
    """No representation the client accepts exists; ``allowed`` lists the media types there are."""
