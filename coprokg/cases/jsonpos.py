"""Line and column of each value in a JSON text, by field path.

``json`` tells where a syntax error is, but not where a well-formed value sits. Error messages
about a case ("participations[2].decision: unknown value") should point at the line of the file
too, so this scanner walks the text once and records where each value starts.
"""

from __future__ import annotations

import json

from coprokg.fields import field_path

_WS = " \t\r\n"


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.positions: dict[str, int] = {}
        self.decoder = json.JSONDecoder()

    def skip(self, i: int) -> int:
        while i < len(self.text) and self.text[i] in _WS:
            i += 1
        return i

    def value(self, i: int, path: str) -> int:
        i = self.skip(i)
        self.positions[path] = i
        char = self.text[i]
        if char == "{":
            return self.obj(i + 1, path)
        if char == "[":
            return self.arr(i + 1, path)
        _, end = self.decoder.raw_decode(self.text, i)
        return end

    def obj(self, i: int, path: str) -> int:
        i = self.skip(i)
        if self.text[i] == "}":
            return i + 1
        while True:
            i = self.skip(i)
            key, i = self.decoder.raw_decode(self.text, i)
            i = self.skip(i) + 1  # the colon
            i = self.skip(self.value(i, field_path(path, str(key))))
            if self.text[i] == "}":
                return i + 1
            i += 1  # the comma

    def arr(self, i: int, path: str) -> int:
        i = self.skip(i)
        if self.text[i] == "]":
            return i + 1
        index = 0
        while True:
            i = self.skip(self.value(i, field_path(path, index)))
            index += 1
            if self.text[i] == "]":
                return i + 1
            i += 1


def value_positions(text: str) -> dict[str, tuple[int, int]]:
    """Map each field path of a valid JSON text to the (line, column) where its value starts.

    >>> pos = value_positions('{"a": 1,\\n "b": [true, {"c": null}]}')
    >>> pos["b[1].c"]
    (2, 20)
    """
    scanner = _Scanner(text)
    scanner.value(0, "")
    result = {}
    for path, offset in scanner.positions.items():
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        result[path] = (line, column)
    return result


def locate(positions: dict[str, tuple[int, int]], path: str) -> tuple[int | None, int | None]:
    """The position of ``path`` or of its nearest enclosing value that exists."""
    probe = path
    while probe:
        if probe in positions:
            return positions[probe]
        cut = max(probe.rfind("."), probe.rfind("["))
        probe = probe[:cut] if cut > 0 else ""
    return (None, None)
