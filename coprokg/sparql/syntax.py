"""What the service reads from SPARQL text without a full parse: its tokens, the prefixes it uses
and declares, the variable order of ``SELECT *``, and where an update's dataset clauses go.

SPARQL's lexical rules are simple enough to follow with one regular expression: comments, strings
(all four quotings), IRIs, variables, blank nodes, prefixed names, words and single characters.
Everything here works on those tokens, so text inside a string, an IRI or a comment is never
mistaken for a keyword, a variable or a prefix. Imports only the standard library (query workers
import this module).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from coprokg.errors import QueryError

_NAME_START = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d\u2070-\uffff"
_NAME_CHAR = _NAME_START + r"0-9_\-\u00b7\u0300-\u036f\u203f-\u2040"
_TOKEN = re.compile(
    rf"""
    (?P<space>\s+)
    |(?P<comment>\#[^\r\n]*)
    |(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
    |(?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
    |(?P<var>[?$][{_NAME_CHAR}]+)
    |(?P<bnode>_:[{_NAME_CHAR}.]*)
    |(?P<pname>(?:[{_NAME_START}](?:[{_NAME_CHAR}.]*[{_NAME_CHAR}])?)?:(?:[{_NAME_CHAR}:%\\]
        (?:[{_NAME_CHAR}.:%\\]*[{_NAME_CHAR}:%\\])?)?)
    |(?P<word>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    """A token of SPARQL text: its kind (``string``, ``iri``, ``var``, ``bnode``, ``pname``,
    ``word`` or ``other``), its text, where it starts, and how deep in ``{ }`` it is."""

    kind: str
    text: str
    start: int
    depth: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and self.text.upper() in words


def tokens(text: str) -> list[Token]:
    """The tokens of ``text``, without spaces and comments.

    >>> [(t.kind, t.text) for t in tokens('ASK { ?s a cpk:Case # ?x\\n FILTER(?s != "?y") }')][:5]
    [('word', 'ASK'), ('other', '{'), ('var', '?s'), ('word', 'a'), ('pname', 'cpk:Case')]
    """
    found: list[Token] = []
    depth = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind in ("space", "comment"):
            continue
        value = match.group()
        if value == "}":
            depth = max(depth - 1, 0)
        found.append(Token(kind, value, match.start(), depth))
        if value == "{":
            depth += 1
    return found


def position(text: str, offset: int) -> tuple[int, int]:
    """Line and column (1-based, in characters) of ``offset`` in ``text``.

    >>> position("ab\\ncd", 4)
    (2, 2)
    """
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def offset_of(text: str, line: int, column: int) -> int:
    """The offset of a 1-based line and column in ``text`` (the end of the text if beyond it).

    >>> offset_of("ab\\ncd", 2, 2)
    4
    """
    start = 0
    for _ in range(line - 1):
        newline = text.find("\n", start)
        if newline < 0:
            return len(text)
        start = newline + 1
    return min(start + max(column - 1, 0), len(text))


# ---------------------------------------------------------------- prefixes
def undeclared_prefix(text: str) -> tuple[str, int] | None:
    """The first prefix used before it is declared, and the offset of that use, or None.

    >>> undeclared_prefix("PREFIX cpk: <x:> SELECT * WHERE { ?s a cpk:Case ; skos:notation ?n }")
    ('skos', 50)
    >>> undeclared_prefix('SELECT * WHERE { ?s ?p "skos:x", _:b1 }') is None
    True
    """
    declared: set[str] = set()
    previous: Token | None = None
    for token in tokens(text):
        if token.kind == "pname":
            prefix = token.text.split(":", 1)[0]
            if previous is not None and previous.is_word("PREFIX"):
                declared.add(prefix)
            elif prefix not in declared:
                return prefix, token.start
        previous = token
    return None


def declared_prefixes(text: str) -> dict[str, str]:
    """The ``PREFIX`` declarations of ``text``.

    >>> declared_prefixes("PREFIX cpk: <https://w3id.org/coprokg/ontology#> ASK {}")
    {'cpk': 'https://w3id.org/coprokg/ontology#'}
    """
    found: dict[str, str] = {}
    items = tokens(text)
    for keyword, name, iri in zip(items, items[1:], items[2:], strict=False):
        if keyword.is_word("PREFIX") and name.kind == "pname" and name.text.endswith(":") and iri.kind == "iri":
            found[name.text[:-1]] = iri.text[1:-1]
    return found


# ---------------------------------------------------------------- SELECT *
def select_star_order(text: str) -> list[str] | None:
    """For a ``SELECT *`` query, its variables in the order they first appear; else None.

    >>> select_star_order("SELECT * WHERE { ?zeta ?p ?alpha . BIND(1 AS ?b) }")
    ['zeta', 'p', 'alpha', 'b']
    >>> select_star_order("SELECT ?b ?a WHERE { ?a ?p ?b }") is None
    True
    """
    if "*" not in text:  # no SELECT * without a star: skip the tokeniser
        return None
    items = tokens(text)
    index = 0
    while index < len(items) and items[index].is_word("PREFIX", "BASE"):
        index += 3 if items[index].is_word("PREFIX") else 2
    if index >= len(items) or not items[index].is_word("SELECT"):
        return None
    rest = items[index + 1 :]
    while rest and rest[0].is_word("DISTINCT", "REDUCED"):
        rest = rest[1:]
    if not rest or rest[0].text != "*":
        return None
    order: dict[str, None] = {}
    for item in rest:
        if item.kind == "var":
            order.setdefault(item.text[1:], None)
    return list(order)


def in_order(names: Sequence[str], order: Sequence[str] | None) -> list[str]:
    """``names`` sorted by their place in ``order`` (names not in it keep their place, after).

    >>> in_order(["o", "p", "s"], ["s", "p", "o"])
    ['s', 'p', 'o']
    """
    if not order:
        return list(names)
    rank = {name: i for i, name in enumerate(order)}
    return sorted(names, key=lambda name: (rank.get(name, len(rank)), names.index(name)))


# ---------------------------------------------------------------- syntax errors
_LOCATION = re.compile(r"^error at (\d+):(\d+): ?(.*)$", re.DOTALL)
_MAX_MESSAGE = 240
_UNBOUND = "The SELECT contains a variable that is unbound"


def _expected(text: str) -> str:
    """pyoxigraph's ``expected one of A, B, [character class]`` without the character classes."""
    head, sep, options = text.partition("expected one of ")
    if not sep:
        return text
    kept = []
    for option in re.split(r", (?=[^,\s])", options):
        option = option.strip()
        if option and not option.startswith("[") and not option.startswith("|") and "'" not in option:
            kept.append(option)
    if not kept:
        return head + "unexpected character"
    return head + ("expected " if len(kept) == 1 else "expected one of ") + ", ".join(kept)


def syntax_message(raw: str) -> tuple[str, int | None, int | None]:
    """pyoxigraph's message as a sentence without its character classes, and the line and column it names.

    >>> syntax_message("error at 4:2: expected one of LATERAL, SERVICE, [_]")
    ('syntax error, expected one of LATERAL, SERVICE', 4, 2)
    """
    text = " ".join(raw.split())
    line = column = None
    match = _LOCATION.match(text)
    if match:
        line, column, text = int(match.group(1)), int(match.group(2)), match.group(3)
    if _UNBOUND in text:
        text = "the SELECT names a variable that is neither grouped nor aggregated"
    elif "IRI parsing failed" in text:
        text = "syntax error, an IRI is not valid"
    else:
        text = "syntax error, " + _expected(text)
    if len(text) > _MAX_MESSAGE:
        text = text[:_MAX_MESSAGE].rsplit(",", 1)[0] + ", …"
    return text, line, column


def located(message: str, line: int | None, column: int | None) -> str:
    """The message led by its line and column, when they are known: one sentence a person can act on.

    >>> located("syntax error, expected WHERE", 2, 5)
    'line 2, column 5: syntax error, expected WHERE'
    """
    if line is None:
        return message
    return f"line {line}, column {column}: {message}" if column is not None else f"line {line}: {message}"


def explain_syntax_error(
    text: str, message: str, line: int | None, column: int | None, known: Mapping[str, str]
) -> tuple[str, int | None, int | None]:
    """What to say about a syntax error in ``text``: a prefix used before it is declared (at or
    before where the parser stopped) is named, with its declaration when it is one of ``known``.

    >>> explain_syntax_error("SELECT * { ?s a cpk:Case }", "syntax error", 1, 25,
    ...                      {"cpk": "https://w3id.org/coprokg/ontology#"})
    ("the prefix 'cpk:' is not declared; add PREFIX cpk: <https://w3id.org/coprokg/ontology#>", 1, 17)
    """
    missing = undeclared_prefix(text)
    if missing is None:
        return message, line, column
    prefix, offset = missing
    if line is not None and column is not None and offset > offset_of(text, line, column):
        return message, line, column
    at_line, at_column = position(text, offset)
    if prefix in known:
        fix = f"add PREFIX {prefix}: <{known[prefix]}>"
    else:
        fix = f"declare it with PREFIX {prefix}: <…> before the query"
    return f"the prefix '{prefix}:' is not declared; {fix}", at_line, at_column


# ---------------------------------------------------------------- update datasets
@dataclass
class Rewritten:
    """An update with text inserted at some places, and the way back to the original's positions."""

    original: str
    insertions: list[tuple[int, str]] = field(default_factory=list)  # (offset in the original, text)

    @property
    def text(self) -> str:
        parts, last = [], 0
        for offset, inserted in sorted(self.insertions):
            parts += [self.original[last:offset], inserted]
            last = offset
        return "".join([*parts, self.original[last:]])

    def original_position(self, line: int, column: int) -> tuple[int, int]:
        """Where a line and column of the rewritten text was in the original."""
        offset = offset_of(self.text, line, column)
        shift = 0
        for at, inserted in sorted(self.insertions):
            if offset < at + shift:
                break
            if offset < at + shift + len(inserted):
                return position(self.original, at)
            shift += len(inserted)
        return position(self.original, offset - shift)


def _operations(items: list[Token]) -> list[list[Token]]:
    operations: list[list[Token]] = [[]]
    for token in items:
        if token.depth == 0 and token.text == ";":
            operations.append([])
        else:
            operations[-1].append(token)
    return [op for op in operations if op]


def _closing_brace(items: list[Token], opening: int) -> int:
    depth = items[opening].depth
    for index in range(opening + 1, len(items)):
        if items[index].text == "}" and items[index].depth == depth:
            return index
    raise QueryError("the update's WHERE clause has no closing brace", field="update")


def with_dataset(update: str, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> Rewritten:
    """The update with ``USING`` / ``USING NAMED`` clauses for the protocol's ``using-graph-uri`` and
    ``using-named-graph-uri``, in every operation that has a ``WHERE`` clause (``DELETE WHERE``
    becomes ``DELETE { … } USING … WHERE { … }``). An update that names its own dataset (``USING``
    or ``WITH``) is refused, as the SPARQL 1.1 Protocol requires.

    >>> with_dataset("INSERT { ?s a <x:T> } WHERE { ?s ?p ?o }", ["http://g/1"], []).text
    'INSERT { ?s a <x:T> } USING <http://g/1> WHERE { ?s ?p ?o }'
    >>> with_dataset("DELETE WHERE { ?s ?p 1 }", [], ["http://g/2"]).text
    'DELETE { ?s ?p 1 } USING NAMED <http://g/2> WHERE { ?s ?p 1 }'
    """
    rewritten = Rewritten(update)
    if not default_graphs and not named_graphs:
        return rewritten
    for graph in (*default_graphs, *named_graphs):
        if not graph or any(c in graph for c in '<>"{}|^`\\ \t\r\n'):
            raise QueryError(f"{graph!r} is not an IRI", field="using-graph-uri")
    clause = "".join(f"USING <{g}> " for g in default_graphs) + "".join(f"USING NAMED <{g}> " for g in named_graphs)
    items = tokens(update)
    for op in _operations(items):
        top = [t for t in op if t.depth == 0]
        while len(top) >= 2 and top[0].is_word("PREFIX", "BASE"):
            top = top[3:] if top[0].is_word("PREFIX") else top[2:]
        if not top or not top[0].is_word("WITH", "INSERT", "DELETE"):
            continue
        if len(top) > 1 and top[1].is_word("DATA"):
            continue
        own = next((t for t in top if t.is_word("USING", "WITH")), None)
        if own is not None:
            line, column = position(update, own.start)
            raise QueryError(
                f"the update has its own {own.text.upper()} clause, so it cannot take using-graph-uri "
                "or using-named-graph-uri as well",
                line=line,
                column=column,
                field="using-graph-uri",
            )
        where = next((t for t in top if t.is_word("WHERE")), None)
        if where is None:
            continue  # not a valid update: the store's parser says where
        if top[0].is_word("DELETE") and top[1] is where:
            opening = items.index(where) + 1
            if opening >= len(items) or items[opening].text != "{":
                continue
            pattern = update[items[opening].start : items[_closing_brace(items, opening)].end]
            rewritten.insertions.append((where.start, f"{pattern} {clause}"))
        else:
            rewritten.insertions.append((where.start, clause))
    return rewritten
