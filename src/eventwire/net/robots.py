"""robots.txt rules per site, parsed by protego, read as RFC 9309 says.

- 2xx: the rules apply (the first 500 KiB are parsed);
- 4xx: there are no rules, everything may be fetched;
- 5xx and 429: the site counts as fully disallowed until the rules can be read
  again (429 as Google reads it: the site is asking crawlers to back off);
- more redirects than are followed: as 4xx.

A site that cannot be reached at all is reported as such by the fetcher.
"""

from __future__ import annotations

from dataclasses import dataclass

from protego import Protego

MAX_ROBOTS_BYTES = 500 * 1024


@dataclass(frozen=True, slots=True)
class RobotsRules:
    parser: Protego | None  # None: no rules (4xx)
    unreachable: str | None = None  # why the file could not be read; everything disallowed

    def allows(self, url: str, agent: str) -> bool:
        if self.unreachable is not None:
            return False
        return self.parser is None or self.parser.can_fetch(url, agent)

    def crawl_delay(self, agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(agent)
        return float(delay) if delay is not None else None


def rules_from_response(status: int, body: bytes) -> RobotsRules:
    if 200 <= status < 300:
        text = body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
        return RobotsRules(Protego.parse(text))
    if 400 <= status < 500 and status != 429:
        return RobotsRules(None)
    return RobotsRules(None, unreachable=f"robots.txt answered HTTP {status}")
