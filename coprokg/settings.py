"""Service and store settings, read from ``COPROKG_*`` environment variables.

One object configures the store (embedded path or remote endpoint), the SPARQL limits and the
write token, for the HTTP service and the command line alike. ``Settings()`` refuses an unsafe or
inconsistent configuration with a ``ConfigurationError`` naming the variable, so a misconfigured
server never starts.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from coprokg.cases.limits import CaseLimits
from coprokg.errors import ConfigurationError

__all__ = [
    "MIN_TOKEN_LENGTH",
    "Settings",
    "load_settings",
]

MIN_TOKEN_LENGTH = 16


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    """Configuration of the store and the service (environment variables ``COPROKG_<NAME>``).

    >>> s = Settings(store_path="var/store", query_timeout=2.0)
    >>> s.backend, s.query_timeout
    ('embedded', 2.0)
    """

    model_config = SettingsConfigDict(env_prefix="COPROKG_", extra="ignore", frozen=True)

    store_path: Path = Path("var/store")
    sparql_query_url: str | None = None
    sparql_update_url: str | None = None
    sparql_username: str | None = None
    sparql_password: SecretStr | None = None
    sparql_bearer_token: SecretStr | None = None
    # what differs between stores (coprokg.store.engines): generic, oxigraph or virtuoso
    sparql_engine: Literal["generic", "oxigraph", "virtuoso"] = "generic"
    allow_insecure_remote: bool = False
    api_token: SecretStr | None = None
    query_timeout: float = 5.0
    max_rows: int = 10_000
    max_body_bytes: int = 1_000_000
    query_workers: int = 0
    worker_memory_mb: int = 1024
    analysis_timeout: float = 10.0
    analysis_workers: int = 0
    # the size of one case (coprokg.cases.limits)
    max_actors: int = CaseLimits.max_actors
    max_participations: int = CaseLimits.max_participations
    max_accountability: int = CaseLimits.max_accountability
    max_sources: int = CaseLimits.max_sources
    max_list_items: int = CaseLimits.max_list_items
    max_string_chars: int = CaseLimits.max_string_chars
    max_json_depth: int = CaseLimits.max_json_depth
    max_number_digits: int = CaseLimits.max_number_digits
    max_rdf_triples: int = CaseLimits.max_rdf_triples

    @property
    def backend(self) -> str:
        """``remote`` when a SPARQL endpoint is configured, else ``embedded``."""
        return "remote" if self.sparql_query_url else "embedded"

    @property
    def worker_count(self) -> int:
        """Query worker processes: ``query_workers``, or one per core up to four."""
        if self.query_workers > 0:
            return self.query_workers
        return max(1, min(4, os.cpu_count() or 1))

    @property
    def analysis_worker_count(self) -> int:
        """Processes that validate and classify cases: ``analysis_workers``, or one per core (2 to 8)."""
        if self.analysis_workers > 0:
            return self.analysis_workers
        return max(2, min(8, os.cpu_count() or 1))

    @property
    def case_limits(self) -> CaseLimits:
        """The size limits of one case."""
        return CaseLimits(**{name: getattr(self, name) for name in CaseLimits.__dataclass_fields__})

    @model_validator(mode="after")
    def _refuse_unsafe(self) -> Settings:
        for name in CaseLimits.__dataclass_fields__:
            if not 1 <= getattr(self, name) <= 10_000_000:
                raise ValueError(f"{CaseLimits.setting(name)} must be between 1 and 10000000")
        if not 64 <= self.worker_memory_mb <= 1_000_000:
            raise ValueError("COPROKG_WORKER_MEMORY_MB must be at least 64")
        if not 0 < self.analysis_timeout <= 600:
            raise ValueError("COPROKG_ANALYSIS_TIMEOUT must be more than 0 and at most 600 seconds")
        if not 0 <= self.analysis_workers <= 64:
            raise ValueError("COPROKG_ANALYSIS_WORKERS must be between 0 (automatic) and 64")
        if not 0 < self.query_timeout <= 600:
            raise ValueError("COPROKG_QUERY_TIMEOUT must be more than 0 and at most 600 seconds")
        if not 0 < self.max_rows <= 10_000_000:
            raise ValueError("COPROKG_MAX_ROWS must be between 1 and 10000000")
        if not 1024 <= self.max_body_bytes <= 100_000_000:
            raise ValueError("COPROKG_MAX_BODY_BYTES must be between 1024 and 100000000")
        if not 0 <= self.query_workers <= 64:
            raise ValueError("COPROKG_QUERY_WORKERS must be between 0 (automatic) and 64")
        if self.api_token is not None:
            token = self.api_token.get_secret_value()
            if len(token) < MIN_TOKEN_LENGTH:
                raise ValueError(f"COPROKG_API_TOKEN must be at least {MIN_TOKEN_LENGTH} characters")
            if token != token.strip() or any(c.isspace() for c in token):
                raise ValueError("COPROKG_API_TOKEN must not contain white space")
        if self.sparql_update_url and not self.sparql_query_url:
            raise ValueError("COPROKG_SPARQL_UPDATE_URL needs COPROKG_SPARQL_QUERY_URL")
        has_credentials = bool(self.sparql_password or self.sparql_bearer_token)
        if self.sparql_password is not None and not self.sparql_username:
            raise ValueError("COPROKG_SPARQL_PASSWORD needs COPROKG_SPARQL_USERNAME")
        if self.sparql_password is not None and self.sparql_bearer_token is not None:
            raise ValueError("set either COPROKG_SPARQL_PASSWORD or COPROKG_SPARQL_BEARER_TOKEN, not both")
        if self.sparql_engine == "virtuoso" and self.sparql_bearer_token is not None:
            raise ValueError(
                "COPROKG_SPARQL_BEARER_TOKEN: Virtuoso's /sparql-auth takes digest auth; "
                "set COPROKG_SPARQL_USERNAME and COPROKG_SPARQL_PASSWORD"
            )
        for name, url in (
            ("COPROKG_SPARQL_QUERY_URL", self.sparql_query_url),
            ("COPROKG_SPARQL_UPDATE_URL", self.sparql_update_url),
        ):
            if url is None:
                continue
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"{name} must be an http or https URL, got {url!r}")
            if parts.username or parts.password:
                raise ValueError(f"{name} must not carry credentials; use COPROKG_SPARQL_USERNAME/PASSWORD")
            if (
                parts.scheme == "http"
                and has_credentials
                and not _is_loopback(parts.hostname)
                and not self.allow_insecure_remote
            ):
                raise ValueError(
                    f"{name} sends credentials over plain http to {parts.hostname}; use https "
                    "(or set COPROKG_ALLOW_INSECURE_REMOTE=true on a trusted network)"
                )
        return self


def load_settings(**overrides: object) -> Settings:
    """``Settings`` from the environment (and ``overrides``), with errors as ``ConfigurationError``."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        message = str(first["msg"]).removeprefix("Value error, ")
        if where:
            message = f"COPROKG_{where.upper()}: {message}"
        raise ConfigurationError(f"unsafe or invalid configuration: {message}") from None
