"""The web pages over plain HTTP: server-side rendering, forms without JavaScript, errors shown inline."""

from __future__ import annotations

import csv
import doctest
import io
import json
import re
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from htmlkit import Element, duplicate_ids, parse, unlabelled_controls
from rdflib import OWL, RDF, URIRef
from support import TOKEN

from api.ui import vendor
from api.ui.ontology_docs import local_name
from coprokg.named_queries import named_queries
from coprokg.ontology import default_ontology
from coprokg.sparql import known_prefixes
from coprokg.store import domain_family

pytest_plugins = ["uifixtures"]
BUURT = "buurt-bestuurt-rotterdam"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
ROW_COUNTS = {"actors_rows": "3", "participations_rows": "4", "accountability_rows": "2", "sources_rows": "2"}
# Residents co-decide in design: co-governance under Meijer's (2016, p. 604) reading.
DESCRIBED: dict[str, Any] = {
    "title": "Residents co-design the neighbourhood park",
    "description": "Residents and the municipality jointly decide on the design of a new park; the city builds it.",
    "domain": "community-development",
    "country": "NL",
    "actors-0-label": "Neighbourhood residents",
    "actors-0-kind": "citizen-collective",
    "actors-1-label": "Municipality",
    "actors-1-kind": "public-agency",
    "participations-0-actor": "1",
    "participations-0-stage": "design",
    "participations-0-decision": "co-decides",
    "participations-0-contributes": ["time", "local-knowledge"],
    "participations-1-actor": "2",
    "participations-1-stage": "design",
    "participations-1-decision": "co-decides",
    "participations-2-actor": "2",
    "participations-2-stage": "delivery",
    "participations-2-decision": "decides",
    "participations-2-contributes": ["money"],
    "accountability-0-accountor": "2",
    "accountability-0-forum": "1",
    "accountability-0-type": "horizontal",
    "accountability-0-mechanism": "public meeting",
    "sources-0-cite": "Meijer 2016",
    "sources-0-page": "604",
    **ROW_COUNTS,
}


def html(response: Any, status: int = 200) -> Element:
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    doc = parse(response.text)
    assert not duplicate_ids(doc), duplicate_ids(doc)
    assert not unlabelled_controls(doc), unlabelled_controls(doc)
    assert doc.find("html", lang="en") is not None
    assert len(doc.find_all("h1")) == 1
    return doc


def case_rows(doc: Element) -> list[Element]:
    table = doc.find("table", class_="cases")
    return table.find("tbody").find_all("tr") if table is not None else []


def row_ids(doc: Element) -> list[str]:
    return [(r.find("a").get("href") or "").rsplit("/", 1)[-1] for r in case_rows(doc)]


def classify(client: TestClient, data: dict[str, Any], status: int = 200, **extra: Any) -> Element:
    return html(client.post("/ui/classify", data={**data, **extra}), status)


# ---------------------------------------------------------------- cases
def test_home_lists_every_stored_case(ui_client: TestClient) -> None:
    """Page by page (50 a page), the list shows every stored case once, with the total on each page."""
    total = ui_client.get("/cases", params={"limit": 500}).json()["total"]
    for path in ("/", "/ui/cases"):
        doc = html(ui_client.get(path))
        assert doc.by_id("case-count").text().startswith(f"{total} cases.")
        seen: list[str] = []
        url: str | None = path
        while url is not None:
            doc = html(ui_client.get(url))
            assert doc.by_id("case-count").text().startswith(f"{total} cases.")
            seen += row_ids(doc)
            following = doc.find("a", rel="next")
            url = following.get("href") if following is not None else None
        assert len(seen) == len(set(seen)) == total >= 59
        assert BUURT in seen


def test_cases_page_and_api_find_the_same_cases(ui_client: TestClient) -> None:
    """Search, filters and sorting: the page shows what GET /cases returns, in the same order."""
    for params in (
        {"q": "participatory budget", "sort": "title"},
        {"domain": "public-safety", "sort": "country"},
        {"level": "co-governance", "sort": "level", "order": "desc"},
        {"role": "CoproducerRole", "q": "water", "sort": "id"},
    ):
        api = ui_client.get("/cases", params={**params, "limit": 500}).json()
        page = html(ui_client.get("/ui/cases", params=params))
        assert row_ids(page) == [item["id"] for item in api["items"]][:50], params
        assert page.by_id("case-count").text().startswith(f"{api['total']} of ")
    budgets = {c["id"] for c in ui_client.get("/cases", params={"q": "Participatory BUDGET"}).json()["items"]}
    assert {"porto-alegre-participatory-budgeting", "seoul-participatory-budgeting"} <= budgets
    assert BUURT not in budgets  # both words must occur, in any case
    titles = [
        c["title"].casefold() for c in ui_client.get("/cases", params={"sort": "title", "limit": 500}).json()["items"]
    ]
    assert titles == sorted(titles)


