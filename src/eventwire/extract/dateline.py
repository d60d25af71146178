"""Datelines: "SEOUL/MOSCOW:", "KYIV, Ukraine (AP) —", "BEIRUT, March 6 (AFP) —".

A dateline is one or more places in capitals (joined by "/"), then optionally a
region in ordinary case ("Democratic Republic of Congo"), a date ("Sept. 16",
"6 March 2024") and a news agency in brackets, and a colon or dash before the
first word of the story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from eventwire.extract.chrome import load_chrome_patterns

_UPPER = "A-ZÀ-ÖØ-Þ"  # capitals, including accented ones: "BOGOTÁ", "SÃO PAULO"
_PLACE = rf"[{_UPPER}][{_UPPER}.'’-]+(?: [{_UPPER}][{_UPPER}.'’-]+){{0,3}}"
# A region is capitalised words, with the small words that occur inside country and
# province names: "Democratic Republic of the Congo", "Bosnia and Herzegovina".
_REGION_WORD = r"(?:d['’])?[A-Z][\w.'’-]*"
_SMALL_WORD = r"(?:of|and|the|de|del|du|da|do|la|le|al|el)"
_REGION = rf"{_REGION_WORD}(?:\s+(?:{_SMALL_WORD}\s+){{0,2}}{_REGION_WORD}){{0,3}}"
_MONTH = r"[A-Z][a-z]{2,8}\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = rf"(?:{_MONTH} {_DAY}|{_DAY} {_MONTH})(?:,? \d{{4}})?"
_DATELINE = re.compile(
    rf"(?P<places>{_PLACE}(?:\s*/\s*{_PLACE})*)"
    rf"(?:,\s*(?P<region>{_REGION}))?"
    rf"(?:,?\s+(?P<date>{_DATE}))?"
    r"\s*(?:\((?P<agency>[A-Za-z][A-Za-z .&/-]{1,30})\))?"
    rf"\s*(?::|—|–|--| - )\s*(?=[\"“‘'{_UPPER}0-9])"
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
    # "BREAKING:", "UPDATE:", "EDITOR'S NOTE:" open a line the way a dateline does.
    if any(p in load_chrome_patterns().not_places for p in places):
        return None
    return Dateline(places=places, end=match.end(), agency=match["agency"])
