"""The OpenAPI document is exact: references resolve, and a bounded schemathesis run against a live
server finds no server error and no response its documentation does not allow."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import schemathesis
from apikit import AUTH, LiveServer
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

pytest_plugins = ["apikit"]


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _document(server: LiveServer) -> dict[str, Any]:
    response = httpx.get(f"{server.url}/openapi.json", timeout=30)
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


def test_every_reference_resolves(live_server: LiveServer) -> None:
    document = _document(live_server)
    schemas = document["components"]["schemas"]
    refs = set(_refs(document))
    assert "#/components/schemas/Actor" in refs  # the case body's nested models are referenced …
    unresolved = [r for r in refs if not r.startswith("#/components/schemas/") or r.rsplit("/", 1)[1] not in schemas]
    assert unresolved == []  # … and every reference resolves


def test_error_statuses_are_documented(live_server: LiveServer) -> None:
    paths = _document(live_server)["paths"]
    delete = paths["/cases/{case_id}"]["delete"]["responses"]
    assert {"401", "403", "404"} <= set(delete)
    for path, operations in paths.items():
        for operation in operations.values():
            assert "503" in operation["responses"]
            for code, response in operation["responses"].items():
                if code.startswith(("4", "5")) and path != "/healthz":  # /healthz: its own body, with the reason
                    assert response["content"]["application/json"]["schema"] == {
                        "$ref": "#/components/schemas/ErrorBody"
                    }


def test_bad_filters_give_one_status(live_server: LiveServer) -> None:
    """An unknown domain and an unknown level are the same kind of mistake: both 422, both naming the field."""
    for params, field in (({"domain": "bad"}, "domain"), ({"level": "bad"}, "level"), ({"country": "xx"}, "country")):
        response = httpx.get(f"{live_server.url}/cases", params=params, timeout=30)
        assert response.status_code == 422, response.text
        assert response.json()["field"] == field


def test_no_operation_breaks_its_documentation(live_server: LiveServer) -> None:
    """Schemathesis, bounded: a few generated requests per operation, to 127.0.0.1 only, writes with the token.

    Its checks (no 5xx, documented status, content type, headers and body schema) must all pass.
    """
    loaded = schemathesis.openapi.from_url(f"{live_server.url}/openapi.json")
    loaded.config.update(base_url=live_server.url)
    failures: list[str] = []
    operations = 0
    for result in loaded.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
        def run(case: schemathesis.Case) -> None:
            case.headers = {**(case.headers or {}), **AUTH}
            # Every check but "schema-valid data must be accepted": a string that is a valid SPARQL
            # query, or a slug that is a vocabulary notation, is more than a JSON Schema says, so
            # a well-typed but meaningless query or case is rightly a 400.
            case.call_and_validate(timeout=30, excluded_checks=[positive_data_acceptance])

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # collect every operation's failure, then report them together
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:1500]}")
    assert operations >= 14
    assert failures == [], "\n\n".join(failures)
