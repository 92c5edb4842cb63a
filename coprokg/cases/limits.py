"""How big a case may be, and the checks that hold every input to it before any real work.

A case is a handful of actors and participations (the largest curated case has 6 actors and 8
participations), but validation and classification cost grows faster than the case: a case of
5,000 actors kept pySHACL busy for minutes. The limits below are far above any real case and far
below what stalls the service. Each is a ``COPROKG_*`` setting (see ``coprokg.settings``) and each
refusal names its setting, the field and, for JSON, the line and column.

The JSON checks run on the text and on the parsed value without recursion, so no nesting depth
can reach Python's recursion limit, and numbers are refused by their digit count before Python
converts them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from coprokg.errors import CaseFormatError, LimitExceeded
from coprokg.fields import field_path

_SURROGATE = re.compile("[\ud800-\udfff]")
_LONG_NUMBER = re.compile(r"-?\d{%d,}")


@dataclass(frozen=True)
class CaseLimits:
    """Upper bounds on one case; the defaults are those of the service.

    >>> CaseLimits().max_actors
    100
    """

    max_actors: int = 100
    max_participations: int = 400
    max_accountability: int = 200
    max_sources: int = 100
    max_list_items: int = 50
    max_string_chars: int = 20_000
    max_json_depth: int = 20
    max_number_digits: int = 40
    max_rdf_triples: int = 20_000

    @staticmethod
    def setting(name: str) -> str:
        """The environment variable of a limit.

        >>> CaseLimits.setting("max_actors")
        'COPROKG_MAX_ACTORS'
        """
        return f"COPROKG_{name.upper()}"

    def exceeded(self, name: str, what: str, **where: Any) -> LimitExceeded:
        value = int(getattr(self, name))
        return LimitExceeded(
            f"{what}: the limit is {value} ({self.setting(name)})", limit=self.setting(name), value=value, **where
        )


DEFAULT_LIMITS = CaseLimits()
_COUNTED = {
    "actors": "max_actors",
    "participations": "max_participations",
    "accountability": "max_accountability",
    "sources": "max_sources",
}


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# a whole JSON string (an unterminated one runs to the end; a backslash escapes any character,
# a line break too) or one bracket
_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]', re.DOTALL)


def _text_depth(text: str, limits: CaseLimits, source: str | None) -> None:
    """Refuse JSON nested deeper than the limit, by scanning brackets outside strings."""
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        char = match.group()
        if char == "[" or char == "{":
            depth += 1
            if depth > limits.max_json_depth:
                line, column = _line_col(text, match.start())
                raise limits.exceeded(
                    "max_json_depth",
                    f"JSON nested more than {limits.max_json_depth} levels deep",
                    source=source,
                    line=line,
                    column=column,
                )
        elif char == "]" or char == "}":
            depth -= 1


def parse_json(text: str, limits: CaseLimits = DEFAULT_LIMITS, *, source: str | None = None) -> Any:
    """``json.loads`` that names line and column of every problem and cannot be made to explode.

    >>> parse_json('{"a": [1, 2]}')
    {'a': [1, 2]}
    >>> parse_json('[' * 50)
    Traceback (most recent call last):
    ...
    coprokg.errors.LimitExceeded: 1:21: JSON nested more than 20 levels deep: the limit is 20 (COPROKG_MAX_JSON_DEPTH)
    """
    _text_depth(text, limits, source)
    long_number = re.compile(_LONG_NUMBER.pattern % (limits.max_number_digits + 1))

    def number(token: str) -> Any:
        digits = len(token.lstrip("-").split(".")[0].split("e")[0].split("E")[0])
        if digits > limits.max_number_digits:
            match = long_number.search(text)
            line, column = _line_col(text, match.start()) if match else (None, None)
            raise CaseFormatError(
                f"a number of {digits} digits; numbers may have at most {limits.max_number_digits}",
                source=source,
                line=line,
                column=column,
            )
        return float(token) if any(c in token for c in ".eE") else int(token)

    try:
        return json.loads(text, parse_int=number, parse_float=number, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise CaseFormatError(f"invalid JSON: {exc.msg}", source=source, line=exc.lineno, column=exc.colno) from None
    except RecursionError:  # cannot happen below the depth limit, but never a traceback
        raise limits.exceeded("max_json_depth", "JSON nested too deeply", source=source) from None


def _refuse_constant(name: str) -> Any:
    raise CaseFormatError(f"{name} is not a JSON value")


def check_value(data: Any, limits: CaseLimits = DEFAULT_LIMITS, *, source: str | None = None) -> None:
    """Check a parsed case (or JSON-LD document) without recursion: depth, list sizes, strings.

    >>> check_value({"title": "ok", "actors": [{"id": "a"}] * 101})
    Traceback (most recent call last):
    ...
    coprokg.errors.LimitExceeded: actors: 101 actors: the limit is 100 (COPROKG_MAX_ACTORS)
    >>> check_value({"title": "bad \\ud800"})
    Traceback (most recent call last):
    ...
    coprokg.errors.CaseFormatError: title: a lone surrogate (\\ud800) at character 4 is not a Unicode character
    """
    stack: list[tuple[str, Any, int]] = [("", data, 0)]
    while stack:
        path, value, depth = stack.pop()
        if depth > limits.max_json_depth:
            raise limits.exceeded(
                "max_json_depth",
                f"nested more than {limits.max_json_depth} levels deep",
                field=path or None,
                source=source,
            )
        if isinstance(value, str):
            _check_string(value, path, limits, source)
        elif isinstance(value, dict):
            for key, item in value.items():
                _check_string(str(key), path, limits, source)
                child = field_path(path, str(key))
                if depth == 0 and key in _COUNTED and isinstance(item, list):
                    name = _COUNTED[key]
                    if len(item) > getattr(limits, name):
                        raise limits.exceeded(name, f"{len(item)} {key}", field=child, source=source)
                stack.append((child, item, depth + 1))
        elif isinstance(value, list):
            if len(value) > limits.max_list_items and not (depth == 1 and path in _COUNTED):
                raise limits.exceeded(
                    "max_list_items", f"a list of {len(value)} items", field=path or None, source=source
                )
            stack.extend((field_path(path, i), item, depth + 1) for i, item in enumerate(value))


def _check_string(value: str, path: str, limits: CaseLimits, source: str | None) -> None:
    if len(value) > limits.max_string_chars:
        raise limits.exceeded(
            "max_string_chars", f"a text of {len(value)} characters", field=path or None, source=source
        )
    bad = _SURROGATE.search(value)
    if bad:
        raise CaseFormatError(
            f"a lone surrogate (\\u{ord(bad.group()):04x}) at character {bad.start()} is not a Unicode character",
            field=path or None,
            source=source,
        )


def decode_text(data: bytes, *, source: str | None = None) -> str:
    """Bytes as UTF-8 text, or an error naming the first byte that is not (and binary files).

    >>> decode_text(b"ok")
    'ok'
    >>> decode_text(b"\\x89PNG\\r\\n\\x1a\\n\\x00")
    Traceback (most recent call last):
    ...
    coprokg.errors.CaseFormatError: not UTF-8 text: byte 0x89 at offset 0 cannot start a character (a binary file?)
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CaseFormatError(
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} at offset {exc.start} cannot start a character "
            "(a binary file?)",
            source=source,
        ) from None
    if "\x00" in text:
        line, column = _line_col(text, text.index("\x00"))
        raise CaseFormatError("a NUL character: this is not a text file", source=source, line=line, column=column)
    return text.removeprefix("\ufeff")
