"""Result and RDF formats by media type, and ``Accept`` negotiation (q-values, wildcards).

Kept in one place so that the SPARQL endpoint, the case API and the command line agree on which
formats exist and on how an ``Accept`` header is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class MediaFormat:
    """A serialisation: a short key (for the CLI), its media type and the types it also answers to."""

    key: str
    media_type: str
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        text_like = self.media_type.startswith("text/") or self.media_type.endswith(("+json", "+xml", "/json"))
        return f"{self.media_type}; charset=utf-8" if text_like else self.media_type


SPARQL_JSON = MediaFormat("json", "application/sparql-results+json", ("application/json",))
SPARQL_XML = MediaFormat("xml", "application/sparql-results+xml", ("application/xml", "text/xml"))
SPARQL_CSV = MediaFormat("csv", "text/csv")
SPARQL_TSV = MediaFormat("tsv", "text/tab-separated-values")
TURTLE = MediaFormat("turtle", "text/turtle", ("application/x-turtle",))
N_TRIPLES = MediaFormat("ntriples", "application/n-triples", ("text/plain",))
RDF_XML = MediaFormat("rdfxml", "application/rdf+xml")
JSON_LD = MediaFormat("jsonld", "application/ld+json")
N_QUADS = MediaFormat("nquads", "application/n-quads")
TRIG = MediaFormat("trig", "application/trig")
CASE_JSON = MediaFormat("case-json", "application/json")

SOLUTION_FORMATS: tuple[MediaFormat, ...] = (SPARQL_JSON, SPARQL_XML, SPARQL_CSV, SPARQL_TSV)
BOOLEAN_FORMATS: tuple[MediaFormat, ...] = (SPARQL_JSON, SPARQL_XML, SPARQL_CSV, SPARQL_TSV)
GRAPH_FORMATS: tuple[MediaFormat, ...] = (TURTLE, N_TRIPLES, RDF_XML, JSON_LD)
DATASET_FORMATS: tuple[MediaFormat, ...] = (N_QUADS, TRIG)
ALL_FORMATS: dict[str, MediaFormat] = {f.key: f for f in (*SOLUTION_FORMATS, *GRAPH_FORMATS, *DATASET_FORMATS)}


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    q: float
    order: int

    def matches(self, media_type: str) -> int:
        """How specifically this range matches ``media_type``: 2 exact, 1 ``type/*``, 0 ``*/*``, -1 not."""
        main, _, sub = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 0
        if self.type != main:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def parse_accept(header: str | None) -> list[_Range]:
    """Parse an ``Accept`` header; a missing or empty header accepts anything.

    >>> [(r.type, r.subtype, r.q) for r in parse_accept("text/turtle;q=0.5, application/*")]
    [('text', 'turtle', 0.5), ('application', '*', 1.0)]
    """
    if header is None or not header.strip():
        return [_Range("*", "*", 1.0, 0)]
    ranges = []
    for order, item in enumerate(header.split(",")):
        parts = [p.strip() for p in item.split(";")]
        media = parts[0].lower()
        if not media:
            continue
        if media == "*":
            media = "*/*"
        main, _, sub = media.partition("/")
        if not main or not sub:
            continue
        q = 1.0
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(1.0, max(0.0, float(value.strip())))
                except ValueError:
                    q = 0.0
        ranges.append(_Range(main, sub, q, order))
    return ranges


HTML = MediaFormat("html", "text/html", ("application/xhtml+xml",))


def negotiate(accept: str | None, offers: Sequence[MediaFormat]) -> MediaFormat | None:
    """The offer the client prefers, or None when it accepts none of them (HTTP 406).

    For each offer the most specific matching range gives its q; the highest q wins, ties going
    to the range the client listed first and then to the server's order of ``offers``.

    >>> negotiate("text/csv;q=0.4, application/sparql-results+xml", SOLUTION_FORMATS).key
    'xml'
    >>> negotiate("application/json", SOLUTION_FORMATS).key
    'json'
    >>> negotiate("*/*", GRAPH_FORMATS).key
    'turtle'
    >>> negotiate("text/html", GRAPH_FORMATS) is None
    True
    """
    ranges = parse_accept(accept)
    best: tuple[float, int, int, int] | None = None
    chosen: MediaFormat | None = None
    for index, offer in enumerate(offers):
        candidates = []
        refused = False
        for media_type in (offer.media_type, *offer.aliases):
            match: _Range | None = None
            specificity = -1
            for r in ranges:
                s = r.matches(media_type)
                if s > specificity or (s == specificity and match is not None and r.q > match.q):
                    match, specificity = r, s
            if match is None or specificity < 0:
                continue
            if match.q <= 0:
                # "q=0" on this very type refuses the offer, whatever a wildcard says
                refused = refused or specificity == 2
                continue
            candidates.append((match.q, specificity, -match.order, -index))
        if refused or not candidates:
            continue
        rank = max(candidates)
        if best is None or rank > best:
            best, chosen = rank, offer
    return chosen


def media_type_of(content_type: str | None) -> str:
    """The bare, lower-cased media type of a ``Content-Type`` header ('' when absent)."""
    if not content_type:
        return ""
    return content_type.split(";", 1)[0].strip().lower()
