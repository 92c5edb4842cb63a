"""The bibliography of the case base (``data/sources.bib``): read it, find an entry by its cite, format it.

A case cites a source by the entry's ``shorthand`` ("Meijer 2016"). Readers see each source in
full — authors, year, title, venue, pages, DOI or link — while the ``note`` (what a curator read,
and where) stays out of their view. The reader here handles the BibTeX the file uses (one entry
per ``@type{key,`` block, ``name = {value}`` fields, braces nested in values); it is not a general
BibTeX parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from coprokg.errors import InputError
from coprokg.paths import project_root

__all__ = [
    "SCHOLARLY_TYPES",
    "Source",
    "bibliography",
    "parse_bibliography",
]

SCHOLARLY_TYPES = frozenset({"article", "book", "incollection", "inproceedings", "thesis", "report"})
_ENTRY = re.compile(r"^@(\w+)\{([^,\s]+),", re.M)
_FIELD = re.compile(r"(\w+)\s*=\s*\{")
_LATEX = [("\\&", "&"), ("---", "—"), ("--", "–"), ("{", ""), ("}", ""), ("\\~a", "ã"), ("\\'e", "é")]


@dataclass(frozen=True)
class Source:
    """One bibliography entry."""

    key: str
    type: str
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def shorthand(self) -> str:
        return self.fields.get("shorthand", self.key)

    @property
    def scholarly(self) -> bool:
        """A journal article, book, chapter, proceedings paper, thesis or report."""
        return self.type in SCHOLARLY_TYPES

    @property
    def link(self) -> str | None:
        """The DOI as a link, else the URL."""
        doi = self.fields.get("doi")
        if doi:
            return doi if doi.startswith("http") else f"https://doi.org/{doi}"
        return self.fields.get("url")

    def reference(self) -> str:
        """The entry as a reader's reference: authors (year). Title. Venue, volume(number), pages.

        >>> Source("k", "article", {"author": "Meijer, Albert", "year": "2016", "title": "Coproduction",
        ...     "journal": "Public Administration Review", "volume": "9", "number": "4",
        ...     "pages": "596--611"}).reference()
        'Meijer, Albert (2016). Coproduction. Public Administration Review 9(4), 596–611.'
        """
        f = {k: _plain(v) for k, v in self.fields.items()}
        authors = f.get("author") or f.get("editor") or f.get("organization") or f.get("institution") or ""
        authors = authors.replace(" and ", "; ")
        year = f.get("year") or f.get("date", "")[:4] or "n.d."
        parts = [f"{authors} ({year})." if authors else f"({year})."]
        if f.get("title"):
            parts.append(f"{f['title'].rstrip('.')}.")
        venue = f.get("journal") or f.get("journaltitle") or f.get("booktitle") or ""
        if venue:
            if f.get("volume"):
                venue += f" {f['volume']}"
                if f.get("number"):
                    venue += f"({f['number']})"
            if f.get("pages"):
                venue += f", {f['pages']}"
            parts.append(("In " if self.type == "incollection" else "") + venue + ".")
        publisher = f.get("publisher") or (f.get("institution") if f.get("institution") != authors else "")
        if publisher:
            parts.append(f"{publisher}.")
        if self.type in ("thesis", "report") and f.get("type"):
            parts.insert(2, f"{f['type']}.")
        return " ".join(p for p in parts if p.strip(" ."))


def _plain(value: str) -> str:
    for old, new in _LATEX:
        value = value.replace(old, new)
    return " ".join(value.split())


def _value(text: str, start: int) -> tuple[str, int]:
    """The braced value that starts just after ``start`` (an opening brace), and where it ends."""
    depth, i = 1, start
    while i < len(text):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[start:i], i + 1
        i += 1
    raise InputError("unbalanced braces in a bibliography entry", source="data/sources.bib")


def parse_bibliography(text: str) -> dict[str, Source]:
    """Entries by shorthand.

    >>> bib = parse_bibliography("@book{a, shorthand = {A 2000}, title = {T {x}}, year = {2000}}")
    >>> bib["A 2000"].fields["title"]
    'T {x}'
    """
    entries: dict[str, Source] = {}
    matches = list(_ENTRY.finditer(text))
    for n, match in enumerate(matches):
        end = matches[n + 1].start() if n + 1 < len(matches) else len(text)
        body = text[match.end() : end]
        fields: dict[str, str] = {}
        i = 0
        while (found := _FIELD.search(body, i)) is not None:
            value, i = _value(body, found.end())
            fields[found.group(1).lower()] = value
        source = Source(match.group(2), match.group(1).lower(), fields)
        entries[source.shorthand] = source
    return entries


@lru_cache(maxsize=4)
def _bibliography(path: Path, mtime: float) -> dict[str, Source]:
    return parse_bibliography(path.read_text(encoding="utf-8"))


def bibliography(path: Path | None = None) -> dict[str, Source]:
    """The project's bibliography (``data/sources.bib``), by shorthand; empty when there is none."""
    path = path or project_root() / "data" / "sources.bib"
    if not path.exists():
        return {}
    return _bibliography(path, path.stat().st_mtime)
