"""Agreement with the levels the sources state is measured per reading and documented, not forced."""

from __future__ import annotations

from pathlib import Path

from coprokg.agreement import END, START, compare
from coprokg.paths import cases_dir

DOC = Path("docs/classification.md")


def test_the_documented_agreement_is_current() -> None:
    agreement = compare(cases_dir().glob("*.json"))
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index(START) : text.index(END) + len(END)]
    assert section == agreement.markdown(), "run `coprokg agreement --update docs/classification.md`"
    for notation, label, _default in agreement.readings:
        total, agree = len(agreement.comparisons), agreement.agreeing(notation)
        print(f"\n{label}: {agree} of {total} agree")
        assert f"{agree} of {total} agree; {total - agree} disagree." in section
        # every disagreement has its line, with the source and coprokg's reason
        for comparison in agreement.disagreeing(notation):
            assert f"- `{comparison.case_id}` [{notation}] — " in section
    assert len(agreement.readings) >= 2 and len(agreement.comparisons) >= 40


def test_each_reading_is_compared_on_the_same_cases() -> None:
    agreement = compare(cases_dir().glob("*.json"))
    for comparison in agreement.comparisons:
        assert set(comparison.levels) == {notation for notation, _label, _default in agreement.readings}
