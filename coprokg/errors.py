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
