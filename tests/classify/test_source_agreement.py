"""Agreement with the levels the sources state is measured and documented, not forced."""

from __future__ import annotations

import glob
import re
from pathlib import Path

from coprokg.cases import load_case
from coprokg.classify import default_classifier

DOC = Path("docs/classification.md")


def test_disagreements_with_sources_are_the_documented_ones() -> None:
    classifier = default_classifier()
    compared, disagreeing = 0, set()
    for path in sorted(glob.glob("data/cases/*.json")):
        loaded = load_case(path)
        stated = loaded.case.source_classification
        if stated is None or stated.level is None:
            continue
        compared += 1
        if classifier.classify(loaded, risks=False).power_transfer != stated.level:
            disagreeing.add(loaded.case.id)
    text = DOC.read_text(encoding="utf-8")
    documented = set(re.findall(r"^- `([a-z0-9-]+)` — ", text, flags=re.M))
    print(f"\nsource-stated levels: {compared} cases, {compared - len(disagreeing)} agree, {len(disagreeing)} disagree")
    assert documented == disagreeing
    assert f"**{compared - len(disagreeing)} of {compared} agree; {len(disagreeing)} disagree.**" in text