def test_menus_offer_values_in_use_with_counts_and_country_names(ui_client: TestClient) -> None:
    doc = html(ui_client.get("/ui/cases"))
    countries = [o.text() for o in doc.by_id("filter-country").find_all("option")]
    assert any(text.startswith("Netherlands (") for text in countries)
    assert not any(text.startswith("Niger") for text in countries)  # NE is not in use
    levels = [o.text() for o in doc.by_id("filter-level").find_all("option")][1:]
    assert all(text.rsplit("(", 1)[1].rstrip(")").isdigit() for text in levels)


def test_cases_filters_are_a_get_form(ui_client: TestClient) -> None:
    doc = html(ui_client.get("/ui/cases"))
    form = doc.find("form", class_="filters")
    assert form is not None and form.get("method") == "get" and form.get("action") == "/ui/cases"
    assert {s.get("name") for s in form.find_all("select")} == {"domain", "country", "level", "role"}

    safety = html(ui_client.get("/ui/cases", params={"domain": "public-safety", "sort": "id"}))
    family = domain_family("public-safety")
    api_rows = ui_client.get("/cases", params={"limit": 500}).json()["items"]
    expected = sorted(c["id"] for c in api_rows if c["domain"] in family)
    assert row_ids(safety) == expected and BUURT in expected
    assert any(c["domain"] == "police-services" for c in api_rows if c["id"] in expected)  # groups count too
    assert safety.by_id("case-count").text().startswith(f"{len(expected)} of ")

    governance_nl = html(ui_client.get("/ui/cases", params={"level": "co-governance", "country": "nl", "sort": "id"}))
    expected = sorted(c["id"] for c in api_rows if c["power_transfer"] == "co-governance" and c["country"] == "NL")
    assert row_ids(governance_nl) == expected and BUURT in expected

    coproducers = row_ids(html(ui_client.get("/ui/cases", params={"role": "CoproducerRole"})))
    subjects = row_ids(html(ui_client.get("/ui/cases", params={"role": "SubjectRole"})))
    assert BUURT in coproducers and BUURT not in subjects and coproducers


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"domain": "astrology"}, "domain"),
        ({"level": "co-everything"}, "level"),
        ({"country": "Nederland"}, "country"),
        ({"role": "Wizard"}, "role"),
    ],
)
def test_bad_filters_are_shown_next_to_the_field(ui_client: TestClient, params: dict[str, str], field: str) -> None:
    doc = html(ui_client.get("/ui/cases", params=params), 400)
    select = doc.by_id(f"filter-{field}")
    assert select.get("aria-invalid") == "true" and select.get("aria-describedby") == f"err-{field}"
    assert doc.by_id(f"err-{field}").text()
    assert not case_rows(doc)


# ---------------------------------------------------------------- one case
def test_case_page_explains_co_governance(ui_client: TestClient) -> None:
    doc = html(ui_client.get(f"/ui/cases/{BUURT}"))
    assert "Buurt Bestuurt" in doc.find("h1").text()
    assert doc.by_id("power-transfer").text() == "co-governance"
    why = doc.by_id("why-title").parent
    assert why is not None
    assert "co-governance ≡" in why.find("p", class_="axiom").text()
    facts = [li.text() for li in why.find("ul", class_="facts").find_all("li")]
    assert any("at stage — commissioning" in f for f in facts) and any("co-decides" in f for f in facts)
    assert any("Meijer 2016, p. 604" in li.text() for li in why.find_all("li"))
    participations = doc.find("table", class_="participations").find("tbody").find_all("tr")
    assert len(participations) == 7
    first = [c.text() for c in participations[0].find_all() if c.tag in ("th", "td")]
    assert first[:3] == ["Residents on Buurt Bestuurt committees", "commissioning", "co-decides"]
    risks = doc.find_all("li", class_="risk")
    assert risks and all("Cited: Meijer 2016" in r.text() for r in risks)
    graph = doc.find("svg", class_="graph")
    assert graph is not None and graph.get("role") == "img"
    assert len(graph.find_all("g", class_="edge")) == 2 and "Residents on Buurt" in graph.text()
    assert "van Rossum 2012" in doc.find("ul", class_="sources").text()
    # vocabulary values link to their anchors in the ontology documentation
    assert doc.find("a", href="/ui/ontology#decision-co-decides") is not None


