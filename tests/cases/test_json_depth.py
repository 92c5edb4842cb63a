"""The JSON depth limit: brackets are counted outside strings only, and the refusal says where."""

from __future__ import annotations

import json

import pytest

from coprokg.cases.limits import CaseLimits, parse_json
from coprokg.errors import CaseFormatError, LimitExceeded


def test_brackets_and_escaped_quotes_inside_strings_do_not_count() -> None:
    text = json.dumps({"description": "[" * 40 + '\\"{' * 40 + "]]", "tags": [["a"]]})
    assert parse_json(text, CaseLimits(max_json_depth=3))["tags"] == [["a"]]


def test_the_first_bracket_past_the_limit_is_named_by_line_and_column() -> None:
    text = '{"a": "[[[",\n  "b": [[[1]]]}'
    with pytest.raises(LimitExceeded) as caught:
        parse_json(text, CaseLimits(max_json_depth=3), source="case.json")
    assert (caught.value.line, caught.value.column) == (2, 10)
    assert "nested more than 3 levels deep" in str(caught.value)


def test_an_unterminated_string_is_a_syntax_error_not_a_depth_count() -> None:
    with pytest.raises(CaseFormatError) as caught:
        parse_json('{"a": "[[[[[[', CaseLimits(max_json_depth=2))
    assert not isinstance(caught.value, LimitExceeded) and "invalid JSON" in str(caught.value)


def test_a_backslash_before_a_line_break_escapes_it_inside_a_string() -> None:
    """Not valid JSON, but it is the syntax error that is reported, not the depth."""
    with pytest.raises(CaseFormatError) as caught:
        parse_json('{"a": "x\\\n[[[[[["}', CaseLimits(max_json_depth=3))
    assert not isinstance(caught.value, LimitExceeded) and "invalid JSON" in str(caught.value)
