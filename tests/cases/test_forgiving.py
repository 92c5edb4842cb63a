"""Input a person types is read as they meant it, and refused with a way forward where it is wrong."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from coprokg.cases import case_from_dict, load_case_text
from coprokg.cli import main
from coprokg.errors import CaseFormatError

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "buurt.json"


def _case(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = copy.deepcopy(json.loads(FIXTURE.read_text(encoding="utf-8")))
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("NL", "NL"),
        ("nl", "NL"),
        ("Netherlands", "NL"),
        ("the Netherlands", "NL"),
        ("NLD", "NL"),
        ("United Kingdom", "GB"),
        ("UK", "GB"),
        ("South Korea", "KR"),
        ("Niger", "NE"),
    ],
)
def test_countries_by_code_or_name_are_never_truncated(given: str, code: str) -> None:
    loaded = case_from_dict(_case(country=given))
    assert loaded.case.country == code
    if given != code:
        assert any(note.startswith(f"country: {given!r} read as {code!r}") for note in loaded.notes)


def test_an_unknown_country_is_refused_with_the_nearest_names() -> None:
    with pytest.raises(CaseFormatError, match=r"unknown country 'Germny'.*did you mean Germany"):
        case_from_dict(_case(country="Germny"))


@pytest.mark.parametrize(
    ("given", "edtf"),
    [
        ("1999", "1999"),
        ("1999-05", "1999-05"),
        ("196X", "196X"),
        ("1999~", "1999~"),
        ("1999/2003", "1999/2003"),
        ("1960s", "196X"),
        ("the 1980s", "198X"),
        ("c. 1999", "1999~"),
        ("circa 1999", "1999~"),
        ("around 2004", "2004~"),
        ("1999-2003", "1999/2003"),
        ("1999 to 2003", "1999/2003"),
    ],
)
def test_start_dates_are_edtf(given: str, edtf: str) -> None:
    loaded = case_from_dict(_case(started=given))
    assert loaded.case.started == edtf
    assert (given == edtf) == (not any(n.startswith("started:") for n in loaded.notes))


def test_an_unknown_start_is_left_out_with_a_note_and_nonsense_is_refused() -> None:
    loaded = case_from_dict(_case(started="unknown"))
    assert loaded.case.started is None and "started: 'unknown' left out (no date)" in loaded.notes
    with pytest.raises(CaseFormatError, match=r"started: 'sometime' is not a date coprokg can read"):
        case_from_dict(_case(started="sometime"))


@pytest.mark.parametrize(
    ("word", "notation"),
    [
        ("housing", "housing-and-community"),
        ("employment", "labour-affairs"),
        ("elections", "general-public-services-nec"),
        ("sanitation", "waste-water-management"),
        ("urban regeneration", "community-development"),
    ],
)
def test_the_words_people_use_for_domains_are_altlabels(word: str, notation: str) -> None:
    assert case_from_dict(_case(domain=word)).case.domain == notation


def test_an_unknown_value_gets_the_nearest_matches() -> None:
    with pytest.raises(CaseFormatError) as caught:
        case_from_dict(_case(domain="housing-developments"))
    assert "did you mean housing-development" in str(caught.value)
    assert "housing-development" in (caught.value.allowed or ())


def test_booleans_are_strict() -> None:
    with pytest.raises(CaseFormatError, match=r"directed_at_citizens: must be true or false"):
        case_from_dict(_case(directed_at_citizens="yes"))
    assert case_from_dict(_case(directed_at_citizens=True)).case.directed_at_citizens is True


def test_every_error_of_a_file_is_reported_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _case(domain="housing-developments")
    data["actors"][0]["kind"] = "citizen-groups"
    data["participations"][0]["decision"] = "vetoes"
    data["participations"].append({"actor": "mayor", "stage": "delivery", "decision": "decides"})
    text = json.dumps(data, indent=2)
    with pytest.raises(CaseFormatError) as caught:
        load_case_text(text, "json", source="case.json")
    fields = [p.field for p in caught.value.problems]
    assert fields == ["domain", "actors[0].kind", "participations[0].decision", "participations[1].actor"] or set(
        fields
    ) == {"domain", "actors[0].kind", "participations[0].decision", "participations[1].actor"}
    assert all(p.line is not None for p in caught.value.problems)
    path = tmp_path / "case.json"
    path.write_text(text, encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 4 and all(line.startswith(f"{path}:") for line in lines)


def test_backslashes_in_texts_reach_messages_as_written() -> None:
    """pySHACL fills risk messages with re.sub; a label with backslashes once made validation crash."""
    from coprokg.validate import validate_case

    data = _case()
    data["actors"][0]["label"] = r"Residents \A \1 \g<0>"
    report = validate_case(case_from_dict(data))
    messages = [r.message for r in report.results if r"Residents \A \1 \g<0>" in r.message]
    assert messages, [r.message for r in report.results]