def test_unknown_case_is_an_html_404(ui_client: TestClient) -> None:
    for path in ("/ui/cases/no-such-case", "/ui/cases/Not_A_Slug"):
        doc = html(ui_client.get(path), 404)
        assert doc.find("p", role="alert") is not None


# ---------------------------------------------------------------- classify
def test_classify_form_has_vocabulary_dropdowns_and_labels(ui_client: TestClient) -> None:
    doc = html(ui_client.get("/ui/classify"))
    form = doc.find("form", class_="case-form")
    assert form is not None and form.get("method") == "post" and form.get("action") == "/ui/classify"
    ontology = default_ontology()
    for name, field in (("participations-0-decision", "decision"), ("actors-0-kind", "kind"), ("domain", "domain")):
        options = {o.get("value") for o in doc.by_id(f"f-{name}").find_all("option")} - {""}
        assert options == set(ontology.vocabularies[field].notations), name
    decision = doc.by_id("f-participations-0-decision")
    co_decides = decision.find("option", value="co-decides")
    assert co_decides is not None
    assert co_decides.get("data-definition") == ontology.vocabularies["decision"].values["co-decides"].definition
    assert len(doc.find_all("fieldset", class_="row")) == 3 + 4 + 2  # actors, participations, accountability
    # Enter in a text field submits with the first button: it must classify, not add a row
    first_button = form.find("button")
    assert first_button is not None and first_button.get("value") == "classify"


def test_classify_shows_the_level_and_why(ui_client: TestClient) -> None:
    doc = classify(ui_client, DESCRIBED)
    assert doc.by_id("power-transfer").text() == "co-governance"
    why = doc.by_id("why-title").parent
    assert why is not None
    assert "participations[0] (neighbourhood-residents at design) — decision right — co-decides" in why.text()
    assert doc.find("div", class_="error-summary") is None
    # the form keeps what was typed
    assert doc.by_id("f-title").get("value") == DESCRIBED["title"]
    assert doc.by_id("f-participations-0-decision").find("option", selected=True).get("value") == "co-decides"
    assert doc.by_id("f-participations-0-contributes-time").get("checked") is not None
    # nothing was stored
    assert ui_client.get("/cases/residents-co-design-the-neighbourhood-park").status_code == 404


def test_add_row_without_javascript_keeps_the_values(ui_client: TestClient) -> None:
    doc = classify(ui_client, DESCRIBED, action="add-actors")
    actors = [el for el in doc.find_all("input", class_="actor-label")]
    assert len(actors) == 4 and actors[0].get("value") == "Neighbourhood residents" and actors[3].get("value") == ""
    assert doc.by_id("f-actors-3-label").get("autofocus") is not None
    assert doc.find("section", class_="classification") is None  # adding a row does not classify
    doc = classify(ui_client, {**DESCRIBED, "participations_rows": "5"}, action="add-participations")
    assert doc.by_id("f-participations-5-actor") is not None


def test_classify_errors_are_shown_next_to_their_fields(ui_client: TestClient) -> None:
    data = {**DESCRIBED, "participations-0-stage": "", "country": "N1"}
    doc = classify(ui_client, data, 422)
    stage = doc.by_id("f-participations-0-stage")
    assert stage.get("aria-invalid") == "true" and "err-participations-0-stage" in (stage.get("aria-describedby") or "")
    assert "stage" in doc.by_id("err-participations-0-stage").text()
    summary = doc.by_id("error-summary")
    assert summary.find("a", href="#f-participations-0-stage") is not None
    assert doc.find("section", class_="classification") is None
    # a value the ontology does not know (a crafted post) is refused with the allowed values
    doc = classify(ui_client, {**DESCRIBED, "participations-1-decision": "vetoes"}, 422)
    message = doc.by_id("err-participations-1-decision").text()
    assert "vetoes" in message and "co-decides" in message
    # a country that is not an ISO code: the case model's error lands on the country field
    doc = classify(ui_client, {**DESCRIBED, "country": "N1"}, 422)
    assert doc.by_id("f-country").get("aria-invalid") == "true"
    # a participation pointing at an empty actor row
    doc = classify(
        ui_client,
        {
            **DESCRIBED,
            "participations-3-actor": "3",
            "participations-3-stage": "delivery",
            "participations-3-decision": "none",
        },
        422,
    )
    assert "not described" in doc.by_id("err-participations-3-actor").text()


def test_incomplete_case_classifies_but_says_what_saving_needs(ui_client: TestClient) -> None:
    data = {**DESCRIBED, "description": "", "sources-0-cite": "", "sources-0-page": ""}
    doc = classify(ui_client, data)
    assert doc.by_id("power-transfer").text() == "co-governance"
    assert "Needed to save" in doc.by_id("note-description").text()
    assert doc.by_id("note-sources-0-cite").text()


