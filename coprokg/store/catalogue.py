"""The case catalogue: the case list kept in order in memory, so a page costs the same at any size.

``find_cases`` as SPARQL (``finding.case_query_sparql``) sorts and counts every match on every
request: a page of 50 took 0.023 s at 1,000 stored cases and 0.27 s at 10,000. The catalogue holds
one summary row per stored case (id, title, policy domain, country, power-transfer level, warning
count, the citizen roles its actors are classified in, and the lower-cased search text), one
sorted order per sort key and direction, the rows of each country, domain, level and role, and the
facet counts. An unfiltered page is a slice of an order (O(limit), any offset). A filtered page
intersects the rows of its filter values and of its words (``str.find`` over every search text
joined, made once after a change), then puts the matches in order: sorted when they are few (under
an eighth of the cases), else by one pass over the order testing membership.

Results are those of the SPARQL path, row for row: the same sort keys (``LCASE`` is
``str.lower``, the title falls back on the id, a country sorts by its English name, a missing
value by ``"~"`` or rank -1), ties broken by id ascending in both directions, and the same filters
(a domain with its narrower domains, words as ``CONTAINS`` over the lower-cased id, title and
description). ``tests/store/test_catalogue.py`` compares both on the curated base and on
generated cases for every filter, sort, direction and several offsets.

**Kept up to date.** ``GraphStore`` builds the catalogue on first use from one scan per predicate
it needs (``GraphStore.scan``: the embedded store reads its index directly), joined here, and
updates it row by row in ``put_case`` and ``delete_case`` (so ``coprokg load`` through the store
updates it too). Before every read it compares the catalogue's token with the store's
(``GraphStore.change_token``): the embedded store counts its own writes (it is locked to one
process, so every write is counted), and a catalogue that is not at the current count is rebuilt —
after a user's SPARQL update, an ontology load, or a write that failed. A remote store's writes can
come from other processes, so its token is read from the store on every read (one small query): a
change count that every write through coprokg (case writes, SPARQL updates, loads) adds to
(first and last in the same request, or after a SPARQL update), and the number of stored cases. A
write by another coprokg process is therefore seen at once; a write by a tool that bypasses coprokg
is seen when it changes the number of cases, and otherwise after ``catalogue_max_age`` seconds
(default 60), when the catalogue is rebuilt anyway.

**Memory.** A row is a slotted object of 10 fields with its id, title, country and search text
(the lower-cased id, title and description: one byte a character for ASCII, up to four
otherwise); each row is in 10 orders (8 bytes a slot), 3 to 6 value sets (about 30 bytes an
entry) and, after a search, the joined text (its search text again). Measured by the scale
benchmark on generated cases (titles of 2–6 words, descriptions of 5–20): about 1.5 KB a case,
142 MB at 100,000; a case adds about twice the length of its description and title on top.
"""

from __future__ import annotations

import bisect
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from coprokg.countries import country_names
from coprokg.namespaces import CPK
from coprokg.ontology import Ontology, default_ontology
from coprokg.store.finding import SORT_KEYS, CaseQuery, domain_family

__all__ = ["CaseCatalogue", "CatalogueRow"]


@dataclass(slots=True, eq=False)
class CatalogueRow:
    """One stored case as the case list shows and filters it."""

    id: str
    title: str | None
    domain_iri: str | None
    domain: str | None  # its notation (None when the store's ontology has none for the IRI)
    country: str | None
    level: str | None
    rank: int | None
    warnings: int
    roles: frozenset[str]  # local names of the classes its classification graph types anything with
    search: str  # LCASE(CONCAT(id, " ", title, " ", description)), as the SPARQL filter reads it


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    return country_names()


class _Desc:
    """A key that sorts in reverse (descending order on strings, ties still by ascending id)."""

    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        self.key = key

    def __lt__(self, other: _Desc) -> bool:
        return self.key > other.key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Desc) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)


def sort_key(row: CatalogueRow, sort: str) -> Any:
    """The value ``finding.case_query_sparql`` orders by (before the tie-break on id)."""
    if sort == "id":
        return row.id
    if sort == "title":
        return (row.title if row.title is not None else row.id).lower()
    if sort == "country":
        if row.country is None:
            return "~"
        return _country_names().get(row.country, row.country).lower()
    if sort == "domain":
        return row.domain if row.domain is not None else "~"
    return row.rank if row.rank is not None else -1


def order_key(sort: str, descending: bool) -> Callable[[CatalogueRow], Any]:
    """The full key of one order: the sort value (reversed when descending), then the id ascending."""
    if not descending:
        return lambda row: (sort_key(row, sort), row.id)
    if sort == "level":
        return lambda row: (-sort_key(row, sort), row.id)
    if sort == "id":
        return lambda row: _Desc(row.id)
    return lambda row: (_Desc(sort_key(row, sort)), row.id)


ORDERS = tuple((sort, descending) for sort in SORT_KEYS for descending in (False, True))


