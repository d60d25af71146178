"""An article's text cut at every event span, for highlighting in the reader.

Spans (trigger, actors, recipients) come from stored character offsets, overlap
freely (one actor takes part in many events) and may be empty (an actor an analyst
added has no mention). The text is cut at every span boundary into segments; each
segment knows which spans cover it. The template writes each segment's text as
escaped text inside an element, so offsets can never cut into markup.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from eventwire.model import Event

ROLES = ("trigger", "actor", "recipient")


@dataclass(frozen=True, slots=True)
class Mark:
    event_id: str
    role: str  # trigger | actor | recipient
    start: int
    end: int
    status: str


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    start: int
    marks: tuple[Mark, ...]

    @property
    def event_ids(self) -> list[str]:
        return list(dict.fromkeys(m.event_id for m in self.marks))

    @property
    def role(self) -> str | None:
        """The strongest role covering this segment: a trigger over an argument."""
        roles = {m.role for m in self.marks}
        return next((r for r in ROLES if r in roles), None)

    @property
    def status(self) -> str | None:
        """The status of the event whose strongest role covers this segment."""
        role = self.role
        return next((m.status for m in self.marks if m.role == role), None)


def marks_of(events: Iterable[Event], length: int) -> list[Mark]:
    """The non-empty spans of ``events`` inside a text of ``length`` characters."""
    found = []
    for event in events:
        spans = [("trigger", event.trigger.start, event.trigger.end)]
        spans += [("actor", a.start, a.end) for a in event.actor]
        spans += [("recipient", a.start, a.end) for a in event.recipient]
        for role, start, end in spans:
            start, end = max(0, start), min(length, end)
            if start < end:
                found.append(Mark(event.id, role, start, end, event.status))
    return found


def segments(text: str, marks: Sequence[Mark]) -> list[Segment]:
    """``text`` cut at every mark boundary, each piece with the marks covering it."""
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    pieces = []
    for start, end in itertools.pairwise(cuts):
        covering = tuple(m for m in marks if m.start <= start and m.end >= end)
        pieces.append(Segment(text[start:end], start, covering))
    return pieces


def span_dicts(marks: Iterable[Mark]) -> list[dict[str, object]]:
    """The marks as JSON for the API (clients highlight with them themselves)."""
    return [
        {"event": m.event_id, "role": m.role, "start": m.start, "end": m.end, "status": m.status}
        for m in marks
    ]
