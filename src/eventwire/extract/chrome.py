"""Site-chrome patterns (``data/chrome.v1.json``) compiled once, and lines classified by them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from eventwire.errors import DataFileError

# "drop" | "trailer" | "label" | "published" | "byline" | "content"
LineKind = str


@dataclass(frozen=True, slots=True)
class ChromePatterns:
    version: str
    drop: re.Pattern[str]
    trailer: re.Pattern[str]
    list_label: re.Pattern[str]
    comment_count: tuple[re.Pattern[str], ...]
    published: tuple[re.Pattern[str], ...]
    byline: tuple[re.Pattern[str], ...]
    not_places: frozenset[str]
    section_names: frozenset[str]


@dataclass(frozen=True, slots=True)
class Line:
    """One stripped, non-empty line of a page, classified."""

    kind: LineKind
    text: str
    match: re.Match[str] | None = None
    # Lines with the same block number had no blank line between them on the page.
    block: int = 0
    author: str | None = None  # set on byline lines


def _whole_line(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


def _each(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.I) for p in patterns)


@cache
def load_chrome_patterns() -> ChromePatterns:
    raw = resources.files("eventwire.extract").joinpath("data/chrome.v1.json").read_text("utf-8")
    try:
        data = json.loads(raw)
        return ChromePatterns(
            version=data["version"],
            drop=_whole_line(data["drop"]),
            trailer=_whole_line(data["trailer"]),
            list_label=_whole_line(data["list_label"]),
            comment_count=_each(data["comment_count"]),
            published=_each(data["published"]),
            # Case-sensitive: a byline names a person, and capitals are what tell
            # "By Marta Kovalenko" from "By then the convoy had left".
            byline=tuple(re.compile(p) for p in data["byline"]),
            not_places=frozenset(data["not_places"]),
            section_names=frozenset(name.lower() for name in data["section_names"]),
        )
    except (KeyError, re.error, json.JSONDecodeError) as exc:
        raise DataFileError(f"chrome.v1.json is malformed: {exc}") from exc


def comment_count_of(line: str, patterns: ChromePatterns) -> int | None:
    for pattern in patterns.comment_count:
        match = pattern.fullmatch(line)
        if match:
            number = match.group("n")
            return 0 if number.lower() == "no" else int(number)
    return None


def _byline_match(line: str, patterns: ChromePatterns) -> re.Match[str] | None:
    for pattern in patterns.byline:
        match = pattern.fullmatch(line)
        if match:
            return match
    return None


def classify_line(line: str, patterns: ChromePatterns) -> tuple[LineKind, re.Match[str] | None]:
    """What one stripped, non-empty line of a page is."""
    if len(line) > 300:
        return "content", None  # chrome is short; long lines are article text
    for pattern in patterns.published:
        match = pattern.fullmatch(line)
        if match:
            return "published", match
    if comment_count_of(line, patterns) is not None or patterns.trailer.fullmatch(line):
        return "trailer", None
    if patterns.list_label.fullmatch(line):
        return "label", None
    if patterns.drop.fullmatch(line):
        return "drop", None
    match = _byline_match(line, patterns)
    if match:
        return "byline", match
    return "content", None


_BARE_BY = re.compile(r"by:?", re.I)
# A name on its own line: one to four capitalised words, as in "By\n\nNewsdesk".
_NAME_LINE = re.compile(r"[A-Z][\w.'’-]+( [A-Z][\w.'’-]+){0,3}")


def classify_lines(lines: Iterable[tuple[str, int]], patterns: ChromePatterns) -> list[Line]:
    """Classify ``(text, block)`` pairs; a lone "By" and the name under it make a byline."""
    result: list[Line] = []
    after_bare_by = False
    for text, block in lines:
        kind, match = classify_line(text, patterns)
        author = match.group("author") if kind == "byline" and match else None
        if after_bare_by and kind == "content" and _NAME_LINE.fullmatch(text):
            kind, author = "byline", text
        after_bare_by = bool(_BARE_BY.fullmatch(text))
        result.append(Line(kind, text, match, block, author))
    return result
