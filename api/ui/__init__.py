"""The web pages, one module per page, and what they share (``render``).

Page rendering lives here, not in the library: ``coprokg`` answers questions about cases and the
ontology; ``api.ui`` turns the answers into HTML (plots, ontology documentation, result tables,
forms). Every handler calls the library through its public names, as the JSON routes do.
"""

from fastapi import APIRouter

from api.ui import assets, case_page, cases_page, classify_page, ontology_page, plots_page, sparql_page

router = APIRouter(include_in_schema=False)
for _module in (assets, ontology_page, cases_page, case_page, classify_page, sparql_page, plots_page):
    router.include_router(_module.router)
