"""The web pages in a real browser: Debian's headless Chromium driven by Playwright.

The real app runs under uvicorn on a free loopback port over a store loaded with the curated
cases. Every page is checked for script errors and for requests leaving the machine, and a
screenshot of each is saved to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, Route, expect, sync_playwright
from support import SCREENSHOTS, LiveServer

from coprokg.ontology import default_ontology

pytest_plugins = ["uifixtures"]

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BUURT = "buurt-bestuurt-rotterdam"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's Chromium is missing: `apt-get install chromium` (`make install` does it)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Visit:
    """A page in a fresh browser context, with what went wrong in it."""

    page: Page
    problems: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def shot(self, name: str, *, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        assert path.stat().st_size > 5000
        return path


def _visit(
    browser: Browser, app: LiveServer, width: int = 1280, height: int = 900, *, javascript: bool = True
) -> Iterator[Visit]:
    context = browser.new_context(
        base_url=app.url, viewport={"width": width, "height": height}, java_script_enabled=javascript
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    visit = Visit(page)

    def local_only(route: Route) -> None:
        if route.request.url.startswith((app.url, f"blob:{app.url}")):
            route.continue_()
        else:
            visit.outside.append(route.request.url)
            route.abort()

    context.route("**/*", local_only)

    def console(message: ConsoleMessage) -> None:
        # a page answered with 4xx (a form with errors) is logged as a failed load: failed
        # resources are caught by status below instead, so only the stylesheet and script count
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            visit.problems.append(message.text)

    def response(answer: Response) -> None:
        if answer.status >= 400 and answer.request.resource_type != "document":
            visit.problems.append(f"{answer.status} for {answer.url}")

    page.on("console", console)
    page.on("response", response)
    page.on("pageerror", lambda error: visit.problems.append(str(error)))
    yield visit
    context.close()
    assert not visit.problems, f"errors in the page (script or Content-Security-Policy): {visit.problems}"
    assert not visit.outside, f"the page tried to fetch from elsewhere: {visit.outside}"


@pytest.fixture
def visit(browser: Browser, live_app: LiveServer) -> Iterator[Visit]:
    yield from _visit(browser, live_app)


@pytest.fixture
def narrow(browser: Browser, live_app: LiveServer) -> Iterator[Visit]:
    yield from _visit(browser, live_app, width=375, height=800)


@pytest.fixture
def no_script(browser: Browser, live_app: LiveServer) -> Iterator[Visit]:
    """A browser with JavaScript switched off."""
    yield from _visit(browser, live_app, javascript=False)


def test_cases_page_and_filter(visit: Visit) -> None:
    page = visit.page
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Cases of citizen coproduction")
    rows = page.locator("table.cases tbody tr")
    total = httpx.get(f"{visit.page.url.rstrip('/')}/cases", params={"limit": 1}).json()["total"]
    assert total >= 150
    expect(rows).to_have_count(50)  # a page of 50, with the total and the range shown
    expect(page.locator("#case-count")).to_contain_text(f"{total} cases.")
    expect(page.locator("#case-count")).to_contain_text("Showing 1–50.")
    expect(page.get_by_role("link", name="Next page")).to_be_visible()
    visit.shot("cases")

    page.get_by_label("Policy domain").select_option("public-safety")
    page.get_by_label("Power-transfer level").select_option("co-governance")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/ui/cases\?q=&domain=public-safety&country=&level=co-governance&role=$"))
    expect(page.get_by_role("link", name=re.compile("^Buurt Bestuurt"))).to_be_visible()
    assert 0 < rows.count() < 50
    expect(page.locator("#case-count")).to_contain_text(f"of {total} cases match")
    for level in rows.locator("td .level").all_inner_texts():
        assert level == "co-governance"
    expect(page.get_by_label("Policy domain")).to_have_value("public-safety")  # the form shows the filter
    visit.shot("cases-filtered")

    page.goto("/ui/cases")
    page.get_by_label("Search titles and descriptions").fill("participatory budget")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name=re.compile("Porto Alegre"))).to_be_visible()
    page.get_by_role("link", name=re.compile("^Country")).click()  # sort by country
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Country")
    countries = rows.locator("td:nth-child(3)").all_inner_texts()
    assert countries == sorted(countries, key=str.casefold) and "Brazil" in countries  # names, not codes


def test_case_page_reads_both_levels_and_flags_the_source(visit: Visit) -> None:
    """A researcher opens a case whose source states another level: a plain sentence first, both
    readings, and the disagreement flagged at the top with the source and the reason."""
    page = visit.page
    page.goto("/ui/cases/german-housing-cooperatives")
    flag = page.locator(".disagreement")
    expect(flag).to_be_visible()
    expect(flag).to_contain_text("The source states a different level.")
    expect(flag).to_contain_text("co-production")  # what the source says
    expect(flag).to_contain_text("co-governance")  # coprokg's level, with why
    expect(flag).to_contain_text("Why coprokg's: The participation of Cooperative members")
    summary = page.locator("section.why .explanation .summary")
    expect(summary).to_contain_text("so the case reaches co-governance — Meijer 2016, p. 604.")
    expect(page.locator("section.why .axiom")).not_to_be_visible()  # the axiom is one click away
    page.locator("section.why details.axiom-details > summary").click()
    expect(page.locator("section.why .axiom")).to_be_visible()
    readings = page.locator("ul.readings")
    expect(readings).to_contain_text("actor-based reading (Brandsen & Pestoff 2006)")
    expect(page.locator(".verdict .reading")).to_contain_text("co-decision reading (Meijer 2016)")
    sources = page.locator("ul.sources")
    expect(sources).to_contain_text("Meijer, Albert (2016). Coproduction as a structural transformation")
    expect(sources.locator('a[href="https://doi.org/10.1108/IJPSM-01-2016-0001"]')).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("reconstructed from seed layout")  # curator notes stay out
    visit.shot("case-two-readings")


def test_case_page_shows_why_it_is_co_governance(visit: Visit) -> None:
    page = visit.page
    page.goto("/ui/cases?country=NL")
    page.get_by_role("link", name=re.compile("^Buurt Bestuurt")).click()
    expect(page).to_have_url(re.compile(f"/ui/cases/{BUURT}$"))
    expect(page.locator("#power-transfer")).to_have_text("co-governance")
    why = page.locator("section.why")
    expect(why.get_by_role("heading")).to_have_text("Why this is co-governance")
    expect(why.locator(".axiom")).to_contain_text("co-governance ≡")
    expect(why.locator("ul.facts")).to_contain_text("at stage — commissioning")
    expect(why.locator("ul.facts")).to_contain_text("decision right — co-decides")
    expect(page.locator("table.participations tbody tr")).to_have_count(7)
    expect(page.locator("li.risk").first).to_contain_text("Meijer 2016")
    expect(page.locator("svg.graph")).to_be_visible()
    # a role's explanation opens from the keyboard
    summary = page.locator("details > summary", has_text="coproducer").first
    summary.focus()
    page.keyboard.press("Enter")
    expect(summary.locator("xpath=..")).to_have_attribute("open", "")
    expect(summary.locator("xpath=..").locator(".axiom")).to_contain_text("coproducer ≡")
    visit.shot("case")


def test_classify_form_shows_the_level(visit: Visit) -> None:
    page = visit.page
    page.goto("/ui/classify")
    page.get_by_label("Title").fill("Residents co-design the neighbourhood park")
    page.get_by_label("Description").fill("Residents and the city jointly decide the design of a new park.")
    page.get_by_label("Policy domain").select_option("community-development")
    page.locator("#f-country").fill("nl")
    page.locator("#f-actors-0-label").fill("Neighbourhood residents")
    page.locator("#f-actors-0-kind").select_option("citizen-collective")
    page.locator("#f-actors-1-label").fill("Municipality")
    page.locator("#f-actors-1-kind").select_option("public-agency")
    # the script names the actors in the participation drop-downs as they are typed
    expect(page.locator("#f-participations-0-actor option[value='1']")).to_have_text("Actor 1: Neighbourhood residents")
    page.locator("#f-participations-0-actor").select_option("1")
    page.locator("#f-participations-0-stage").select_option("design")
    page.locator("#f-participations-0-decision").select_option("co-decides")
    definition = default_ontology().vocabularies["decision"].values["co-decides"].definition
    expect(page.locator("#help-participations-0-decision")).to_have_text(definition)
    page.locator("#f-participations-0-contributes-time").check()
    page.locator("#f-participations-1-actor").select_option("2")
    page.locator("#f-participations-1-stage").select_option("delivery")
    page.locator("#f-participations-1-decision").select_option("decides")
    # Enter in a text field classifies (the form's first button), it does not add a row
    page.get_by_label("Title").press("Enter")
    expect(page.locator("#power-transfer")).to_have_text("co-governance")
    expect(page.locator("section.why")).to_contain_text("Neighbourhood residents")
    expect(page.locator("#f-country")).to_have_value("NL")
    visit.shot("classify")

    # a missing stage is shown next to its field, and the summary links to it
    page.locator("#f-participations-1-stage").select_option("")
    page.get_by_role("button", name="Classify", exact=True).click()
    expect(page.locator("#err-participations-1-stage")).to_be_visible()
    expect(page.locator("#error-summary")).to_be_focused()
    page.locator("#error-summary a").first.click()
    expect(page).to_have_url(re.compile("#f-participations-1-stage$"))
    visit.shot("classify-error")


def test_sparql_form_without_javascript_shows_rows(no_script: Visit) -> None:
    page = no_script.page
    page.goto("/ui/sparql")
    expect(page.locator("#yasgui")).to_be_hidden()
    page.get_by_label("SPARQL query").fill(
        "PREFIX cpk: <https://w3id.org/coprokg/ontology#>\n"
        "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
        "SELECT ?case ?title WHERE { ?case a cpk:Case ; dcterms:title ?title } ORDER BY ?title"
    )
    page.get_by_role("button", name="Run query").click()
    rows = page.locator("table.results-table tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 59
    expect(page.locator("#result-count")).to_contain_text(f"{rows.count()} rows")
    expect(page.get_by_role("link", name="CSV")).to_have_attribute(
        "href", re.compile(r"^/ui/sparql/results\.csv\?query=")
    )
    no_script.shot("sparql-no-javascript")

    page.get_by_role("link", name="Compensation by power-transfer level").click()
    expect(page.get_by_label("SPARQL query")).to_contain_text("compensation")
    expect(page.locator("table.results-table tbody tr").first).to_be_visible()

    page.get_by_label("SPARQL query").fill("ASK { ?s ?p ?o }")
    page.get_by_role("button", name="Run query").click()
    expect(page.locator("#result-count")).to_contain_text("yes (true)")


def _column(page: Page, name: str) -> list[str]:
    """The texts of one column of YASGUI's results table, in the order shown."""
    headers = page.locator(".yasr table.dataTable thead th").all_inner_texts()
    index = [h.strip() for h in headers].index(name) + 1
    return [t.strip() for t in page.locator(f".yasr table.dataTable tbody td:nth-child({index})").all_inner_texts()]


