"""Event dates: the time expression of the event's clause, against the publication date."""

from __future__ import annotations

from datetime import date

from eventwire.model import Event, EventDate
from eventwire.timex import Direction, resolve_expression

_FUTURE = frozenset({"planned", "conditional"})
_DATED_BY_PUBLICATION = frozenset({"reported", "alleged", "denied", "negated"})


def date_of(event: Event, published: date | None) -> EventDate:
    """The event's calendar date and how it was found.

    With a time expression: its value (relative ones only when the publication date
    is known). Without one: the publication date for events presented as having
    happened; nothing for plans and possibilities, which have no date yet.
    """
    expression = event.date.text
    if expression:
        direction: Direction = "future" if event.status in _FUTURE else "past"
        value = resolve_expression(expression, published, direction)
        if value is None:
            return EventDate(text=expression)
        return EventDate(value.value, value.precision, expression, "sentence")
    if published is not None and event.status in _DATED_BY_PUBLICATION:
        return EventDate(published.isoformat(), "day", None, "published")
    return EventDate()
