"""timex: time expressions to calendar values, absolute and relative to a publication date."""

from __future__ import annotations

from datetime import date

import pytest

from eventwire.timex import CalendarValue, Direction, parse_absolute, parse_date, resolve_expression

# Thursday, 14 September 2023: the seed article's publication date.
PUBLISHED = date(2023, 9, 14)


def day(value: str) -> CalendarValue:
    return CalendarValue(value, "day")


def week(monday: str) -> CalendarValue:
    return CalendarValue(monday, "week")


def month(value: str) -> CalendarValue:
    return CalendarValue(value, "month")


def year(value: str) -> CalendarValue:
    return CalendarValue(value, "year")


ABSOLUTE = [
    pytest.param("2023-09-14", day("2023-09-14"), id="iso-date"),
    pytest.param("14 September 2023", day("2023-09-14"), id="day-month-year"),
    pytest.param("on 14th of September, 2023", day("2023-09-14"), id="ordinal-of"),
    pytest.param("September 14, 2023", day("2023-09-14"), id="month-day-comma-year"),
    pytest.param("Sept. 14, 2023", day("2023-09-14"), id="sept-abbreviation"),
    pytest.param("Sep 14 2023", day("2023-09-14"), id="sep-no-comma"),
    pytest.param("June 1st, 2024", day("2024-06-01"), id="ordinal-st"),
    pytest.param("Dec. 25, 1999", day("1999-12-25"), id="last-century"),
    pytest.param("3 Jan 2024", day("2024-01-03"), id="jan-abbreviation"),
    pytest.param("29 February 2024", day("2024-02-29"), id="leap-day"),
    pytest.param("March 2022", month("2022-03"), id="month-year"),
    pytest.param("in March, 2022", month("2022-03"), id="month-comma-year"),
    pytest.param("May 2021", month("2021-05"), id="may-with-year"),
    pytest.param("in 2000", year("2000"), id="year"),
    pytest.param("since 1991", year("1991"), id="year-since"),
    pytest.param("the 1990s", CalendarValue("199", "decade"), id="decade"),
    pytest.param("the 1980's", CalendarValue("198", "decade"), id="decade-apostrophe"),
    pytest.param("the 2010s", CalendarValue("201", "decade"), id="decade-2010s"),
    pytest.param("on 31 April 2023", month("2023-04"), id="impossible-day-keeps-month"),
    pytest.param("in 1750", None, id="year-out-of-range"),
    pytest.param("2,500 troops", None, id="number-is-not-a-year"),
    pytest.param("no date here", None, id="no-date"),
    pytest.param("last year", None, id="relative-is-not-absolute"),
]


@pytest.mark.parametrize(("text", "expected"), ABSOLUTE)
def test_parse_absolute(text: str, expected: CalendarValue | None) -> None:
    assert parse_absolute(text) == expected


