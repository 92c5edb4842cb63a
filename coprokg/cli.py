"""The ``coprokg`` command line: check, validate, classify, normalize, load, query, export, serve.

Exit codes: 0 success; 1 a case does not conform or a check found violations; 2 bad input or
usage (one readable line on stderr: ``file:line:col: field: what is wrong``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from coprokg.errors import CoprokgError

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def _expand(paths: Sequence[str]) -> list[Path]:
    """The case files named, with each directory replaced by the case files in it.

    A directory without any case file is an error (``InputError``): saying nothing and exiting 0
    would look like success.
    """
    from coprokg.cases.load import CASE_FILE_SUFFIXES
    from coprokg.errors import InputError

    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in CASE_FILE_SUFFIXES and p.is_file())
            if not found:
                raise InputError(
                    f"no case files in this directory (looked for {', '.join(sorted(CASE_FILE_SUFFIXES))})",
                    source=str(path),
                )
            files.extend(found)
        else:
            files.append(path)
    return files


def cmd_check(args: argparse.Namespace) -> int:
    from coprokg.paths import working_ontology_path
    from coprokg.quality.checks import run_checks

    path = Path(args.ontology) if args.ontology else working_ontology_path()
    report = run_checks(path, reasoner=not args.no_reasoner)
    print(report.summary())
    return EXIT_FAILED if report.failed else EXIT_OK


def cmd_normalize(args: argparse.Namespace) -> int:
    from coprokg.paths import working_ontology_path
    from coprokg.turtle import is_normalized, normalize_file

    files = [Path(p) for p in args.files] or [working_ontology_path()]
    if args.check:
        changed = is_normalized(files)
        for path in changed:
            print(f"{path}: not normalised; run `make normalize` and commit the result", file=sys.stderr)
        return EXIT_FAILED if changed else EXIT_OK
    for path in files:
        print(f"{path}: {'rewritten' if normalize_file(path) else 'unchanged'}")
    return EXIT_OK


def _print_problems(exc: CoprokgError) -> None:
    """Every problem of an input, one line each (a file's errors at once, not one per run)."""
    problems = getattr(exc, "problems", None) or [exc]
    for problem in problems:
        print(str(problem).replace(" (and ", " (", 1) if problem is not exc else str(problem), file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    from coprokg.cases import load_case
    from coprokg.validate import validate_case

    worst = EXIT_OK
    reports = []
    for path in _expand(args.files):
        try:
            report = validate_case(load_case(path))
        except CoprokgError as exc:
            _print_problems(exc)
            worst = EXIT_ERROR
            continue
        reports.append(report)
        if not report.conforms:
            worst = max(worst, EXIT_FAILED)
        if args.format == "text":
            status = "conforms" if report.conforms else "DOES NOT CONFORM"
            print(f"{path}: {status} ({len(report.violations)} violations, {len(report.warnings)} warnings)")
            for r in report.results:
                where = f"{path}:{r.line}:{r.column}: " if r.line else f"{path}: "
                print(f"  {r.severity.value}: {where}{r.field + ': ' if r.field else ''}{r.message}")
    if args.format == "json":
        print(json.dumps([r.model_dump(mode="json") for r in reports], indent=2))
    return worst


def _print_classification(path: Path, result: object, stated: object = None, actor_labels: Sequence[str] = ()) -> None:
    from coprokg.cases.model import SourceClassification
    from coprokg.classify.result import Classification
    from coprokg.fields import parse_field_path

    assert isinstance(result, Classification)
    print(f"{path}: {result.case_id}")
    print(f"  power transfer: {result.power_transfer} ({result.power_transfer_reading})")
    if result.power_transfer_explanation:
        print(f"    {result.power_transfer_explanation.summary}")
    for reading in result.readings:
        if not reading.default:
            print(f"  under the {reading.typology}: {reading.level}")
    if isinstance(stated, SourceClassification) and stated.level and stated.level != result.power_transfer:
        where = f"{stated.cite}, p. {stated.page}" if stated.page else stated.cite
        agreeing = [r.reading for r in result.readings if not r.default and r.level == stated.level]
        print(
            f"  NOTE: the source states {stated.level} ({where}), not {result.power_transfer}"
            + (f"; the {', '.join(agreeing)} reading agrees with it" if agreeing else "")
        )
    if result.power_transfer_explanation:
        print(f"    because {result.power_transfer_explanation.axiom}")
        for fact in result.power_transfer_explanation.facts:
            print(f"      - {fact}")
    for typology, cells in sorted(result.typologies.items()):
        print(f"  {typology}: {', '.join(cells)}")
    roles: dict[str, list[str]] = {}
    for m in result.roles:
        roles.setdefault(m.node, []).append(m.label)
    for actor, labels in roles.items():
        steps = parse_field_path(actor)
        index = steps[-1] if len(steps) == 2 and isinstance(steps[-1], int) else None
        name = f" ({actor_labels[index]})" if index is not None and index < len(actor_labels) else ""
        print(f"  role of {actor}{name}: {', '.join(labels)}")
    for m in result.classes:
        if m.rank is None:
            print(f"  {m.label}: {m.explanation.summary}")
    for risk in result.risks:
        print(f"  RISK: {risk.message}")
    for miss in result.near_misses:
        print(f"  near miss: {miss.text}")


def cmd_classify(args: argparse.Namespace) -> int:
    from coprokg.cases import load_case
    from coprokg.classify import default_classifier

    classifier = default_classifier()
    files = _expand(args.files)
    results = []
    status = EXIT_OK
    stated: dict[Path, object] = {}
    actor_labels: dict[Path, list[str]] = {}
    for path in files:
        try:
            loaded = load_case(path)
            result = classifier.classify(loaded, risks=not args.no_risks)
        except CoprokgError as exc:
            print(str(exc), file=sys.stderr)
            status = EXIT_ERROR
            continue
        stated[path] = loaded.case.source_classification
        actor_labels[path] = [a.label for a in loaded.case.actors]
        results.append((path, result))
    if args.format == "json":
        payload = [r.model_dump(mode="json") for _, r in results]
        print(json.dumps(payload[0] if len(payload) == 1 and len(files) == 1 else payload, indent=2))
    elif len(files) > 1:
        others = [rd.reading for rd in results[0][1].readings if not rd.default] if results else []
        print(f"{'case':45} {'power transfer':16}" + "".join(f"{name:16}" for name in others) + "risks")
        for _, r in results:
            levels = "".join(f"{rd.level:16}" for rd in r.readings if not rd.default)
            print(f"{r.case_id[:45]:45} {r.power_transfer:16}{levels}{len(r.risks)}")
    else:
        for path, r in results:
            _print_classification(path, r, stated.get(path), actor_labels.get(path, []))
    return status


def cmd_agreement(args: argparse.Namespace) -> int:
    from coprokg.agreement import compare, update_document
    from coprokg.paths import cases_dir

    agreement = compare(_expand(args.files or [str(cases_dir())]))
    if args.update:
        path = Path(args.update)
        changed = update_document(path, agreement)
        print(f"{path}: {'updated' if changed else 'unchanged'}")
        return EXIT_OK
    print(agreement.markdown())
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coprokg", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="ontology quality checks (SPARQL, shapes, OWL API DL profile, HermiT)")
    p.add_argument("--ontology", help="ontology file (default: ontology/coprod.ttl under the current directory)")
    p.add_argument("--no-reasoner", action="store_true", help="skip the HermiT consistency check")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("normalize", help="rewrite Turtle files in canonical order")
    p.add_argument("files", nargs="*", help="files (default: ontology/coprod.ttl under the current directory)")
    p.add_argument("--check", action="store_true", help="only report files that are not normalised")
    p.set_defaults(func=cmd_normalize)

    p = sub.add_parser("validate", help="validate case files against the SHACL shapes")
    p.add_argument("files", nargs="+")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("classify", help="classify case files")
    p.add_argument("files", nargs="+")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--no-risks", action="store_true", help="skip the risk shapes")
    p.set_defaults(func=cmd_classify)

    p = sub.add_parser("agreement", help="compare coprokg's levels with the levels the sources state, per reading")
    p.add_argument("files", nargs="*", help="case files or directories (default: data/cases)")
    p.add_argument("--update", metavar="FILE", help="rewrite the generated section of FILE (docs/classification.md)")
    p.set_defaults(func=cmd_agreement)

    __import__("coprokg.cli_store", fromlist=["add_commands"]).add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except CoprokgError as exc:
        print(f"coprokg: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # `coprokg classify data/cases | head`: the reader has what it wanted
        sys.stderr.close()
        return EXIT_OK
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
