"""Unsafe or inconsistent settings are refused before anything starts."""

from __future__ import annotations

import pytest

from coprokg.errors import ConfigurationError
from coprokg.settings import load_settings
from coprokg.store import RemoteStore, open_store

pytest_plugins = ["storekit"]


@pytest.mark.parametrize(
    ("overrides", "says"),
    [
        ({"api_token": "short"}, "COPROKG_API_TOKEN"),
        ({"api_token": "a token with spaces in it"}, "white space"),
        ({"query_timeout": 0}, "COPROKG_QUERY_TIMEOUT"),
        ({"max_rows": 0}, "COPROKG_MAX_ROWS"),
        ({"max_body_bytes": 10}, "COPROKG_MAX_BODY_BYTES"),
        ({"sparql_update_url": "http://127.0.0.1:7878/update"}, "needs COPROKG_SPARQL_QUERY_URL"),
        ({"sparql_query_url": "ftp://example.org/sparql"}, "http or https"),
        ({"sparql_query_url": "http://user:pw@example.org/sparql"}, "credentials"),
        (
            {"sparql_query_url": "http://example.org/sparql", "sparql_username": "u", "sparql_password": "p"},
            "plain http",
        ),
        ({"sparql_engine": "fuseki"}, "COPROKG_SPARQL_ENGINE"),
        (
            {
                "sparql_query_url": "http://127.0.0.1:8890/sparql",
                "sparql_engine": "virtuoso",
                "sparql_bearer_token": "0123456789abcdef0123",
            },
            "digest auth",
        ),
    ],
)
def test_unsafe_settings_are_refused(overrides: dict[str, object], says: str) -> None:
    with pytest.raises(ConfigurationError) as err:
        load_settings(**overrides)
    assert says in str(err.value)


def test_environment_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPROKG_QUERY_TIMEOUT", "2.5")
    monkeypatch.setenv("COPROKG_SPARQL_QUERY_URL", "https://sparql.example.org/query")
    monkeypatch.setenv("COPROKG_API_TOKEN", "0123456789abcdef0123")
    monkeypatch.setenv("COPROKG_SPARQL_ENGINE", "virtuoso")
    settings = load_settings()
    assert settings.query_timeout == 2.5 and settings.backend == "remote" and settings.sparql_engine == "virtuoso"
    store = open_store(settings)
    assert isinstance(store, RemoteStore) and store.engine.name == "virtuoso"
    store.close()
    assert settings.api_token is not None and "0123" not in repr(settings)


def test_credentials_to_loopback_over_http_are_fine() -> None:
    settings = load_settings(sparql_query_url="http://127.0.0.1:7878/query", sparql_username="u", sparql_password="p")
    assert settings.backend == "remote"
