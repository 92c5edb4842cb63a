"""Countries by ISO 3166-1 code and by name (pycountry's copy of the standard)."""

from __future__ import annotations

from functools import lru_cache

import pycountry

__all__ = ["country_name", "country_names"]


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Every ISO 3166-1 alpha-2 code with its English short name (the common name where there is one)."""
    return {c.alpha_2: str(getattr(c, "common_name", None) or c.name) for c in pycountry.countries}


def country_name(code: str | None) -> str:
    """The English short name of an alpha-2 code (the code itself if the standard has none).

    >>> country_name("NL"), country_name("GB"), country_name("XX")
    ('Netherlands', 'United Kingdom', 'XX')
    """
    if not code:
        return ""
    return country_names().get(code, code)