def test_sparql_page_is_yasgui(visit: Visit, live_app: LiveServer) -> None:
    page = visit.page
    page.goto("/ui/sparql")
    editor = page.locator(".yasgui .CodeMirror")
    expect(editor).to_be_visible()
    expect(page.locator("#sparql-form")).to_be_hidden()  # the form without JavaScript gives way
    for prefix in ("cpk", "cpkr", "dcterms", "skos", "rdfs", "owl", "prov"):  # preloaded
        expect(editor).to_contain_text(f"PREFIX {prefix}: <")
    visit.shot("sparql-yasgui", full_page=False)

    # a named query opens in a tab of its own and runs: a table with rows
    page.get_by_role("link", name="Power-transfer level by policy domain and country").click()
    expect(page).to_have_url(re.compile(r"/ui/sparql\?example=level-by-domain-and-country$"))
    expect(page.locator(".yasgui .tab.active")).to_contain_text("Power-transfer level by policy domain and country")
    rows = page.locator(".yasr table.dataTable tbody tr")
    expect(rows.first).to_be_visible()
    answer = httpx.get(f"{live_app.url}/queries/level-by-domain-and-country", timeout=30).json()
    total = len(answer["results"]["bindings"])
    expect(page.locator(".yasr_response_chip:visible")).to_have_text(re.compile(rf"^{total} results in "))
    assert rows.count() == min(total, 50) > 5  # the first page
    headers = [h.strip() for h in page.locator(".yasr table.dataTable thead th").all_inner_texts()]
    assert headers[1:] == ["domain", "country", "level", "cases"]  # in the order the query names them
    visit.shot("sparql-yasgui-example")

    # sorting a column reorders the rows: ascending, then descending (the table ignores case)
    header = page.locator(".yasr table.dataTable thead th", has_text="country")
    header.click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    ascending = _column(page, "country")
    assert ascending == sorted(ascending, key=str.casefold) and len(set(ascending)) > 1
    header.click()
    expect(header).to_have_attribute("aria-sort", "descending")
    descending = _column(page, "country")
    assert descending == sorted(descending, key=str.casefold, reverse=True) and descending[0] != ascending[0]
    visit.shot("sparql-yasgui-sorted", full_page=False)

    # a chart of the same results: a bar per row, as long as the numeric column says
    page.locator(".yasr_btnGroup button.select_chart:visible").click()
    chart = page.locator(".yasr figure.results-chart:visible")
    expect(chart).to_be_visible()
    expect(chart.locator("svg rect")).to_have_count(min(total, 60))
    expect(chart.locator("figcaption")).to_contain_text("cases by domain, country, level")
    widths = [
        float(w or 0) for w in chart.locator("svg rect").evaluate_all("els => els.map(e => e.getAttribute('width'))")
    ]
    counts = [int(b["cases"]["value"]) for b in answer["results"]["bindings"]][: len(widths)]
    assert max(widths) == widths[counts.index(max(counts))]  # the longest bar is the largest count
    visit.shot("sparql-yasgui-chart", full_page=False)


