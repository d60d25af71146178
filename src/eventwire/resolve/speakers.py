"""Who an event is attributed to: parties get codes; news outlets keep their names."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from eventwire.events.lexicon import load_lexicon
from eventwire.model import Actor


@cache
def _outlet_pattern() -> re.Pattern[str]:
    """Any outlet's name as a whole word, longest first ("Associated Press of Pakistan"
    before "Associated Press"), case as written ("AP", not "ap")."""
    names = sorted(load_lexicon().cues.media, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)")


def resolve_speakers(
    speakers: tuple[Actor, ...], resolve: Callable[[tuple[Actor, ...]], tuple[Actor, ...]]
) -> tuple[Actor, ...]:
    """Resolve each speaker; an outlet ("Reuters", "state media") stays a named source."""
    outlets = _outlet_pattern()
    resolved: list[Actor] = []
    for speaker in speakers:
        found = outlets.search(speaker.text)
        outlet = found.group(0) if found else None
        if outlet is not None:
            resolved.append(
                Actor(
                    speaker.text,
                    speaker.start,
                    speaker.end,
                    name=outlet,
                    sector="MED",
                    rule="media.v1",
                )
            )
        else:
            resolved.extend(resolve((speaker,)))
    return tuple(resolved)
