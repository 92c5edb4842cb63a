"""The pipeline from case to store (``make bench``): figures next to the goals of issue 12.

* in-process, per curated case: load (JSON text → model → RDF), validate (compiled shapes),
  classify (explanations, near misses, risks) — p50 and p99 of each step and of the whole;
* cold start: a new Python process that imports coprokg and classifies one case;
* compiled validator vs pySHACL on the same cases, and their agreement on ≥ 1,000 generated
  broken cases (an assert: a disagreement is a bug, not a figure);
* ``coprokg load`` of 10,000 generated cases into a fresh embedded store, then again (nothing
  changed: every case is skipped), with peak memory.

Figures, not pass/fail: timings are printed, only counts and agreement are asserted.
Sizes: ``COPROKG_BENCH_LOAD_CASES`` (default 10000), ``COPROKG_BENCH_ORACLE_CASES`` (default 1000).
"""

from __future__ import annotations

import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest
from casegen import random_cases
from shapes_oracle import broken_variant, report_key

from coprokg.cases import case_from_dict, case_from_json
from coprokg.classify import default_classifier
from coprokg.paths import cases_dir
from coprokg.validate import validate_case

pytestmark = [pytest.mark.timeout(1800)]

CURATED = sorted(cases_dir().glob("*.json"))
LOAD_CASES = int(os.environ.get("COPROKG_BENCH_LOAD_CASES", "10000"))
ORACLE_CASES = int(os.environ.get("COPROKG_BENCH_ORACLE_CASES", "1000"))
COPROKG = Path(sys.executable).with_name("coprokg")


def _ms(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1] * 1000


def _row(label: str, values: list[float], goal: str = "") -> str:
    return f"  {label:<34} p50 {_ms(values, 0.5):7.2f} ms   p99 {_ms(values, 0.99):7.2f} ms   {goal}"


def test_pipeline_per_curated_case() -> None:
    classifier = default_classifier()
    texts = [p.read_text(encoding="utf-8") for p in CURATED]
    for text in texts[:3]:  # warm: shapes compiled, digest indexed, caches filled
        classifier.classify(case := case_from_json(text))
        validate_case(case)
    steps: dict[str, list[float]] = {"load": [], "validate": [], "classify": [], "whole": []}
    for _ in range(3):
        for text in texts:
            t0 = time.perf_counter()
            loaded = case_from_json(text)
            t1 = time.perf_counter()
            report = validate_case(loaded)
            t2 = time.perf_counter()
            result = classifier.classify(loaded)
            t3 = time.perf_counter()
            assert report.conforms and result.power_transfer
            steps["load"].append(t1 - t0)
            steps["validate"].append(t2 - t1)
            steps["classify"].append(t3 - t2)
            steps["whole"].append(t3 - t0)
    print(f"\npipeline over {len(texts)} curated cases x 3, in-process:")
    for name in ("load", "validate", "classify"):
        print(_row(name, steps[name]))
    print(_row("load + validate + classify", steps["whole"], "goal: p50 <= 2 ms, p99 <= 10 ms"))


def test_cold_start() -> None:
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "buurt.json"
    program = (
        "import time, sys; t = time.perf_counter()\n"
        "from coprokg.cases import load_case\n"
        "from coprokg.classify import default_classifier\n"
        "from coprokg.validate import validate_case\n"
        f"loaded = load_case({str(fixture)!r}); validate_case(loaded); default_classifier().classify(loaded)\n"
        "print(time.perf_counter() - t)\n"
    )
    walls, inner = [], []
    for _ in range(5):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
        walls.append(time.perf_counter() - start)
        inner.append(float(out.stdout.strip()))
    print(
        f"\ncold start (new process: import, compile ontology and shapes, first case): "
        f"median {statistics.median(walls):.2f} s wall, {statistics.median(inner):.2f} s after the interpreter "
        "started   goal: <= 0.5 s"
    )
    assert all(w > 0 for w in walls)


def test_compiled_validator_against_pyshacl() -> None:
    loaded = [case_from_json(p.read_text(encoding="utf-8")) for p in CURATED]
    compiled, oracle = [], []
    for case in loaded:
        t0 = time.perf_counter()
        ours = validate_case(case, engine="compiled")
        t1 = time.perf_counter()
        theirs = validate_case(case, engine="pyshacl")
        t2 = time.perf_counter()
        assert report_key(ours) == report_key(theirs), case.case.id
        compiled.append(t1 - t0)
        oracle.append(t2 - t1)
    print(f"\nvalidation of {len(loaded)} curated cases (identical reports):")
    print(_row("compiled shapes", compiled))
    print(_row("pySHACL (the oracle)", oracle))
    print(f"  pySHACL / compiled at the median: {statistics.median(oracle) / statistics.median(compiled):.0f}x")

    rng = random.Random(12)
    bases = [case_from_dict(c) for c in random_cases(50, seed=12, prefix="oracle")]
    results = violations = 0
    for n in range(ORACLE_CASES):
        variant = broken_variant(rng.choice(bases + loaded), rng, edits=1 + n % 8)
        ours = validate_case(variant, engine="compiled")
        theirs = validate_case(variant, engine="pyshacl")
        assert report_key(ours) == report_key(theirs), f"variant {n} of {variant.case.id}"
        results += len(ours.results)
        violations += len(ours.violations)
    print(
        f"  {ORACLE_CASES} generated broken cases: identical reports from both "
        f"({results} results, {violations} violations)"
    )
    assert violations > ORACLE_CASES // 2


def _load(store: Path, cases: Path) -> tuple[float, int, str]:
    """Run ``coprokg load`` in a process of its own; its wall time, peak memory (kB) and summary."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    out = subprocess.run(
        [COPROKG, "load", "--store", str(store), "--cases", str(cases)],
        capture_output=True,
        text=True,
        check=True,
        timeout=1500,
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before), out.stdout.strip().splitlines()[-1]


def test_coprokg_load_of_generated_cases(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    for case in random_cases(LOAD_CASES, seed=3, prefix="load"):
        (cases / f"{case['id']}.json").write_text(json.dumps(case), encoding="utf-8")
    store = tmp_path / "store"
    first, peak, summary = _load(store, cases)
    again, _, summary_again = _load(store, cases)
    print(f"\ncoprokg load of {LOAD_CASES} generated cases into a new embedded store:")
    print(f"  first load   {first:7.1f} s  {LOAD_CASES / first:7.0f} cases/s   goal: >= 300 cases/s   ({summary})")
    print(f"  second load  {again:7.1f} s  {LOAD_CASES / again:7.0f} cases/s   (nothing changed: {summary_again})")
    print(f"  peak memory of a load process: {peak / 1024:.0f} MB")
    assert f"{LOAD_CASES} cases in the store" in summary
    assert summary_again.startswith("load: 0 loaded")