def test_sparql_yasgui_completes_prefixes_and_explains_errors(visit: Visit) -> None:
    page = visit.page
    page.goto("/ui/sparql")
    page.locator(".yasgui .CodeMirror").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    # typing a prefix coprokg knows declares it
    page.keyboard.type("SELECT ?case WHERE { ?case a cpk:Case }")
    page.keyboard.press("Escape")
    expect(page.locator(".yasgui .CodeMirror")).to_contain_text("PREFIX cpk: <https://w3id.org/coprokg/ontology#>")
    page.locator(".yasqe_queryButton").click()
    expect(page.locator(".yasr table.dataTable tbody tr").first).to_be_visible()
    # IRIs are shortened with the prefixes
    expect(page.locator(".yasr table.dataTable tbody a.iri").first).to_have_text(re.compile(r"^https://|^\w+:"))

    # a prefix nobody declared: the service's one sentence, with its line and column
    page.locator(".yasgui .CodeMirror").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type("SELECT * WHERE { ?s foo:bar ?o }")
    page.keyboard.press("Escape")
    page.locator(".yasqe_queryButton").click()
    error = page.locator(".sparql-error [role=alert]")
    expect(error).to_have_text(
        "line 1, column 21: the prefix 'foo:' is not declared; declare it with PREFIX foo: <…> before the query"
    )
    error.scroll_into_view_if_needed()
    visit.shot("sparql-yasgui-error", full_page=False)
    # the 400 behind it is the answer expected here, not a fault of the page
    expected = [p for p in visit.problems if p.startswith("400 for ") and p.endswith("/sparql")]
    assert len(expected) == 1
    visit.problems.remove(expected[0])


