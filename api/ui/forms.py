"""The classify page's HTML form: read from the posted fields, turned into a case, errors put back.

The form has numbered rows (``actors-0-label``, ``participations-2-stage`` …) and works without
JavaScript: a fixed number of empty rows, and an "add a row" button that posts the form back
with one more. Participations and accountability relations point at actor rows by number, so an
actor can be referred to before it has a name; actor ids are made from the labels.

Errors are keyed by form field name. A case field path reported by the library
(``participations[1].decision``) is mapped back to the row it came from, so each message shows
next to the field a reader has to change.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData

MIN_ROWS: dict[str, int] = {"actors": 3, "participations": 4, "accountability": 2, "sources": 2}
FIRST_FIELD: dict[str, str] = {
    "actors": "label",
    "participations": "actor",
    "accountability": "accountor",
    "sources": "cite",
}
MAX_ROWS = 40
TOP_FIELDS = ("title", "description", "domain", "country", "place", "started")
FIELD_TITLES: dict[str, str] = {
    "case_id": "Identifier",
    "title": "Title",
    "description": "Description",
    "domain": "Policy domain",
    "country": "Country",
    "place": "Place",
    "started": "Year started",
    "representativeness": "Representativeness",
    "compensation": "Compensation",
    "directed_at_citizens": "Directed at other citizens",
    "token": "Write token",
}
ROW_TITLES: dict[str, str] = {
    "actors": "Actor",
    "participations": "Participation",
    "accountability": "Accountability relation",
    "sources": "Source",
}
PART_TITLES: dict[str, str] = {
    "label": "name",
    "decision": "decision right",
    "contributes": "contribution",
    "cite": "citation",
}
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_PATH = re.compile(r"^(actors|participations|accountability|sources)(?:\[(\d+)\](?:\.(\w+))?)?")


def slugify(text: str, *, fallback: str = "case") -> str:
    """A lower-case ASCII slug of ``text``.

    >>> slugify("Buurt Bestuurt: Rotterdam (2009)")
    'buurt-bestuurt-rotterdam-2009'
    >>> slugify("Ærø  café", fallback="x")
    'r-cafe'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-")[:60].strip("-")
    return slug or fallback


def field_title(name: str) -> str:
    """A form field's name in words, for the error summary.

    >>> field_title("participations-2-decision"), field_title("title")
    ('Participation 3, decision right', 'Title')
    """
    match = re.match(r"^(\w+)-(\d+)-(\w+)$", name)
    if match and match.group(1) in ROW_TITLES:
        part = match.group(3)
        return f"{ROW_TITLES[match.group(1)]} {int(match.group(2)) + 1}, {PART_TITLES.get(part, part)}"
    return FIELD_TITLES.get(name, name)


@dataclass
class ActorRow:
    label: str = ""
    kind: str = ""

    def blank(self) -> bool:
        return not (self.label.strip() or self.kind)


@dataclass
class ParticipationRow:
    actor: str = ""  # the number of an actor row, from 1
    stage: str = ""
    decision: str = ""
    task: str = ""
    contributes: list[str] = field(default_factory=list)

    def blank(self) -> bool:
        return not (self.actor or self.stage or self.decision or self.task or self.contributes)


@dataclass
class AccountabilityRow:
    accountor: str = ""
    forum: str = ""
    type: str = ""
    mechanism: str = ""

    def blank(self) -> bool:
        return not (self.accountor or self.forum or self.type or self.mechanism.strip())


@dataclass
class SourceRow:
    cite: str = ""
    page: str = ""

    def blank(self) -> bool:
        return not (self.cite.strip() or self.page.strip())


ROW_TYPES: dict[str, type[ActorRow | ParticipationRow | AccountabilityRow | SourceRow]] = {
    "actors": ActorRow,
    "participations": ParticipationRow,
    "accountability": AccountabilityRow,
    "sources": SourceRow,
}


def _rows(form: FormData, group: str) -> int:
    """How many rows of ``group`` the form had: its hidden counter, or the highest row index seen."""
    seen = [int(m.group(1)) + 1 for key in form for m in [re.match(rf"^{group}-(\d+)-", key)] if m]
    try:
        declared = int(str(form.get(f"{group}_rows", "0")))
    except ValueError:
        declared = 0
    return max(MIN_ROWS[group], min(MAX_ROWS, max([declared, *seen]))) if seen or declared else MIN_ROWS[group]


def _country(typed: str) -> str:
    """A two-letter code in capitals (nl → NL); a name as typed (the library reads it, with a note).

    >>> _country("nl"), _country("Netherlands")
    ('NL', 'Netherlands')
    """
    return typed.upper() if len(typed) == 2 and typed.isalpha() else typed


