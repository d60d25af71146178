"""Time expressions to calendar values.

Absolute expressions ("14 September 2023", "in 2000", "the 1990s") resolve on
their own. Relative ones ("on Tuesday", "in October", "last year") resolve only
against a publication date; without one they stay unresolved rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Direction = Literal["past", "future", "any"]
Precision = Literal["day", "week", "month", "year", "decade"]

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        )
    )
    for name in names
}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_WEEKDAY = r"(?P<weekday>" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")"

_ABSOLUTE_PATTERNS = (
    re.compile(r"\b(?P<year>(?:1[89]|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b"),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b", re.I),
    re.compile(r"\b(?:the\s+)?(?P<decade>(?:1[89]|20)\d0)'?s\b", re.I),
    re.compile(rf"\b{_YEAR}\b"),
)
_DAY_MONTH = (
    re.compile(rf"\b{_MONTH}\s+{_DAY}\b", re.I),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b", re.I),
)
_MONTH_ONLY = re.compile(rf"\b(?P<rel>last|next|this|earlier this|later this)?\s*{_MONTH}\b", re.I)
_WEEKDAY_RE = re.compile(rf"\b(?P<rel>last|next|this|on|coming)?\s*{_WEEKDAY}\b", re.I)
_RELATIVE_UNITS = re.compile(
    r"\b(?P<rel>last|next|this|earlier this|later this|past|coming)\s+(?P<unit>week|month|year)\b",
    re.I,
)
_AGO = re.compile(
    r"\b(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
    r"(?P<unit>day|week|month|year)s?\s+(?P<dir>ago|later|from now)\b",
    re.I,
)
_WORD_DAYS = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}


@dataclass(frozen=True, slots=True)
class CalendarValue:
    value: str
    precision: Precision


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_absolute(text: str) -> CalendarValue | None:
    """A date written out in full ("14 Sept 2023", "2023-09-14", "March 2022", "in 2000")."""
    for pattern in _ABSOLUTE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        groups = match.groupdict()
        if groups.get("decade"):
            return CalendarValue(groups["decade"][:3], "decade")
        year = int(groups["year"])
        month_text = groups.get("month")
        if month_text is None:
            return CalendarValue(f"{year:04d}", "year")
        month = int(month_text) if month_text.isdigit() else MONTHS[month_text.lower()]
        if groups.get("day") is None:
            return CalendarValue(f"{year:04d}-{month:02d}", "month")
        day = _valid(year, month, int(groups["day"]))
        if day is not None:
            return CalendarValue(day.isoformat(), "day")
    return None


def parse_date(text: str) -> date | None:
    """A full calendar day in ``text``, or None (used for publication dates)."""
    value = parse_absolute(text)
    if value is None or value.precision != "day":
        return None
    return date.fromisoformat(value.value)


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _month_near(month: int, published: date, direction: Direction, rel: str) -> tuple[int, int]:
    year = published.year
    if rel == "last":
        year -= 1 if month >= published.month else 0
    elif rel == "next":
        year += 1 if month <= published.month else 0
    elif rel == "this":
        pass
    elif direction == "past" and month > published.month:
        year -= 1
    elif direction == "future" and month < published.month:
        year += 1
    return year, month


def _weekday_near(weekday: int, published: date, direction: Direction, rel: str) -> date:
    delta = weekday - published.weekday()
    if rel in {"next", "coming"} or (direction == "future" and rel not in {"last"}):
        return published + timedelta(days=delta if delta > 0 else delta + 7)
    # News speaks of the past week by default: "on Tuesday" is the latest Tuesday,
    # the publication day itself included; "last Tuesday" is never today.
    if rel == "last":
        return published + timedelta(days=delta if delta < 0 else delta - 7)
    return published + timedelta(days=delta if delta <= 0 else delta - 7)


def _relative_unit(rel: str, unit: str, published: date) -> CalendarValue:
    step = {"last": -1, "past": -1, "next": 1, "coming": 1}.get(rel.lower(), 0)
    if unit == "year":
        return CalendarValue(f"{published.year + step:04d}", "year")
    if unit == "month":
        year, month = _shift_month(published.year, published.month, step)
        return CalendarValue(f"{year:04d}-{month:02d}", "month")
    monday = published - timedelta(days=published.weekday()) + timedelta(weeks=step)
    return CalendarValue(monday.isoformat(), "week")


def _ago(match: re.Match[str], published: date) -> CalendarValue:
    count = _NUMBERS.get(match["n"].lower()) or int(match["n"])
    sign = -1 if match["dir"].lower() == "ago" else 1
    unit = match["unit"].lower()
    if unit == "year":
        return CalendarValue(f"{published.year + sign * count:04d}", "year")
    if unit == "month":
        year, month = _shift_month(published.year, published.month, sign * count)
        return CalendarValue(f"{year:04d}-{month:02d}", "month")
    days = count * (7 if unit == "week" else 1)
    precision: Precision = "week" if unit == "week" else "day"
    return CalendarValue((published + timedelta(days=sign * days)).isoformat(), precision)


def resolve_expression(
    text: str, published: date | None, direction: Direction = "any"
) -> CalendarValue | None:
    """Calendar value of a time expression, relative ones against ``published``.

    ``direction`` says which way the event lies from the publication date (past for
    reported events, future for planned ones) and picks between, e.g., last October
    and next October.
    """
    absolute = parse_absolute(text)
    if absolute is not None:
        return absolute
    if published is None:
        return None
    lowered = text.lower()
    for word, offset in _WORD_DAYS.items():
        if re.search(rf"\b{word}\b", lowered):
            return CalendarValue((published + timedelta(days=offset)).isoformat(), "day")
    if match := _AGO.search(text):
        return _ago(match, published)
    for pattern in _DAY_MONTH:
        if match := pattern.search(text):
            month = MONTHS[match["month"].lower()]
            year, _ = _month_near(month, published, direction, "")
            day = _valid(year, month, int(match["day"]))
            if day is not None:
                return CalendarValue(day.isoformat(), "day")
    if match := _RELATIVE_UNITS.search(text):
        return _relative_unit(match["rel"].split()[-1], match["unit"].lower(), published)
    match = _MONTH_ONLY.search(text)
    if match and match["month"] != "may":  # lower-case "may" is the modal verb
        rel = (match["rel"] or "").lower().split()[-1:] or [""]
        year, month = _month_near(MONTHS[match["month"].lower()], published, direction, rel[0])
        return CalendarValue(f"{year:04d}-{month:02d}", "month")
    if match := _WEEKDAY_RE.search(text):
        rel = (match["rel"] or "").lower()
        day = _weekday_near(WEEKDAYS[match["weekday"].lower()], published, direction, rel)
        return CalendarValue(day.isoformat(), "day")
    return None