def test_ontology_page_and_term_links(visit: Visit) -> None:
    page = visit.page
    page.goto("/ontology")  # the ontology IRI's page, by content negotiation
    expect(page.locator("h1")).to_contain_text("coprokg")
    page.locator(".hierarchy a[href='#CoGovernanceCase']").first.click()
    expect(page).to_have_url(re.compile("/ontology#CoGovernanceCase$"))
    term = page.locator("#CoGovernanceCase")
    expect(term).to_be_in_viewport()
    expect(term.locator(".axiom")).to_contain_text("planning stage")
    visit.shot("ontology", full_page=False)
    term.locator(".axiom a[href='#PlanningStage']").click()
    expect(page.locator("#PlanningStage")).to_be_in_viewport()

    # the A–Z index leads to a term, and the term to the cases classified in it
    page.locator(".az-index a[href='#CoGovernanceCase']").click()
    expect(term).to_be_in_viewport()
    term.locator("dd.cases > a").click()
    expect(page).to_have_url(re.compile(r"/ui/cases\?level=co-governance$"))
    expect(page.get_by_role("link", name=re.compile("^Buurt Bestuurt"))).to_be_visible()

    # a vocabulary value on a case page leads to its entry
    page.goto(f"/ui/cases/{BUURT}")
    page.locator("table.participations a[href='/ui/ontology#decision-co-decides']").first.click()
    expect(page.locator("#decision-co-decides")).to_be_in_viewport()
    expect(page.locator("#decision-co-decides")).to_contain_text("co-decides")
    visit.shot("ontology-term", full_page=False)