@dataclass
class CaseForm:
    """What the reader typed, the errors to show, and how case field paths map to form fields."""

    case_id: str = ""
    title: str = ""
    description: str = ""
    domain: str = ""
    country: str = ""
    place: str = ""
    started: str = ""
    representativeness: str = "unknown"
    directed_at_citizens: bool = False
    compensation: list[str] = field(default_factory=list)
    actors: list[ActorRow] = field(default_factory=list)
    participations: list[ParticipationRow] = field(default_factory=list)
    accountability: list[AccountabilityRow] = field(default_factory=list)
    sources: list[SourceRow] = field(default_factory=list)
    replace: bool = False
    errors: dict[str, str] = field(default_factory=dict)  # to fix before the case can be classified
    notices: dict[str, str] = field(default_factory=dict)  # what the case shapes need before saving
    warnings: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    general_notices: list[str] = field(default_factory=list)
    _rows_of: dict[str, list[int]] = field(default_factory=dict, repr=False)

    @classmethod
    def empty(cls) -> CaseForm:
        form = cls()
        form.pad()
        return form

    @classmethod
    def from_form(cls, data: FormData) -> CaseForm:
        """Read the posted fields (unknown fields are ignored; rows are capped at ``MAX_ROWS``)."""

        def text(name: str) -> str:
            value = data.get(name, "")
            return value.strip() if isinstance(value, str) else ""

        def texts(name: str) -> list[str]:
            return [v for v in data.getlist(name) if isinstance(v, str) and v]

        form = cls(
            case_id=text("case_id"),
            title=text("title"),
            description=text("description"),
            domain=text("domain"),
            country=_country(text("country")),
            place=text("place"),
            started=text("started"),
            representativeness=text("representativeness") or "unknown",
            directed_at_citizens=bool(text("directed_at_citizens")),
            compensation=texts("compensation"),
            replace=bool(text("replace")),
        )
        form.actors = [
            ActorRow(text(f"actors-{i}-label"), text(f"actors-{i}-kind")) for i in range(_rows(data, "actors"))
        ]
        form.participations = [
            ParticipationRow(
                actor=text(f"participations-{i}-actor"),
                stage=text(f"participations-{i}-stage"),
                decision=text(f"participations-{i}-decision"),
                task=text(f"participations-{i}-task"),
                contributes=texts(f"participations-{i}-contributes"),
            )
            for i in range(_rows(data, "participations"))
        ]
        form.accountability = [
            AccountabilityRow(
                text(f"accountability-{i}-accountor"),
                text(f"accountability-{i}-forum"),
                text(f"accountability-{i}-type"),
                text(f"accountability-{i}-mechanism"),
            )
            for i in range(_rows(data, "accountability"))
        ]
        form.sources = [
            SourceRow(text(f"sources-{i}-cite"), text(f"sources-{i}-page")) for i in range(_rows(data, "sources"))
        ]
        form.pad()
        return form

    # ------------------------------------------------------------------ rows
    def pad(self) -> None:
        """At least the minimum number of rows in each group."""
        for group, minimum in MIN_ROWS.items():
            rows: list[Any] = getattr(self, group)
            while len(rows) < minimum:
                rows.append(ROW_TYPES[group]())

    def add_row(self, group: str) -> str | None:
        """One more empty row in ``group``: the name of its first field, or None when it cannot be added."""
        if group not in MIN_ROWS:
            return None
        rows: list[Any] = getattr(self, group)
        if len(rows) >= MAX_ROWS:
            self.problems.append(f"A form holds at most {MAX_ROWS} rows of {group}.")
            return None
        rows.append(ROW_TYPES[group]())
        return f"{group}-{len(rows) - 1}-{FIRST_FIELD[group]}"

    def actor_choices(self) -> list[tuple[str, str]]:
        """``(value, text)`` for the actor drop-downs: every actor row, named once it has a label."""
        return [
            (str(i + 1), f"Actor {i + 1}: {row.label}" if row.label else f"Actor {i + 1}")
            for i, row in enumerate(self.actors)
        ]

    # ------------------------------------------------------------------ errors
    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.problems)

    def field_for(self, path: str | None) -> str | None:
        """The form field a case field path (``participations[1].decision``) was typed in."""
        if not path:
            return None
        if path == "id":
            return "case_id"
        if path in TOP_FIELDS or path in ("representativeness", "compensation", "directed_at_citizens"):
            return path
        match = _PATH.match(path)
        if match is None:
            return None
        group, index, name = match.group(1), match.group(2), match.group(3)
        rows = self._rows_of.get(group, [])
        row = rows[int(index)] if index is not None and int(index) < len(rows) else 0
        return f"{group}-{row}-{name or FIRST_FIELD[group]}"

    def add_error(self, path: str | None, message: str, *, warning: bool = False) -> None:
        """Attach a message to the field ``path`` came from, or to the form as a whole."""
        name = self.field_for(path)
        if name is None:
            (self.general_notices if warning else self.problems).append(message)
            return
        target = self.warnings if warning else self.errors
        target[name] = f"{target[name]}; {message}" if name in target else message

    def add_notice(self, path: str | None, message: str) -> None:
        """Something the case shapes need before the case can be saved (it can be classified already)."""
        name = self.field_for(path)
        if name is None:
            self.general_notices.append(message)
        else:
            self.notices[name] = f"{self.notices[name]}; {message}" if name in self.notices else message

    # ------------------------------------------------------------------ the case
    def to_case(self) -> dict[str, Any] | None:
        """The case in the case format, or None when the form has errors to fix first."""
        case: dict[str, Any] = {}
        if self.case_id:
            if not SLUG.match(self.case_id) or len(self.case_id) > 120:
                self.errors["case_id"] = "use lower-case letters, digits and hyphens, e.g. my-neighbourhood-watch"
            case["id"] = self.case_id
        else:
            case["id"] = slugify(self.title, fallback="described-case")
        for name in TOP_FIELDS:
            value = getattr(self, name)
            if value:
                case[name] = value
        case["representativeness"] = self.representativeness
        case["directed_at_citizens"] = self.directed_at_citizens
        case["compensation"] = list(self.compensation)
        actor_ids: dict[int, str] = {}
        case["actors"] = []
        self._rows_of = {group: [] for group in MIN_ROWS}
        for i, actor in enumerate(self.actors):
            if actor.blank():
                continue
            if not actor.label:
                self.errors[f"actors-{i}-label"] = "give the actor a name"
            if not actor.kind:
                self.errors[f"actors-{i}-kind"] = "choose what kind of actor this is"
            actor_id = base = slugify(actor.label, fallback=f"actor-{i + 1}")
            n = 2
            while actor_id in actor_ids.values():
                actor_id, n = f"{base}-{n}", n + 1
            actor_ids[i] = actor_id
            self._rows_of["actors"].append(i)
            case["actors"].append({"id": actor_id, "kind": actor.kind, "label": actor.label})

        def actor_ref(value: str, name: str) -> str | None:
            if not value:
                self.errors[name] = "choose an actor"
                return None
            index = int(value) - 1 if value.isdigit() else -1
            if index not in actor_ids:
                self.errors[name] = f"actor {value} is not described above: give it a name and a kind"
                return None
            return actor_ids[index]

        case["participations"] = []
        for i, part in enumerate(self.participations):
            if part.blank():
                continue
            participant = actor_ref(part.actor, f"participations-{i}-actor")
            if not part.stage:
                self.errors[f"participations-{i}-stage"] = "choose the stage of the service cycle"
            if not part.decision:
                self.errors[f"participations-{i}-decision"] = "choose the decision right the actor holds here"
            item: dict[str, Any] = {"actor": participant or "", "stage": part.stage, "decision": part.decision}
            if part.task:
                item["task"] = part.task
            if part.contributes:
                item["contributes"] = list(part.contributes)
            self._rows_of["participations"].append(i)
            case["participations"].append(item)
        if not case["participations"] and "participations-0-actor" not in self.errors:
            self.errors["participations-0-actor"] = "describe at least one participation: an actor, a stage, a decision"
        case["accountability"] = []
        for i, relation in enumerate(self.accountability):
            if relation.blank():
                continue
            accountor = actor_ref(relation.accountor, f"accountability-{i}-accountor")
            forum = actor_ref(relation.forum, f"accountability-{i}-forum")
            if not relation.type:
                self.errors[f"accountability-{i}-type"] = "choose the type of accountability"
            entry: dict[str, Any] = {"accountor": accountor or "", "forum": forum or "", "type": relation.type}
            if relation.mechanism:
                entry["mechanism"] = relation.mechanism
            self._rows_of["accountability"].append(i)
            case["accountability"].append(entry)
        case["sources"] = []
        for i, source in enumerate(self.sources):
            if source.blank():
                continue
            if not source.cite:
                self.errors[f"sources-{i}-cite"] = "give the author and year, e.g. Meijer 2016"
            ref = {"cite": source.cite}
            if source.page:
                ref["page"] = source.page
            self._rows_of["sources"].append(i)
            case["sources"].append(ref)
        return None if self.has_errors else case
