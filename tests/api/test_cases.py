"""/cases: list with filters and paging, conneg, writes with the token, bad input leaves the store unchanged."""

from __future__ import annotations

import json
from typing import Any

import pytest
import rdflib
from apikit import AUTH, FIXTURE
from fastapi.testclient import TestClient

from coprokg.cases import load_case_text
from coprokg.store import EmbeddedStore, domain_family

pytest_plugins = ["apikit"]

BUURT = "buurt-bestuurt-rotterdam"


def _case(case_id: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_text())
    data.update(id=case_id, **changes)
    return data


def _normalised(case: dict[str, Any]) -> dict[str, Any]:
    """The case as the store reads it back: canonical slugs, defaults filled, lists of slugs sorted."""
    out = load_case_text(json.dumps(case), "json").case.model_dump(mode="json", exclude_none=True)
    for part in out.get("participations", []):
        part["contributes"] = sorted(part.get("contributes", []))
    out["compensation"] = sorted(out.get("compensation", []))
    return out


def test_list_filters_and_paging(client: TestClient) -> None:
    everything = client.get("/cases", params={"limit": 500}).json()
    assert everything["total"] >= 59 and len(everything["items"]) == everything["total"]
    ids = [c["id"] for c in everything["items"]]
    assert ids == sorted(ids)
    page = client.get("/cases", params={"offset": 5, "limit": 3}).json()
    assert [c["id"] for c in page["items"]] == ids[5:8] and page["total"] == everything["total"]
    nl = client.get("/cases", params={"country": "NL"}).json()["items"]
    assert nl and all(c["country"] == "NL" for c in nl)
    safety = client.get("/cases", params={"domain": "public-safety", "limit": 500}).json()["items"]
    family = domain_family("public-safety")  # a COFOG division takes in its groups, as on the case list page
    assert BUURT in [c["id"] for c in safety] and all(c["domain"] in family for c in safety)
    assert any(c["domain"] == "police-services" for c in safety)
    governance = client.get("/cases", params={"level": "co-governance", "limit": 500}).json()["items"]
    assert governance and all(c["power_transfer"] == "co-governance" for c in governance)
    levels = {c["power_transfer"] for c in everything["items"]}
    assert levels <= {"none", "co-production", "co-management", "co-governance"}