def test_plots_page(visit: Visit) -> None:
    page = visit.page
    page.goto("/ui/plots")
    charts = page.locator("svg.chart")
    expect(charts).to_have_count(2)
    expect(charts.first).to_be_visible()
    expect(page.get_by_role("img", name="Power-transfer level by country")).to_be_visible()
    visit.shot("plots")


def test_keyboard_skip_link(visit: Visit) -> None:
    page = visit.page
    page.goto("/ui/sparql")
    # once the editor has started (it writes the page's address as it does, which would race the key)
    expect(page.locator(".yasgui .CodeMirror")).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))


@pytest.mark.parametrize(
    "path", ["/", f"/ui/cases/{BUURT}", "/ui/classify", "/ui/sparql?example=compensation-by-level"]
)
def test_readable_on_a_narrow_screen(narrow: Visit, path: str) -> None:
    page = narrow.page
    page.goto(path)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 375px"
    name = {"/": "cases", "/ui/classify": "classify"}.get(path, "case" if BUURT in path else "sparql")
    narrow.shot(f"narrow-{name}")


# Swagger UI: one block per operation; Redoc: one endpoint button per operation (verb, then path)
_SHOWN_OPERATIONS = {
    "/docs": """() => Array.from(document.querySelectorAll('.opblock')).map(block => [
        block.querySelector('.opblock-summary-method').textContent.trim(),
        block.querySelector('.opblock-summary-path').dataset.path])""",
    "/redoc": """() => Array.from(document.querySelectorAll('button > .http-verb')).map(verb => [
        verb.textContent.trim().toUpperCase(), verb.nextElementSibling.textContent.trim()])""",
}


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_api_docs_list_every_operation(visit: Visit, live_app: LiveServer, path: str) -> None:
    """The page renders the OpenAPI document: every operation of /openapi.json is on it (not just a 200)."""
    document = httpx.get(f"{live_app.url}/openapi.json", timeout=30).json()
    expected = {(method.upper(), route) for route, operations in document["paths"].items() for method in operations}
    assert {("GET", "/sparql"), ("POST", "/classify"), ("PUT", "/cases/{case_id}"), ("GET", "/healthz")} <= expected
    page = visit.page
    page.goto(path)
    item = page.locator(".opblock" if path == "/docs" else "button > .http-verb")
    expect(item).to_have_count(len(expected))
    shown = [tuple(pair) for pair in page.evaluate(_SHOWN_OPERATIONS[path])]
    assert sorted(shown) == sorted(expected)
    expect(page.get_by_role("navigation", name="API documentation")).to_contain_text("openapi.json")
    visit.shot("docs-swagger-ui" if path == "/docs" else "docs-redoc", full_page=False)

    if path == "/docs":  # "Try it out" reaches the API under the page's policy
        page.locator("#operations-health-health").click()
        page.get_by_role("button", name="Try it out").click()
        page.get_by_role("button", name="Execute").click()
        expect(page.locator(".live-responses-table tbody .response-col_status")).to_contain_text("200")
        expect(page.locator(".live-responses-table tbody .response-col_description")).to_contain_text('"status": "ok"')
    else:  # the search runs in Redoc's worker
        page.get_by_placeholder("Search...").fill("classification")
        results = page.locator("[data-role='search:results'] li")
        expect(results.first).to_be_visible()
        expect(page.locator("[data-role='search:results']")).to_contain_text("Classify Case")
