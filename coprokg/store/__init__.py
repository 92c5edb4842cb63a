"""The graph store: one interface (``GraphStore``), two backends.

* ``EmbeddedStore`` — on-disk Oxigraph (pyoxigraph) at ``COPROKG_STORE_PATH``: the default.
* ``RemoteStore`` — any SPARQL 1.1 Protocol endpoint at ``COPROKG_SPARQL_QUERY_URL`` (and
  ``COPROKG_SPARQL_UPDATE_URL``), with the engine adapter ``COPROKG_SPARQL_ENGINE`` (``generic``,
  ``oxigraph``, ``virtuoso``: ``coprokg.store.engines``).

The ontology, the shapes and each case live in named graphs; user queries see their union as
the default graph. ``open_store(settings)`` picks the backend.
"""

from __future__ import annotations

from coprokg.settings import Settings
from coprokg.store.base import CasePage, CaseSummary, GraphStore, QueryRequest, UpdateRequest
from coprokg.store.embedded import EmbeddedStore
from coprokg.store.finding import CaseQuery, CitizenRole, citizen_roles, domain_family
from coprokg.store.records import CaseRecord, build_record, classification_graph, triples_to_graph
from coprokg.store.remote import RemoteStore
from coprokg.store.usage import TermUsage, UsageKind, UsedCase, cases_sparql

__all__ = [
    "CasePage",
    "CaseQuery",
    "CaseRecord",
    "CaseSummary",
    "CitizenRole",
    "EmbeddedStore",
    "GraphStore",
    "QueryRequest",
    "RemoteStore",
    "TermUsage",
    "UpdateRequest",
    "UsageKind",
    "UsedCase",
    "build_record",
    "cases_sparql",
    "citizen_roles",
    "classification_graph",
    "domain_family",
    "open_store",
    "triples_to_graph",
]


def open_store(settings: Settings) -> GraphStore:
    """The store the settings describe (remote when a query URL is set, else embedded)."""
    if settings.sparql_query_url:
        return RemoteStore(
            settings.sparql_query_url,
            settings.sparql_update_url,
            username=settings.sparql_username,
            password=settings.sparql_password.get_secret_value() if settings.sparql_password else None,
            bearer_token=settings.sparql_bearer_token.get_secret_value() if settings.sparql_bearer_token else None,
            query_timeout=settings.query_timeout,
            max_rows=settings.max_rows,
            engine=settings.sparql_engine,
        )
    return EmbeddedStore(
        settings.store_path,
        query_timeout=settings.query_timeout,
        max_rows=settings.max_rows,
        workers=settings.worker_count,
        worker_memory_mb=settings.worker_memory_mb,
    )