def test_list_bad_filters(client: TestClient) -> None:
    unknown = client.get("/cases", params={"domain": "astrology"})
    assert unknown.status_code == 422 and "public-safety" in unknown.json()["allowed"]
    level = client.get("/cases", params={"level": "co-everything"})
    assert level.status_code == 422 and level.json()["field"] == "level" and "co-governance" in level.json()["allowed"]
    assert client.get("/cases", params={"limit": 0}).status_code == 422


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/n-triples", "nt")],
)
def test_get_case_as_rdf(client: TestClient, accept: str, rdflib_format: str) -> None:
    response = client.get(f"/cases/{BUURT}", headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    graph = rdflib.Graph().parse(data=response.content, format=rdflib_format)
    case = rdflib.URIRef(f"https://w3id.org/coprokg/case/{BUURT}")
    assert (case, rdflib.RDF.type, rdflib.URIRef("https://w3id.org/coprokg/ontology#Case")) in graph


def test_get_case_json_and_errors(client: TestClient) -> None:
    response = client.get(f"/cases/{BUURT}")
    assert response.status_code == 200 and response.json()["id"] == BUURT
    assert "classification" in response.headers["link"]
    assert client.get("/cases/no-such-case").status_code == 404
    page = client.get(f"/cases/{BUURT}", headers={"Accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].endswith(f"/ui/cases/{BUURT}")
    assert client.get(f"/cases/{BUURT}", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/cases/Not_A_Slug").status_code == 422
    classification = client.get(f"/cases/{BUURT}/classification").json()
    assert classification["case_id"] == BUURT and classification["power_transfer"] == "co-governance"
    validation = client.get(f"/cases/{BUURT}/validation").json()
    assert validation["conforms"] is True
    assert client.get("/cases/no-such-case/classification").status_code == 404


def test_put_get_replace_delete(client: TestClient) -> None:
    case = _case("api-new-case")
    created = client.put("/cases/api-new-case", json=case, headers=AUTH)
    assert created.status_code == 201, created.text
    assert created.headers["location"].endswith("/cases/api-new-case")
    assert created.json()["power_transfer"] == "co-governance"
    assert _normalised(client.get("/cases/api-new-case").json()) == _normalised(case)
    assert client.get("/cases/api-new-case/classification").json()["power_transfer"] == "co-governance"

    changed = _case("api-new-case", title="Renamed", directed_at_citizens=True)
    replaced = client.put("/cases/api-new-case", json=changed, headers=AUTH)
    assert replaced.status_code == 200 and replaced.json()["created"] is False
    assert client.get("/cases/api-new-case").json()["title"] == "Renamed"
    assert (
        client.get("/cases/api-new-case/classification").json()["power_transfer"] == replaced.json()["power_transfer"]
    )

    assert client.delete("/cases/api-new-case", headers=AUTH).status_code == 204
    assert client.get("/cases/api-new-case").status_code == 404
    assert client.delete("/cases/api-new-case", headers=AUTH).status_code == 404


@pytest.mark.parametrize(
    ("accept", "content_type"), [("text/turtle", "text/turtle"), ("application/ld+json", "application/ld+json")]
)
def test_rdf_round_trip_through_put(client: TestClient, accept: str, content_type: str) -> None:
    body = client.get(f"/cases/{BUURT}", headers={"Accept": accept}).content
    response = client.put(f"/cases/{BUURT}", content=body, headers={**AUTH, "Content-Type": content_type})
    assert response.status_code == 200, response.text
    assert response.json()["power_transfer"] == "co-governance"


def test_writes_need_the_token(client: TestClient, readonly_client: TestClient) -> None:
    case = _case("token-case")
    missing = client.put("/cases/token-case", json=case)
    assert missing.status_code == 401 and "Bearer" in missing.headers["www-authenticate"]
    wrong = client.put("/cases/token-case", json=case, headers={"Authorization": "Bearer not-the-token-at-all"})
    assert wrong.status_code == 403
    assert readonly_client.put("/cases/token-case", json=case, headers=AUTH).status_code == 403
    assert client.delete(f"/cases/{BUURT}").status_code == 401
    assert client.get("/cases/token-case").status_code == 404


BAD_BODIES = [
    ("application/json", '{"id": "bad-case", "title": "x",\n "actors": [', 400, None),
    ("text/turtle", "@prefix cpk: <https://w3id.org/coprokg/ontology#> .\n<x> a cpk:Case ;", 400, None),
    ("application/json", json.dumps(_case("bad-case", domain="astrology")), 400, "domain"),
    ("application/json", json.dumps(_case("bad-case", colour="blue")), 400, "colour"),
    ("application/json", json.dumps({k: v for k, v in _case("bad-case").items() if k != "title"}), 422, "title"),
    ("application/json", json.dumps(_case("other-id")), 400, "id"),
]


@pytest.mark.parametrize(("content_type", "body", "status", "field"), BAD_BODIES)
def test_bad_input_changes_nothing(
    client: TestClient, shared_store: EmbeddedStore, content_type: str, body: str, status: int, field: str | None
) -> None:
    before = len(shared_store), shared_store.case_ids()
    response = client.put("/cases/bad-case", content=body, headers={**AUTH, "Content-Type": content_type})
    assert response.status_code == status, response.text
    error = response.json()
    assert set(error) >= {"message", "field", "line", "column", "allowed"}
    if field is not None:
        assert error["field"] == field
    if status == 400 and field is None:
        assert error["line"] is not None  # a syntax error says where
    if field == "domain":
        assert "public-safety" in error["allowed"]
    assert (len(shared_store), shared_store.case_ids()) == before