@pytest.mark.parametrize(("text", "expected"), ABSOLUTE)
def test_absolute_expressions_need_no_publication_date(
    text: str, expected: CalendarValue | None
) -> None:
    assert resolve_expression(text, None) == expected
    if expected is not None:
        assert resolve_expression(text, PUBLISHED, "future") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("2023-09-14", date(2023, 9, 14), id="iso"),
        pytest.param("Published 14 September 2023", date(2023, 9, 14), id="in-a-line"),
        pytest.param("2023-13-45", None, id="impossible-iso"),
        pytest.param("2023-02-30", None, id="february-30"),
        pytest.param("September 2023", None, id="month-only"),
        pytest.param("yesterday", None, id="relative"),
    ],
)
def test_parse_date_wants_a_whole_day(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


RELATIVE = [
    # Words for days
    pytest.param("yesterday", "any", day("2023-09-13"), id="yesterday"),
    pytest.param("today", "any", day("2023-09-14"), id="today"),
    pytest.param("tomorrow", "any", day("2023-09-15"), id="tomorrow"),
    pytest.param("Tuesday night", "any", day("2023-09-12"), id="weekday-night"),
    # Counted distances
    pytest.param("two days ago", "any", day("2023-09-12"), id="two-days-ago"),
    pytest.param("3 days ago", "any", day("2023-09-11"), id="digits-days-ago"),
    pytest.param("a week ago", "any", week("2023-09-07"), id="a-week-ago"),
    pytest.param("two weeks later", "any", week("2023-09-28"), id="two-weeks-later"),
    pytest.param("six months ago", "any", month("2023-03"), id="six-months-ago"),
    pytest.param("ten months ago", "any", month("2022-11"), id="months-ago-crosses-year"),
    pytest.param("a year ago", "any", year("2022"), id="a-year-ago"),
    pytest.param("ten years from now", "any", year("2033"), id="years-from-now"),
    # Calendar units relative to the publication date
    pytest.param("last week", "any", week("2023-09-04"), id="last-week"),
    pytest.param("this week", "any", week("2023-09-11"), id="this-week"),
    pytest.param("next week", "any", week("2023-09-18"), id="next-week"),
    pytest.param("last month", "any", month("2023-08"), id="last-month"),
    pytest.param("earlier this month", "any", month("2023-09"), id="earlier-this-month"),
    pytest.param("next month", "any", month("2023-10"), id="next-month"),
    pytest.param("last year", "any", year("2022"), id="last-year"),
    pytest.param("the past year", "any", year("2022"), id="past-year"),
    pytest.param("later this year", "any", year("2023"), id="later-this-year"),
    pytest.param("next year", "any", year("2024"), id="next-year"),
    pytest.param("the coming year", "any", year("2024"), id="coming-year"),
    # Month names: direction picks the year
    pytest.param("in October", "any", month("2023-10"), id="october-any"),
    pytest.param("in October", "past", month("2022-10"), id="october-past"),
    pytest.param("in October", "future", month("2023-10"), id="october-future"),
    pytest.param("in March", "past", month("2023-03"), id="march-past"),
    pytest.param("in March", "future", month("2024-03"), id="march-future"),
    pytest.param("last October", "any", month("2022-10"), id="last-october"),
    pytest.param("next October", "any", month("2023-10"), id="next-october"),
    pytest.param("last March", "future", month("2023-03"), id="last-march-overrides-direction"),
    pytest.param("next March", "past", month("2024-03"), id="next-march-overrides-direction"),
    pytest.param("last September", "any", month("2022-09"), id="last-same-month"),
    pytest.param("next September", "any", month("2024-09"), id="next-same-month"),
    pytest.param("in May", "future", month("2024-05"), id="capital-may-is-a-month"),
    # Day and month without a year
    pytest.param("on 3 October", "past", day("2022-10-03"), id="day-month-past"),
    pytest.param("October 3", "future", day("2023-10-03"), id="month-day-future"),
    pytest.param("on 20 August", "any", day("2023-08-20"), id="day-month-any"),
    pytest.param("on 20 August", "future", day("2024-08-20"), id="day-month-future"),
    pytest.param("Sept. 20", "any", day("2023-09-20"), id="abbreviated-month-day"),
    # Weekdays: the latest one before publication, or the next one for plans
    pytest.param("on Tuesday", "any", day("2023-09-12"), id="tuesday"),
    pytest.param("on Tuesday", "past", day("2023-09-12"), id="tuesday-past"),
    pytest.param("on Tuesday", "future", day("2023-09-19"), id="tuesday-future"),
    pytest.param("last Tuesday", "future", day("2023-09-12"), id="last-tuesday"),
    pytest.param("next Tuesday", "any", day("2023-09-19"), id="next-tuesday"),
    pytest.param("on Friday", "past", day("2023-09-08"), id="friday-past"),
    pytest.param("on Friday", "future", day("2023-09-15"), id="friday-future"),
    pytest.param("this coming Friday", "any", day("2023-09-15"), id="coming-friday"),
    pytest.param("Monday", "any", day("2023-09-11"), id="bare-monday"),
    # Nothing to resolve
    pytest.param("they may agree", "any", None, id="lower-case-may-is-a-verb"),
    pytest.param("the talks may resume", "future", None, id="lower-case-may-future"),
    pytest.param("soon", "any", None, id="vague"),
    pytest.param("recently", "past", None, id="vague-past"),
]


@pytest.mark.parametrize(("text", "direction", "expected"), RELATIVE)
def test_resolve_relative_expression(
    text: str, direction: Direction, expected: CalendarValue | None
) -> None:
    assert resolve_expression(text, PUBLISHED, direction) == expected


@pytest.mark.parametrize(("text", "direction", "expected"), RELATIVE)
def test_relative_expressions_stay_unresolved_without_a_publication_date(
    text: str, direction: Direction, expected: CalendarValue | None
) -> None:
    assert resolve_expression(text, None, direction) is None


@pytest.mark.parametrize(
    ("published", "text", "expected"),
    [
        pytest.param(date(2024, 1, 10), "last month", month("2023-12"), id="last-month-in-january"),
        pytest.param(
            date(2023, 12, 5), "next month", month("2024-01"), id="next-month-in-december"
        ),
        pytest.param(date(2024, 1, 3), "last week", week("2023-12-25"), id="last-week-new-year"),
        pytest.param(date(2024, 3, 1), "yesterday", day("2024-02-29"), id="yesterday-leap-day"),
        pytest.param(date(2024, 2, 29), "a year ago", year("2023"), id="year-ago-from-leap-day"),
        pytest.param(date(2024, 1, 15), "in December", month("2023-12"), id="december-in-january"),
    ],
)
def test_relative_expressions_cross_month_and_year_boundaries(
    published: date, text: str, expected: CalendarValue
) -> None:
    assert resolve_expression(text, published, "past") == expected


@pytest.mark.parametrize("direction", ["past", "any"])
def test_the_publication_weekday_is_the_publication_day(direction: Direction) -> None:
    assert resolve_expression("on Thursday", PUBLISHED, direction) == day("2023-09-14")
