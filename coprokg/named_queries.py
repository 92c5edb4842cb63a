"""Named SPARQL queries for Meijer's (2016) research agenda, one ``.rq`` file each.

A file starts with ``# key: value`` lines (``title``, ``description``, ``issue`` — the
``cpk:InstitutionalIssue`` it looks at — and ``source``), then the query. They assume the
service's union default graph: cases, their classifications and the ontology together.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = [
    "QUERIES_DIR",
    "NamedQuery",
    "named_queries",
]

QUERIES_DIR = Path(__file__).resolve().parent / "queries"


@dataclass(frozen=True)
class NamedQuery:
    """A stored query and what it answers."""

    name: str
    title: str
    description: str
    text: str
    issue: str | None = None
    source: str | None = None


def _read(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line[1:].partition(":")
        if sep:
            meta[key.strip()] = value.strip()
    return NamedQuery(
        name=path.stem,
        title=meta.get("title", path.stem),
        description=meta.get("description", ""),
        text=text,
        issue=meta.get("issue"),
        source=meta.get("source"),
    )


@lru_cache(maxsize=1)
def named_queries() -> dict[str, NamedQuery]:
    """Every named query by name.

    >>> "power-without-accountability" in named_queries()
    True
    """
    return {q.name: q for q in (_read(p) for p in sorted(QUERIES_DIR.glob("*.rq")))}
