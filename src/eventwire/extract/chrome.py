"""Site-chrome patterns (``data/chrome.v1.json``) compiled once."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from eventwire.errors import DataFileError

LineKind = str  # "drop" | "trailer" | "comment_count" | "published" | "byline" | "content"


@dataclass(frozen=True, slots=True)
class ChromePatterns:
    version: str
    drop: re.Pattern[str]
    trailer: re.Pattern[str]
    comment_count: tuple[re.Pattern[str], ...]
    published: tuple[re.Pattern[str], ...]
    byline: tuple[re.Pattern[str], ...]
    section_names: frozenset[str]


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
            comment_count=_each(data["comment_count"]),
            published=_each(data["published"]),
            byline=_each(data["byline"]),
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


def classify_line(line: str, patterns: ChromePatterns) -> tuple[LineKind, re.Match[str] | None]:
    """What one stripped, non-empty line of a scraped page is."""
    if len(line) > 300:
        return "content", None  # chrome is short; long lines are article text
    for pattern in patterns.published:
        match = pattern.fullmatch(line)
        if match:
            return "published", match
    if comment_count_of(line, patterns) is not None or patterns.trailer.fullmatch(line):
        return "trailer", None
    if patterns.drop.fullmatch(line):
        return "drop", None
    for pattern in patterns.byline:
        match = pattern.fullmatch(line)
        if match:
            return "byline", match
    return "content", None
