"""Datelines: "SEOUL/MOSCOW:", "KYIV, Ukraine (AP) —", "WASHINGTON (Reuters) -"."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PLACE = r"[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3}"
_DATELINE = re.compile(
    rf"(?P<places>{_PLACE}(?:\s*/\s*{_PLACE})*)"
    r"(?:,\s*(?P<region>[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+){0,2}))?"
    r"(?:,?\s+(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}))?"
    r"\s*(?:\((?P<agency>[A-Za-z][A-Za-z .&-]{1,30})\))?"
    r"\s*(?::|—|–|--| - )\s*(?=[\"“‘'A-Z0-9])"
)


@dataclass(frozen=True, slots=True)
class Dateline:
    places: tuple[str, ...]
    end: int  # offset of the first character after the dateline
    agency: str | None


def find_dateline(paragraph: str) -> Dateline | None:
    """The dateline that opens ``paragraph``, if any."""
    match = _DATELINE.match(paragraph)
    if not match:
        return None
    places = tuple(p.strip() for p in match["places"].split("/") if p.strip())
    if not places or any(len(p.replace(".", "")) < 2 for p in places):
        return None
    return Dateline(places=places, end=match.end(), agency=match["agency"])
