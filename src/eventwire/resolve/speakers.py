"""Who an event is attributed to: parties get codes; news outlets keep their names."""

from __future__ import annotations

from collections.abc import Callable

from eventwire.events.lexicon import load_lexicon
from eventwire.model import Actor


def resolve_speakers(
    speakers: tuple[Actor, ...], resolve: Callable[[tuple[Actor, ...]], tuple[Actor, ...]]
) -> tuple[Actor, ...]:
    """Resolve each speaker; an outlet ("Reuters", "state media") stays a named source."""
    media = load_lexicon().cues.media
    resolved: list[Actor] = []
    for speaker in speakers:
        outlet = next(
            (name for name in media if speaker.text == name or speaker.text.endswith(" " + name)),
            None,
        )
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
