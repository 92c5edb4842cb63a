"""A small HTML tree for the page tests (the standard library's parser; no extra dependency).

Pages are parsed into elements that can be searched by tag, id and attributes, so tests check
structure (a label for each field, an error next to its field) rather than strings.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)
    parent: Element | None = field(default=None, repr=False)

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    def text(self) -> str:
        """The text inside, with white space collapsed."""
        parts: list[str] = []

        def walk(node: Element | str) -> None:
            if isinstance(node, str):
                parts.append(node)
            else:
                for child in node.children:
                    walk(child)

        walk(self)
        return " ".join("".join(parts).split())

    def iter(self) -> Iterator[Element]:
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str | bool) -> list[Element]:
        """Descendants with ``tag`` whose attributes match (``True``: present; ``class_``: one of the classes)."""
        found = []
        for el in self.iter():
            if tag is not None and el.tag != tag:
                continue
            if all(_matches(el, name, value) for name, value in attrs.items()):
                found.append(el)
        return found

    def find(self, tag: str | None = None, **attrs: str | bool) -> Element | None:
        matches = self.find_all(tag, **attrs)
        return matches[0] if matches else None

    def by_id(self, element_id: str) -> Element:
        found = self.find_all(id=element_id)
        assert len(found) == 1, f"expected one element with id {element_id!r}, found {len(found)}"
        return found[0]


def _matches(el: Element, name: str, value: str | bool) -> bool:
    if name == "class_":
        return isinstance(value, str) and value in (el.get("class") or "").split()
    key = name.replace("_", "-")
    if value is True:
        return key in el.attrs
    return el.attrs.get(key) == value


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document")
        self.stack = [self.root]
        self.unclosed: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = Element(tag, {k: (v if v is not None else "") for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = Element(tag, {k: (v if v is not None else "") for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(el)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                self.unclosed.extend(el.tag for el in self.stack[depth + 1 :])
                del self.stack[depth:]
                return
        self.unclosed.append(f"/{tag}")

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    """The document's tree; mismatched tags fail the test, so pages stay well-formed."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    assert not builder.unclosed, f"mismatched tags: {builder.unclosed[:5]}"
    assert len(builder.stack) == 1, f"unclosed tags: {[el.tag for el in builder.stack[1:]]}"
    return builder.root


def unlabelled_controls(doc: Element) -> list[str]:
    """Form controls a screen reader would announce without a name."""
    labelled = {el.get("for") for el in doc.find_all("label")}
    missing = []
    for el in doc.find_all():
        if el.tag not in ("input", "select", "textarea"):
            continue
        if el.get("type") in ("hidden", "submit", "button"):
            continue
        if el.get("aria-label") or el.get("aria-labelledby") or el.get("id") in labelled:
            continue
        missing.append(el.get("name") or el.get("id") or el.tag)
    return missing


def duplicate_ids(doc: Element) -> list[str]:
    seen: dict[str, int] = {}
    for el in doc.find_all(id=True):
        element_id = el.get("id") or ""
        seen[element_id] = seen.get(element_id, 0) + 1
    return sorted(k for k, n in seen.items() if n > 1)
