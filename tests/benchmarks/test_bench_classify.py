"""Classification benchmark (`make bench`): the compiled classifier vs HermiT, side by side.

Prints figures; asserts only that the runs happened and agreed, never a timing. Bounded: 10,000
generated cases for the classifier, 10 fresh HermiT runs, and HermiT batches under a time limit.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import statistics
import time
import tracemalloc
from queue import Empty
from typing import Any

from casegen import random_cases

from coprokg.cases import case_from_dict
from coprokg.classify import Classifier
from coprokg.classify.oracle import compare
from coprokg.ontology import Ontology
from coprokg.paths import ontology_path

N_CASES = 10_000
N_HERMIT_SINGLE = 10
BATCH_SIZES = (5, 10, 1000)
BATCH_TIME_LIMIT = 300.0


def generated_cases(n: int, seed: int = 2026) -> list[dict[str, Any]]:
    """Cases drawn at random from the ontology's vocabularies (``tests/casegen.py``)."""
    return random_cases(n, seed=seed, prefix="bench")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _hermit_batch(cases: list[dict[str, Any]]) -> tuple[float, int, int]:
    classifier = Classifier(Ontology.load(ontology_path()))
    loaded = [case_from_dict(c) for c in cases]
    start = time.perf_counter()
    compared, disagreements = compare(classifier.compiled, loaded, batch=len(loaded))
    return time.perf_counter() - start, compared, len(disagreements)


def test_classification_benchmark() -> None:
    # start-up: ontology load + compile
    tracemalloc.start()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    classifier = Classifier(Ontology.load(ontology_path()))
    startup = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"\nstart-up (load ontology + compile {len(classifier.compiled.defined)} defined classes): {startup:.2f} s")
    print(
        f"  memory: tracemalloc peak {peak / 2**20:.1f} MiB; "
        f"max RSS {rss_before / 1024:.0f} -> {rss_after / 1024:.0f} MiB"
    )

    cases = generated_cases(N_CASES)
    full: list[float] = []
    classify_only: list[float] = []
    levels: dict[str, int] = {}
    wall = time.perf_counter()
    for body in cases:
        t0 = time.perf_counter()
        loaded = case_from_dict(body)
        t1 = time.perf_counter()
        result = classifier.classify(loaded, risks=False)
        t2 = time.perf_counter()
        full.append(t2 - t0)
        classify_only.append(t2 - t1)
        levels[result.power_transfer] = levels.get(result.power_transfer, 0) + 1
    wall = time.perf_counter() - wall
    p50, p99 = pct(full, 0.5) * 1000, pct(full, 0.99) * 1000
    print(f"classifier, {N_CASES} generated cases (load + classify with explanations and near misses, no risks):")
    print(
        f"  p50 {p50:.2f} ms, p99 {p99:.2f} ms, mean {statistics.mean(full) * 1000:.2f} ms, "
        f"throughput {N_CASES / wall:.0f} cases/s"
    )
    print(f"  classify only: p50 {pct(classify_only, 0.5) * 1000:.2f} ms, p99 {pct(classify_only, 0.99) * 1000:.2f} ms")
    print(f"  levels: {dict(sorted(levels.items()))}")

    sample = cases[:200]
    with_risks = []
    for body in sample:
        t0 = time.perf_counter()
        classifier.classify(case_from_dict(body), risks=True)
        with_risks.append(time.perf_counter() - t0)
    print(
        f"  with risk shapes (fast evaluator), {len(sample)} cases: p50 {pct(with_risks, 0.5) * 1000:.1f} ms, "
        f"p99 {pct(with_risks, 0.99) * 1000:.1f} ms"
    )

    # HermiT per case: a fresh owlready2 world and one reasoner call per case
    single = []
    for body in cases[:N_HERMIT_SINGLE]:
        seconds, compared, disagreements = _hermit_batch([body])
        assert disagreements == 0
        single.append(seconds)
    hermit_p50 = statistics.median(single)
    print(
        f"HermiT per case (fresh world, one call), {N_HERMIT_SINGLE} cases: median {hermit_p50:.2f} s, "
        f"min {min(single):.2f} s, max {max(single):.2f} s; agreement 100 %"
    )
    print(f"  ratio per case: HermiT / classifier p50 = {hermit_p50 / (p50 / 1000):.0f}x")

    for size in BATCH_SIZES:
        batch = cases[N_HERMIT_SINGLE : N_HERMIT_SINGLE + size]
        outcome = _bounded_hermit_batch(batch, BATCH_TIME_LIMIT)
        if isinstance(outcome, str):
            print(f"HermiT, one batch of {size} cases: {outcome}")
            continue
        seconds, compared, disagreements = outcome
        assert disagreements == 0
        print(
            f"HermiT, one batch of {size} cases: {seconds:.1f} s ({seconds / size:.2f} s per case), "
            f"{compared} individuals, agreement 100 %; per case vs classifier p50: "
            f"{seconds / size / (p50 / 1000):.0f}x"
        )
    assert len(full) == N_CASES


def _batch_in_own_session(batch: list[dict[str, Any]], queue: Any) -> None:
    os.setsid()  # HermiT's JVM joins this process group, so a timeout can stop both
    try:
        queue.put(_hermit_batch(batch))
    except Exception as exc:  # reported, not raised: the benchmark goes on
        queue.put(f"HermiT stopped with an error: {str(exc).splitlines()[0]}")


def _bounded_hermit_batch(batch: list[dict[str, Any]], limit: float) -> tuple[float, int, int] | str:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=_batch_in_own_session, args=(batch, queue))
    process.start()
    try:
        result: tuple[float, int, int] | str = queue.get(timeout=limit)
    except Empty:
        os.killpg(process.pid, signal.SIGKILL)
        result = f"did not finish within {limit:.0f} s (stopped)"
    process.join(timeout=10)
    return result