@dataclass
class CaseCatalogue:
    """Every stored case's summary in each order, with the facet counts (not thread-safe by itself:
    ``GraphStore`` holds its lock around every use)."""

    rows: dict[str, CatalogueRow] = field(default_factory=dict)
    orders: dict[tuple[str, bool], list[CatalogueRow]] = field(default_factory=dict)
    country_counts: Counter[str] = field(default_factory=Counter)
    domain_counts: Counter[str] = field(default_factory=Counter)
    level_counts: Counter[str] = field(default_factory=Counter)
    token: object = None
    built_at: float = 0.0
    notations: dict[str, str] = field(default_factory=dict)  # domain IRI to notation, from the store
    ranks: dict[str, int] = field(default_factory=dict)  # level notation to rank, from the ontology
    # the rows of each filter value, and the search texts joined (made on the first search after a change)
    index: dict[str, dict[str | None, set[CatalogueRow]]] = field(
        default_factory=lambda: {"country": {}, "domain": {}, "level": {}, "role": {}}
    )
    text: tuple[str, list[int], list[CatalogueRow]] | None = None
    lock: threading.RLock = field(default_factory=threading.RLock)

    @classmethod
    def of(cls, rows: Iterable[CatalogueRow], token: object = None, built_at: float = 0.0) -> CaseCatalogue:
        catalogue = cls(token=token, built_at=built_at)
        for row in rows:
            if row.id not in catalogue.rows:  # the SPARQL path keeps a case's first row as well
                catalogue.rows[row.id] = row
                catalogue._count(row, 1)
        for order in ORDERS:
            key = order_key(*order)
            catalogue.orders[order] = sorted(catalogue.rows.values(), key=key)
        return catalogue

    def _count(self, row: CatalogueRow, delta: int) -> None:
        self.text = None
        keys: list[tuple[str, str | None]] = [
            ("country", row.country),
            ("domain", row.domain_iri),
            ("level", row.level),
        ]
        keys.extend(("role", role) for role in row.roles)
        for name, key in keys:
            members = self.index[name].setdefault(key, set())
            if delta > 0:
                members.add(row)
            else:
                members.discard(row)
                if not members:
                    del self.index[name][key]
        for counter, value in (
            (self.country_counts, row.country),
            (self.domain_counts, row.domain),
            (self.level_counts, row.level),
        ):
            if value is not None:
                counter[value] += delta
                if counter[value] <= 0:
                    del counter[value]

    # ------------------------------------------------------------------ changes
    def remove(self, case_id: str) -> None:
        row = self.rows.pop(case_id, None)
        if row is None:
            return
        self._count(row, -1)
        for order in ORDERS:
            key, rows = order_key(*order), self.orders[order]
            at = bisect.bisect_left(rows, key(row), key=key)
            while rows[at] is not row:  # keys are unique (they end with the id): found at once
                at += 1
            del rows[at]

    def add(self, row: CatalogueRow) -> None:
        self.remove(row.id)
        self.rows[row.id] = row
        self._count(row, 1)
        for order in ORDERS:
            key = order_key(*order)
            rows = self.orders[order]
            rows.insert(bisect.bisect_left(rows, key(row), key=key), row)

    # ------------------------------------------------------------------ reads
    def __len__(self) -> int:
        return len(self.rows)

    def ids(self) -> list[str]:
        return [r.id for r in self.orders[("id", False)]]

    def facets(self) -> dict[str, dict[str, int]]:
        return {
            "country": dict(self.country_counts),
            "domain": dict(self.domain_counts),
            "level": dict(self.level_counts),
        }

    def find(self, query: CaseQuery, ontology: Ontology | None = None) -> tuple[int, list[CatalogueRow]]:
        """The total of the matches and the page ``query`` asks for (``query`` already checked).

        Unfiltered: a slice of the order. Filtered: the rows of each filter value (kept per value) and
        of each word (found in the joined search texts) intersected, then put in order — by sorting
        them when they are few, else by one pass over the order testing membership.
        """
        order = self.orders[(query.sort, query.descending)]
        start, stop = query.offset, query.offset + query.limit
        matches = self._matches(query, ontology)
        if matches is None:
            return len(order), order[start:stop]
        if len(matches) * 8 < len(order):
            return len(matches), sorted(matches, key=order_key(query.sort, query.descending))[start:stop]
        matched = [row for row in order if row in matches]
        return len(matched), matched[start:stop]

    def _matches(self, query: CaseQuery, ontology: Ontology | None) -> set[CatalogueRow] | None:
        """The rows matching every filter of ``query`` (None when it has none)."""
        groups: list[set[CatalogueRow]] = []
        empty: set[CatalogueRow] = set()
        if query.domain is not None:
            ontology = ontology or default_ontology()
            vocab = ontology.vocabularies["domain"]
            family = [str(vocab.values[n].iri) for n in domain_family(query.domain, ontology)]
            groups.append(set().union(*(self.index["domain"].get(d, empty) for d in family)))
        for name, value in (("country", query.country), ("level", query.level), ("role", query.role)):
            if value is not None:
                groups.append(self.index[name].get(value, empty))
        words = [w for w in (query.text or "").casefold().split() if w]
        if not groups and not words:
            return None
        groups.sort(key=len)
        if groups:
            matches = set(groups[0]).intersection(*groups[1:])
            return {row for row in matches if all(w in row.search for w in words)} if words else matches
        matches = self._rows_with(words[0])
        return {row for row in matches if all(w in row.search for w in words[1:])}

    def _rows_with(self, word: str) -> set[CatalogueRow]:
        """The rows whose search text contains ``word``: ``str.find`` over every text joined."""
        if "\x00" in word:
            return {row for row in self.rows.values() if word in row.search}
        if self.text is None:
            rows = list(self.rows.values())
            starts, at = [], 0
            for row in rows:
                starts.append(at)
                at += len(row.search) + 1
            self.text = ("\x00".join(row.search for row in rows), starts, rows)
        joined, starts, rows = self.text
        found: set[CatalogueRow] = set()
        at = joined.find(word)
        while at != -1:
            i = bisect.bisect_right(starts, at) - 1
            found.add(rows[i])
            at = joined.find(word, starts[i + 1] if i + 1 < len(starts) else len(joined))
        return found


def role_name(type_iri: str) -> str | None:
    """The local name of a class in the ontology's namespace (a role filter value), else None."""
    namespace = str(CPK)
    return type_iri[len(namespace) :] if type_iri.startswith(namespace) else None


def search_text(case_id: str, title: str | None, description: str | None) -> str:
    return f"{case_id} {title or ''} {description or ''}".lower()