def test_save_uses_the_token_and_the_write_path(ui_client: TestClient, ui_readonly_client: TestClient) -> None:
    case_id = "ui-saved-park"
    data = {**DESCRIBED, "case_id": case_id}
    missing = classify(ui_client, data, 401, action="save")
    assert "token" in missing.by_id("err-token").text() and missing.by_id("f-token").get("value") is None
    wrong = classify(ui_client, data, 403, action="save", token="not-the-token-at-all")
    assert "not valid" in wrong.by_id("err-token").text()
    disabled = classify(ui_readonly_client, data, 403, action="save", token=TOKEN)
    assert "disabled" in disabled.by_id("error-summary").text()
    assert ui_client.get(f"/cases/{case_id}").status_code == 404

    incomplete = classify(ui_client, {**data, "description": ""}, 422, action="save", token=TOKEN)
    assert incomplete.by_id("err-description").text()
    assert ui_client.get(f"/cases/{case_id}").status_code == 404

    saved = classify(ui_client, data, 201, action="save", token=TOKEN)
    assert saved.by_id("saved").find("a", href=f"/ui/cases/{case_id}") is not None
    assert TOKEN not in ui_client.post("/ui/classify", data={**data, "action": "save", "token": TOKEN}).text
    stored = ui_client.get(f"/cases/{case_id}/classification").json()
    assert stored["power_transfer"] == "co-governance"
    assert case_id in row_ids(html(ui_client.get("/ui/cases", params={"level": "co-governance", "q": case_id})))

    again = classify(ui_client, data, 409, action="save", token=TOKEN)
    assert "already stored" in again.by_id("err-case_id").text()
    replaced = classify(ui_client, data, 200, action="save", token=TOKEN, replace="1")
    assert "replaced" in replaced.by_id("saved").text()
    assert ui_client.delete(f"/cases/{case_id}", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 204


# ---------------------------------------------------------------- SPARQL
def test_sparql_editor_lists_the_named_queries(ui_client: TestClient) -> None:
    doc = html(ui_client.get("/ui/sparql"))
    links = {a.get("href") for a in doc.find("section", class_="examples").find_all("a")}
    assert links == {f"/ui/sparql?example={name}" for name in named_queries()}
    assert "SELECT" in doc.by_id("f-query").text()
    assert doc.find("section", class_="results") is None


def test_sparql_results_as_a_table_with_downloads(ui_client: TestClient) -> None:
    query = (
        "PREFIX cpk: <https://w3id.org/coprokg/ontology#>\n"
        "SELECT ?case ?level WHERE { ?case a cpk:Case ; "
        "<https://w3id.org/coprokg/record#powerTransferLevel> ?level } ORDER BY ?case"
    )
    doc = html(ui_client.get("/ui/sparql", params={"query": query}))
    rows = doc.find("table", class_="results-table").find("tbody").find_all("tr")
    assert len(rows) >= 59
    assert doc.find("a", href=f"/ui/cases/{BUURT}") is not None  # case IRIs link to the case pages
    assert doc.by_id("f-query").text() == " ".join(query.split())
    downloads = {a.text(): a.get("href") or "" for a in doc.find("p", class_="downloads").find_all("a")}
    assert set(downloads) == {"CSV", "JSON", "TSV"}
    csv_response = ui_client.get(downloads["CSV"])
    assert csv_response.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv_response.headers["content-disposition"]
    table = list(csv.DictReader(io.StringIO(csv_response.text)))
    assert len(table) == len(rows) and set(table[0]) == {"case", "level"}
    data = json.loads(ui_client.get(downloads["JSON"]).content)
    assert len(data["results"]["bindings"]) == len(rows)
    # the same through POST (a form without JavaScript may post)
    posted = html(ui_client.post("/ui/sparql", data={"query": query}))
    assert len(posted.find("table", class_="results-table").find("tbody").find_all("tr")) == len(rows)


def test_sparql_examples_ask_and_construct(ui_client: TestClient) -> None:
    doc = html(ui_client.get("/ui/sparql", params={"example": "level-by-domain-and-country"}))
    assert doc.find("table", class_="results-table") is not None
    ask = html(ui_client.get("/ui/sparql", params={"query": "ASK { ?s ?p ?o }"}))
    assert "yes (true)" in ask.by_id("result-count").text()
    construct = html(ui_client.get("/ui/sparql", params={"query": "CONSTRUCT WHERE { ?s a ?o } LIMIT 3"}))
    assert [th.text() for th in construct.find("thead").find_all("th")] == ["subject", "predicate", "object"]
    assert {a.text() for a in construct.find("p", class_="downloads").find_all("a")} == {"Turtle", "JSON-LD"}


@pytest.mark.parametrize(
    ("query", "status", "expected"),
    [
        ("SELECT ?s WHERE { ?s ?p }", 400, r"^Error: line 1, column \d+: syntax error"),
        ("SELECT ?s WHERE { ?s a cpk:Case }", 400, r"^Error: line 1, column 24: the prefix 'cpk:' is not declared"),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", 400, "SERVICE"),
    ],
)
def test_sparql_errors_are_shown_at_the_editor(ui_client: TestClient, query: str, status: int, expected: str) -> None:
    doc = html(ui_client.get("/ui/sparql", params={"query": query}), status)
    editor = doc.by_id("f-query")
    assert editor.get("aria-invalid") == "true" and "err-query" in (editor.get("aria-describedby") or "")
    assert re.search(expected, doc.by_id("err-query").text())
    assert doc.by_id("f-query").text() == " ".join(query.split())  # the query stays in the editor to fix


def _policy(header: str) -> dict[str, list[str]]:
    directives = (part.strip().split() for part in header.split(";") if part.strip())
    return {d[0]: d[1:] for d in directives}


def test_sparql_page_starts_yasgui_from_vendored_files(ui_client: TestClient) -> None:
    response = ui_client.get("/ui/sparql")
    doc = html(response)
    scripts = [el.get("src") for el in doc.find_all("script")]
    # the start-up script before YASGUI's bundle: it gives YASGUI's style elements the nonce
    assert scripts == ["/ui/static/ui.js", "/ui/static/sparql-init.js", "/ui/static/vendor/yasgui/yasgui.min.js"]
    for src in [*scripts, "/ui/static/vendor/yasgui/yasgui.min.css"]:
        assert ui_client.get(src or "").status_code == 200, src
    host = doc.by_id("yasgui")
    assert host.get("hidden") is not None and host.get("data-config") == "/ui/sparql/yasgui.json"
    assert doc.by_id("sparql-form") is not None  # the form stays for browsers without JavaScript
    policy = _policy(response.headers["content-security-policy"])
    nonce = doc.find_all("script")[1].get("nonce")
    assert nonce and policy["style-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert policy["script-src"] == ["'self'"] and policy["connect-src"] == ["'self'"]
    assert not any("unsafe" in source for sources in policy.values() for source in sources)
    assert nonce not in ui_client.get("/ui/sparql").headers["content-security-policy"]  # one per response
    bundle = ui_client.get("/ui/static/vendor/yasgui/yasgui.min.js").text
    for address in ("lov.linkeddata.es", "dbpedia.org/sparql", "query.wikidata.org"):
        assert address not in bundle, address  # removed when vendored
    assert ui_client.get("/ui/static/vendor/yasgui/package.json").status_code == 404  # an allow-list


def test_sparql_page_configuration_comes_from_the_server(ui_client: TestClient) -> None:
    config = ui_client.get("/ui/sparql/yasgui.json").json()
    assert config["endpoint"] == "http://testserver/sparql"
    prefixes = config["prefixes"]
    assert prefixes == known_prefixes() and list(prefixes)[:2] == ["cpk", "cpkr"]
    assert {"dcterms", "skos", "rdfs", "owl", "prov"} <= set(prefixes)
    assert all(f"PREFIX {p}: <{ns}>" in config["defaultQuery"] for p, ns in prefixes.items())
    assert [e["name"] for e in config["examples"]] == list(named_queries())
    assert all(e["query"] == named_queries()[e["name"]].text for e in config["examples"])
    assert "https://w3id.org/coprokg/ontology#CoGovernanceCase" in config["terms"]["classes"]
    assert "https://w3id.org/coprokg/ontology#policyDomain" in config["terms"]["properties"]
    # the default query runs as it is
    answer = ui_client.post("/sparql", data={"query": config["defaultQuery"]})
    assert answer.status_code == 200 and answer.json()["head"]["vars"] == ["case", "title", "level"]


def test_sparql_page_without_yasgui_files_is_the_form(
    ui_client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vendor, "VENDOR_DIR", tmp_path / "vendor")
    response = ui_client.get("/ui/sparql")
    doc = html(response)
    assert [el.get("src") for el in doc.find_all("script")] == ["/ui/static/ui.js"]
    assert doc.find_all(id="yasgui") == [] and doc.by_id("sparql-form") is not None
    assert "connect-src" not in response.headers["content-security-policy"]


def test_sparql_form_resolves_relative_iris_and_orders_select_star(ui_client: TestClient) -> None:
    doc = html(ui_client.get("/ui/sparql", params={"query": "SELECT * WHERE { BIND(<case> AS ?z) BIND(1 AS ?a) }"}))
    assert [th.text() for th in doc.find("thead").find_all("th")] == ["z", "a"]  # as the query names them
    assert doc.find("tbody").find("a", href="http://testserver/case") is not None  # against the endpoint


# ---------------------------------------------------------------- ontology, plots, static files
def test_ontology_documentation_has_an_anchor_per_term(ui_client: TestClient) -> None:
    doc = html(ui_client.get("/ui/ontology"))
    ids = {el.get("id") for el in doc.find_all(id=True)}
    graph = default_ontology().graph
    terms = {
        local_name(str(s))
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)
        for s in graph.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith("https://w3id.org/coprokg/ontology#")
    }
    assert len(terms) > 250 and terms <= ids
    entry = doc.by_id("CoGovernanceCase")
    assert "co-governance" in entry.find("h3").text()
    assert entry.find("a", href="#PlanningStage") is not None  # the axiom links its terms
    value = doc.by_id("decision-co-decides")
    assert "joint decision" in value.text() and value.find("a", href="#arnstein-partnership") is not None
    assert "https://creativecommons.org/licenses/by/4.0/" in doc.by_id("section-metadata").parent.text()
    # every in-page link points at an element of the page
    targets = {a.get("href", "")[1:] for a in doc.find_all("a") if (a.get("href") or "").startswith("#")}
    assert targets <= ids, sorted(targets - ids)[:5]


def described(entry: Element, name: str) -> list[Element]:
    """The ``dd`` elements under the ``dt`` named ``name`` in a term entry's definition list."""
    dl = entry.find("dl")
    assert dl is not None
    found, current = [], None
    for child in dl.children:
        if isinstance(child, Element) and child.tag == "dt":
            current = child.text()
        elif isinstance(child, Element) and child.tag == "dd" and current == name:
            found.append(child)
    return found


def hrefs(elements: list[Element]) -> set[str]:
    return {a.get("href") or "" for el in elements for a in el.find_all("a")}


def test_ontology_classes_list_the_properties_that_use_them(ui_client: TestClient) -> None:
    doc = html(ui_client.get("/ui/ontology"))
    case = doc.by_id("Case")
    assert {"#hasActor", "#hasParticipation", "#initiatedBy"} <= hrefs(described(case, "In the domain of"))
    assert "#initiates" in hrefs(described(case, "In the range of"))
    actor = doc.by_id("Actor")
    assert {"#hasActor", "#initiatedBy"} <= hrefs(described(actor, "In the range of"))
    assert "#actorKind" in hrefs(described(doc.by_id("ActorKind"), "In the range of"))
    # and each property names its domain and range
    has_actor = doc.by_id("hasActor")
    assert hrefs(described(has_actor, "Domain")) == {"#Case"} and hrefs(described(has_actor, "Range")) == {"#Actor"}


def test_ontology_a_to_z_index_links_every_term(ui_client: TestClient) -> None:
    doc = html(ui_client.get("/ui/ontology"))
    index = doc.by_id("section-index").parent
    assert index is not None
    entries = index.find_all("li")
    governance = [
        li for li in entries if li.find("code") is not None and li.find("code").text() == "cpk:CoGovernanceCase"
    ]
    assert len(governance) == 1
    link = governance[0].find("a")
    assert link.get("href") == "#CoGovernanceCase" and link.text() == "co-governance"
    heading = doc.by_id("index-C")
    assert heading.parent is not None
    siblings = [el for el in heading.parent.children if isinstance(el, Element)]
    assert governance[0].parent is siblings[siblings.index(heading) + 1]  # listed under C
    # every term entry of the page is in the index once, and every index link has its entry
    terms = {el.get("id") for el in doc.find_all("article", class_="term")}
    targets = [a.get("href", "")[1:] for li in index.find_all("ul", class_="index-entries") for a in li.find_all("a")]
    assert len(targets) == len(set(targets)) and set(targets) == terms
    letters = [a.get("href") for a in index.find("nav").find_all("a")]
    assert "#index-C" in letters and all(doc.by_id(href[1:]).tag == "h3" for href in letters)
    assert doc.find("a", href="#section-index") is not None  # in the contents


def test_ontology_download_links_answer_with_their_media_types(ui_client: TestClient) -> None:
    doc = html(ui_client.get("/ui/ontology"))
    links = {a.text(): a for a in doc.find("p", class_="downloads").find_all("a")}
    assert set(links) == {"Turtle", "RDF/XML", "JSON-LD"}
    parsers = {
        "text/turtle": ox.RdfFormat.TURTLE,
        "application/rdf+xml": ox.RdfFormat.RDF_XML,
        "application/ld+json": ox.RdfFormat.JSON_LD,
    }
    owl_class = ox.Triple(
        ox.NamedNode("https://w3id.org/coprokg/ontology#CoGovernanceCase"),
        ox.NamedNode(str(RDF.type)),
        ox.NamedNode(str(OWL.Class)),
    )
    document = ui_client.get("/openapi.json").json()
    for label, link in links.items():
        href, media_type = link.get("href") or "", link.get("type") or ""
        assert link.get("download") is not None
        response = ui_client.get(href, headers={"Accept": BROWSER_ACCEPT})  # a fixed format, whatever Accept says
        assert response.status_code == 200, label
        assert response.headers["content-type"].split(";")[0] == media_type, label
        assert "attachment" in response.headers["content-disposition"]
        triples = {q.triple for q in ox.parse(response.content, format=parsers[media_type])}
        assert owl_class in triples and len(triples) > 2000, label
        documented = document["paths"][href]["get"]["responses"]
        assert set(documented["200"]["content"]) == {media_type}
        assert documented["503"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}


def cases_entry(doc: Element, anchor: str) -> Element:
    found = described(doc.by_id(anchor), "Cases")
    assert len(found) == 1, anchor
    return found[0]


def count_of(link: Element) -> int:
    number, word = link.text().split()
    assert word in ("case", "cases")
    return int(number)


def test_ontology_terms_link_to_the_cases_that_use_them(ui_client: TestClient) -> None:
    doc = html(ui_client.get("/ui/ontology"))

    # a stage: "N cases" opens the SPARQL editor listing them all; up to 20 are listed on the page
    commissioning = cases_entry(doc, "stage-commissioning")
    everything = commissioning.find("a")
    assert everything.get("href", "").startswith("/ui/sparql?")
    listed = commissioning.find("details", class_="case-list").find_all("a")
    assert 0 < len(listed) <= 20 and all((a.get("href") or "").startswith("/ui/cases/") for a in listed)
    page = html(ui_client.get(everything.get("href") or ""))
    rows = page.find("table", class_="results-table").find("tbody").find_all("tr")
    assert len(rows) == count_of(everything) > 20
    assert page.find("a", href=f"/ui/cases/{BUURT}") is not None
    api_rows = ui_client.get("/cases", params={"limit": 500}).json()["items"]
    assert count_of(everything) < len(api_rows)  # not every case has citizens in commissioning

    # a policy domain, a citizen role and the top level: the case list, filtered, with the same count
    for anchor, query in (
        ("domain-public-safety", "domain=public-safety"),
        ("CoproducerRole", "role=CoproducerRole"),
        ("CoGovernanceCase", "level=co-governance"),
    ):
        link = cases_entry(doc, anchor).find("a")
        assert link.get("href") == f"/ui/cases?{query}", anchor
        listing = html(ui_client.get(link.get("href") or ""))
        assert listing.by_id("case-count").text().startswith(f"{count_of(link)} of "), anchor
        if anchor != "CoproducerRole":
            assert BUURT in row_ids(listing)

    # a lower level: the cases classified in it (a co-governance case is a co-management case too),
    # and, apart, the cases whose power-transfer level it is
    management = cases_entry(doc, "CoManagementCase")
    members, at_level = management.find("a"), management.find("p", class_="level-cases").find("a")
    assert at_level.get("href") == "/ui/cases?level=co-management"
    levels = [c["power_transfer"] for c in api_rows]
    assert count_of(at_level) == levels.count("co-management")
    query = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a <https://w3id.org/coprokg/ontology#CoManagementCase> }"
    answer = ui_client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert count_of(members) == int(answer.text.split()[1]) > count_of(at_level)


def test_ontology_case_counts_follow_the_store(ui_client: TestClient) -> None:
    def count(anchor: str) -> int:
        return count_of(cases_entry(html(ui_client.get("/ui/ontology")), anchor).find("a"))

    before = count("stage-commissioning")
    case = json.loads(ui_client.get(f"/cases/{BUURT}").content)
    case.update(id="ui-ontology-count")
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    assert ui_client.put("/cases/ui-ontology-count", content=json.dumps(case), headers=auth).status_code == 201
    try:
        assert count("stage-commissioning") == before + 1
    finally:
        ui_client.delete("/cases/ui-ontology-count", headers=auth)
    assert count("stage-commissioning") == before


def test_ontology_page_without_the_store_says_what_is_missing() -> None:
    from api.ui.ontology_page import ontology_page
    from coprokg.errors import StoreUnavailable

    class GoneStore:
        def term_usage(self) -> None:
            raise StoreUnavailable("the store directory is gone")

    response = ontology_page(GoneStore())  # type: ignore[arg-type]
    assert response.status_code == 200
    doc = parse(bytes(response.body).decode("utf-8"))
    assert "the store directory is gone" in doc.find("p", role="status").text()
    assert doc.find("dd", class_="cases") is None and doc.by_id("CoGovernanceCase") is not None


def test_ontology_by_content_negotiation(ui_client: TestClient) -> None:
    page = ui_client.get("/ontology", headers={"Accept": BROWSER_ACCEPT})
    assert page.headers["content-type"].startswith("text/html") and "Accept" in page.headers["vary"]
    assert html(page).by_id("CoGovernanceCase") is not None
    for accept in (None, "*/*", "text/turtle"):
        headers = {"Accept": accept} if accept else {}
        assert ui_client.get("/ontology", headers=headers).headers["content-type"].startswith("text/turtle")


def test_plots_count_every_case_and_follow_the_store(ui_client: TestClient) -> None:
    def plots() -> tuple[Element, int]:
        doc = html(ui_client.get("/ui/plots"))
        svgs = doc.find_all("svg", class_="chart")
        assert len(svgs) == 2 and all(s.get("role") == "img" and s.find("title") is not None for s in svgs)
        totals = [
            int(row.find_all("td")[-1].text())
            for row in doc.find_all("details", class_="data-table")[1].find("tbody").find_all("tr")
        ]
        return doc, sum(totals)

    doc, before = plots()
    assert before == ui_client.get("/healthz").json()["cases"]
    assert "public order and safety" in doc.find_all("svg", class_="chart")[0].text()
    case = json.loads(ui_client.get(f"/cases/{BUURT}").content)
    case.update(id="ui-plot-iceland", country="IS")
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    assert ui_client.put("/cases/ui-plot-iceland", content=json.dumps(case), headers=auth).status_code == 201
    try:
        doc, after = plots()
        assert after == before + 1 and "IS" in doc.find_all("svg", class_="chart")[1].text()
        svg = ui_client.get("/ui/plots/level-by-country.svg")
        assert svg.headers["content-type"].startswith("image/svg+xml") and ">IS</text>" in svg.text
    finally:
        ui_client.delete("/cases/ui-plot-iceland", headers=auth)


def test_pages_load_nothing_from_elsewhere(ui_client: TestClient) -> None:
    for path in ("/", f"/ui/cases/{BUURT}", "/ui/classify", "/ui/sparql", "/ui/plots", "/ui/ontology"):
        response = ui_client.get(path)
        assert "default-src 'none'" in response.headers["content-security-policy"], path
        doc = parse(response.text)
        scripts = [el.get("src") for el in doc.find_all("script")]
        assets = scripts + [el.get("href") for el in doc.find_all("link", rel="stylesheet")]
        assert assets and all((a or "").startswith("/ui/static/") for a in assets), (path, assets)
        assert doc.find(style=True) is None and doc.find("style") is None  # no inline style under the CSP
    for name, media in (("style.css", "text/css"), ("ui.js", "text/javascript"), ("ontology.css", "text/css")):
        response = ui_client.get(f"/ui/static/{name}")
        assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    assert ui_client.get("/ui/static/..%2Fmain.py").status_code == 404
    assert ui_client.get("/ui/static/secret.txt").status_code == 404


def test_form_helper_examples() -> None:
    """The docstring examples of ``api.ui.forms`` (also run by --doctest-modules, now that api/ is a test path)."""
    import api.ui.forms

    assert doctest.testmod(api.ui.forms).failed == 0


def test_classify_form_reads_a_country_name_and_a_decade(ui_client: TestClient) -> None:
    """The form stores what a person meant: "Netherlands" is NL (not NE, Niger), "1960s" is 196X."""
    case_id = "ui-forgiving-park"
    data = {**DESCRIBED, "case_id": case_id, "country": "Netherlands", "started": "1960s"}
    doc = classify(ui_client, data)
    notes = doc.find("p", class_="notes")
    assert notes is not None and "country: 'Netherlands' read as 'NL'" in notes.text()
    assert "started: '1960s' read as '196X'" in notes.text()
    saved = classify(ui_client, data, 201, action="save", token=TOKEN)
    assert saved.by_id("saved") is not None
    stored = ui_client.get(f"/cases/{case_id}").json()
    assert stored["country"] == "NL" and stored["started"] == "196X"
    assert ui_client.delete(f"/cases/{case_id}", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 204
