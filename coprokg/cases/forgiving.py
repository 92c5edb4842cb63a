"""Input a person types, read the way they meant it — and refused where the data would be wrong.

* **Countries** by ISO 3166-1 code in any case (``nl``), alpha-3 (``NLD``) or name
  (``Netherlands``, ``the Netherlands``), validated against the standard (pycountry) and stored as
  the alpha-2 code; never truncated. An unknown name is refused with the nearest names.
* **Dates** (``started``) as EDTF, the Extended Date/Time Format of ISO 8601-2: ``1999``,
  ``1999-05``, ``196X`` (the 1960s), ``19XX``, ``1999~`` (about), ``1999?`` (uncertain),
  ``1999/2003`` (an interval). Common phrasings are accepted and rewritten, each with a note:
  ``1960s`` → ``196X``, ``c. 1999`` / ``circa 1999`` / ``around 1999`` → ``1999~``,
  ``1999-2003`` → ``1999/2003``; ``unknown`` or ``n.d.`` leave the date out.
* **Vocabulary values** that are not known get the nearest notations and labels as suggestions
  (``did you mean housing-development?``), from the ontology's own values.

Each rewrite is returned as a note ("country: 'Netherlands' read as 'NL'"), shown with the result.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from coprokg.countries import country_names
from coprokg.errors import CaseFormatError

__all__ = ["EDTF", "did_you_mean", "nearest", "normalise_country", "normalise_input", "normalise_started"]

# The EDTF forms a case's start takes: a year, year-month or day (ISO 8601), with an
# approximate/uncertain qualifier, a decade or century with X, or an interval of two of these.
_DATE = r"(?:[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?[~?%]?|[0-9]{3}X|[0-9]{2}XX)"
EDTF = re.compile(rf"^{_DATE}(?:/(?:{_DATE}|\.\.))?$")
_DECADE = re.compile(r"^(?:the\s+)?([0-9]{3})0'?s$", re.IGNORECASE)
_CIRCA = re.compile(r"^(?:c\.|ca\.|c|ca|circa|around|about|approx\.?|approximately)\s*([0-9]{4})$", re.IGNORECASE)
_RANGE = re.compile(r"^([0-9]{4})\s*(?:-|–|—|to|until)\s*([0-9]{4})$", re.IGNORECASE)
_UNKNOWN = {"unknown", "n.d.", "nd", "not known", "?", "-", "—", "n/a"}
_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)
# Names people use that the standard does not list (each read with a note that says so)
_ALIASES = {
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "holland": "NL",
    "usa": "US",
    "america": "US",
}


def nearest(text: str, candidates: list[str], *, n: int = 3) -> list[str]:
    """The candidates closest to ``text`` (case-insensitive), best first.

    >>> nearest("housing", ["housing-development", "social-housing", "health"])
    ['housing-development', 'social-housing']
    """
    folded = {c.casefold(): c for c in candidates}
    key = text.casefold().strip()
    if not key:
        return []
    ranked = [c for f, c in sorted(folded.items()) if f.startswith(key)]
    ranked += [folded[f] for f in difflib.get_close_matches(key, list(folded), n=n, cutoff=0.5)]
    ranked += [c for f, c in sorted(folded.items()) if key in f or f in key]
    return list(dict.fromkeys(ranked))[:n]


def did_you_mean(suggestions: list[str]) -> str:
    """ "; did you mean a, b or c?" for a message (empty without suggestions).

    >>> did_you_mean(["housing-development", "social-housing"])
    '; did you mean housing-development or social-housing?'
    """
    if not suggestions:
        return ""
    words = ", ".join(suggestions[:-1]) + (" or " if len(suggestions) > 1 else "") + suggestions[-1]
    return f"; did you mean {words}?"


@dataclass(frozen=True)
class _Countries:
    by_name: dict[str, str]
    names: list[str]


def _countries() -> _Countries:
    by_name: dict[str, str] = {}
    import pycountry

    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name", "alpha_3"):
            value = getattr(country, attr, None)
            if value:
                by_name[str(value).casefold()] = country.alpha_2
    names = sorted(country_names().values())
    return _Countries(by_name, names)


def normalise_country(value: str, *, field: str = "country") -> tuple[str, str | None]:
    """An ISO 3166-1 alpha-2 code for a code or name, and a note when it was rewritten.

    >>> normalise_country("NL"), normalise_country("nl")
    (('NL', None), ('NL', "country: 'nl' read as 'NL'"))
    >>> normalise_country("The Netherlands")
    ('NL', "country: 'The Netherlands' read as 'NL' (Netherlands)")
    """
    text = value.strip()
    names = country_names()
    if len(text) == 2 and text.upper() in names:
        code = text.upper()
        return code, (None if code == value else f"{field}: {value!r} read as {code!r}")
    table = _countries()
    bare = _ARTICLE.sub("", text).casefold()
    code_found = table.by_name.get(text.casefold()) or table.by_name.get(bare) or _ALIASES.get(bare)
    if code_found is None:
        raise CaseFormatError(
            f"unknown country {value!r}: give an ISO 3166-1 code such as NL, or a country's name"
            + did_you_mean(nearest(text, table.names)),
            field=field,
        )
    return code_found, f"{field}: {value!r} read as {code_found!r} ({names[code_found]})"


def normalise_started(value: str, *, field: str = "started") -> tuple[str | None, str | None]:
    """An EDTF date for what a person wrote (None for "unknown"), and a note when it was rewritten.

    >>> normalise_started("1999"), normalise_started("1960s")[0], normalise_started("c. 1999")[0]
    (('1999', None), '196X', '1999~')
    >>> normalise_started("1999-2003")[0], normalise_started("unknown")
    ('1999/2003', (None, "started: 'unknown' left out (no date)"))
    """
    text = value.strip()
    if EDTF.match(text):
        return text, None
    if text.casefold() in _UNKNOWN:
        return None, f"{field}: {value!r} left out (no date)"
    rewrites: tuple[tuple[re.Pattern[str], str], ...] = (
        (_DECADE, r"\1X"),
        (_CIRCA, r"\1~"),
        (_RANGE, r"\1/\2"),
    )
    for pattern, template in rewrites:
        match = pattern.match(text)
        if match:
            edtf = match.expand(template)
            return edtf, f"{field}: {value!r} read as {edtf!r} (EDTF)"
    raise CaseFormatError(
        f"{value!r} is not a date coprokg can read: give a year (1999), a decade (196X or 1960s), "
        "an approximate year (1999~ or c. 1999), an interval (1999/2003) or leave it out",
        field=field,
    )


def normalise_input(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The case with its country and start date read as a person meant them, and the notes."""
    notes: list[str] = []
    out = dict(data)
    if isinstance(out.get("country"), str):
        out["country"], note = normalise_country(out["country"])
        if note:
            notes.append(note)
    if isinstance(out.get("started"), str):
        started, note = normalise_started(out["started"])
        if started is None:
            out.pop("started")
        else:
            out["started"] = started
        if note:
            notes.append(note)
    return out, notes
