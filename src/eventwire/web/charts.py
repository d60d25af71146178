"""Chart geometry for server-rendered SVG: bars over time, a counterpart network, a map.

Functions here turn counts into shapes (:class:`Chart`); one template macro draws
any chart, escaping every label. Colours that name a category (status, quad class,
place precision) are CSS classes, so the palette lives in the stylesheet only;
the one continuous colour (cooperation–conflict score) is computed here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    cls: str
    title: str
    href: str | None = None
    opacity: float = 1.0


@dataclass(frozen=True, slots=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    cls: str = "grid"
    stroke: str | None = None  # a computed colour; None: the class's
    width: float = 1.0
    title: str = ""


@dataclass(frozen=True, slots=True)
class Circle:
    x: float
    y: float
    r: float
    cls: str
    title: str
    href: str | None = None


@dataclass(frozen=True, slots=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str = "middle"  # start | middle | end
    cls: str = "label"
    href: str | None = None


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    title: str
    rects: list[Rect] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    circles: list[Circle] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    polyline: list[tuple[float, float]] = field(default_factory=list)


def score_colour(score: float | None) -> str:
    """−10 (conflict) red … 0 grey … +10 (cooperation) green."""
    if score is None:
        return "#9e9e9e"
    t = max(-1.0, min(1.0, score / 10))
    grey, red, green = (158, 158, 158), (192, 57, 43), (30, 132, 73)
    end = red if t < 0 else green
    mixed = [round(g + (e - g) * abs(t)) for g, e in zip(grey, end, strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*mixed)


def _every(n: int, room: int) -> int:
    """Label every k-th of ``n`` ticks so that at most ``room`` labels show."""
    return max(1, math.ceil(n / max(1, room)))


def stacked_bars(
    periods: Sequence[str],
    counts: Mapping[str, Mapping[str, int]],
    keys: Sequence[str],
    key_class: Mapping[str, str],
    key_label: Mapping[str, str],
    width: int = 760,
    height: int = 220,
    href: str | None = None,
) -> Chart:
    """One bar per period, stacked by key (in ``keys`` order); ``href`` gets
    ``{period}`` filled in to link each bar."""
    chart = Chart(width, height, "counts per period")
    if not periods:
        return chart
    left, bottom, top = 40, 30, 10
    plot_w, plot_h = width - left - 10, height - bottom - top
    peak = max(sum(counts.get(p, {}).values()) for p in periods) or 1
    step = plot_w / len(periods)
    for tick in (0, peak // 2, peak):
        y = top + plot_h - plot_h * tick / peak
        chart.lines.append(Line(left, y, width - 10, y))
        chart.labels.append(Label(left - 4, y + 4, f"{tick:,}", "end", "axis"))
    every = _every(len(periods), plot_w // 60)
    for i, period in enumerate(periods):
        x, y = left + i * step, top + plot_h
        for key in keys:
            n = counts.get(period, {}).get(key, 0)
            if not n:
                continue
            h = plot_h * n / peak
            y -= h
            link = href.format(period=period) if href else None
            title = f"{period}: {n:,} {key_label.get(key, key)}"
            chart.rects.append(Rect(x + 1, y, max(1.0, step - 2), h, key_class[key], title, link))
        if i % every == 0:
            chart.labels.append(Label(x + step / 2, height - 10, period, "middle", "axis"))
    return chart


def heat_rows(
    rows: Sequence[str],
    periods: Sequence[str],
    counts: Mapping[tuple[str, str], int],
    row_class: Mapping[str, str],
    width: int = 760,
    href: str | None = None,
) -> Chart:
    """A grid: one row per ``rows`` item, one column per period, shade by count."""
    left, cell_h = 90, 16
    height = 24 + cell_h * len(rows)
    chart = Chart(width, height, "counts by row and period")
    if not periods or not rows:
        return chart
    step = (width - left - 10) / len(periods)
    peak = max(counts.values(), default=1) or 1
    for r, row in enumerate(rows):
        y = 4 + r * cell_h
        chart.labels.append(Label(left - 6, y + cell_h - 4, row, "end", "axis"))
        for c, period in enumerate(periods):
            n = counts.get((row, period), 0)
            if n:
                link = href.format(row=row, period=period) if href else None
                opacity = 0.15 + 0.85 * math.sqrt(n / peak)
                chart.rects.append(
                    Rect(
                        left + c * step,
                        y,
                        max(1.0, step - 1),
                        cell_h - 2,
                        row_class.get(row, ""),
                        f"{row} {period}: {n:,}",
                        link,
                        round(opacity, 2),
                    )
                )
    every = _every(len(periods), (width - left) // 60)
    for c, period in enumerate(periods):
        if c % every == 0:
            chart.labels.append(
                Label(left + c * step + step / 2, height - 4, period, "middle", "axis")
            )
    return chart


@dataclass(frozen=True, slots=True)
class Node:
    code: str
    name: str | None
    events: int
    score: float | None


def network(center: Node, others: Sequence[Node], size: int = 520) -> Chart:
    """The actor in the middle, its counterparts on a circle around it; each edge
    coloured by the pair's cooperation–conflict score, its width by real events."""
    chart = Chart(size, size, f"counterparts of {center.code}")
    mid, radius = size / 2, size / 2 - 70
    peak = max((o.events for o in others), default=1) or 1
    places = []
    for i, other in enumerate(others):
        angle = 2 * math.pi * i / max(1, len(others)) - math.pi / 2
        x, y = mid + radius * math.cos(angle), mid + radius * math.sin(angle)
        places.append((other, x, y, angle))
        score = "unknown" if other.score is None else f"{other.score:+.1f}"
        chart.lines.append(
            Line(
                mid,
                mid,
                x,
                y,
                "edge",
                score_colour(other.score),
                round(1 + 9 * math.sqrt(other.events / peak), 1),
                f"{center.code}–{other.code}: {other.events:,} events, score {score}",
            )
        )
    for other, x, y, angle in places:
        href = f"/actors/{other.code}"
        title = f"{other.code} {other.name or ''}: {other.events:,} events".strip()
        chart.circles.append(Circle(x, y, 7, "node", title, href))
        outside = 16 if math.cos(angle) >= 0 else -16
        anchor = "start" if math.cos(angle) >= 0 else "end"
        chart.labels.append(Label(x + outside, y + 4, other.code, anchor, "node-label", href))
    chart.circles.append(Circle(mid, mid, 12, "node center", center.name or center.code))
    chart.labels.append(Label(mid, mid - 18, center.code, "middle", "node-label center"))
    return chart


def line_over_bars(
    chart: Chart, periods: Sequence[str], values: Mapping[str, float], low: float, high: float
) -> Chart:
    """Add a line of ``values`` (on a ``low``…``high`` scale) over a bar chart's periods."""
    if not periods:
        return chart
    left, bottom, top = 40, 30, 10
    plot_w, plot_h = chart.width - left - 10, chart.height - bottom - top
    step = plot_w / len(periods)
    points = [
        (
            round(left + i * step + step / 2, 1),
            round(top + plot_h - plot_h * (values[p] - low) / (high - low), 1),
        )
        for i, p in enumerate(periods)
        if p in values
    ]
    chart.polyline.extend(points)
    for x, y in points:
        chart.circles.append(Circle(x, y, 2.5, "score-dot", f"score {low}…{high}"))
    return chart


@dataclass(frozen=True, slots=True)
class MapPoint:
    lat: float
    lon: float
    precision: str | None
    label: str  # shown beside the point: the country code
    title: str
    events: int
    href: str | None


def world_map(points: Sequence[MapPoint], fit: bool = True, width: int = 900) -> Chart:
    """Points in an equirectangular projection with a latitude/longitude grid.

    No coastlines (there is no map data offline): the grid and each point's country
    code give the bearings. With ``fit`` the view closes in on the points.
    """
    west, east, south, north = -180.0, 180.0, -90.0, 90.0
    if fit and points:
        lons, lats = [p.lon for p in points], [p.lat for p in points]
        pad = 8.0
        west, east = max(-180.0, min(lons) - pad), min(180.0, max(lons) + pad)
        south, north = max(-90.0, min(lats) - pad), min(90.0, max(lats) + pad)
        # Keep degrees square (the projection's one promise) by widening the short side.
        span = max(east - west, 2 * (north - south), 40.0)
        middle = (east + west) / 2
        west, east = middle - span / 2, middle + span / 2
        middle = (north + south) / 2
        south, north = middle - span / 4, middle + span / 4
    height = round(width / 2)
    chart = Chart(width, height, "located events")

    def x_of(lon: float) -> float:
        return round((lon - west) / (east - west) * width, 1)

    def y_of(lat: float) -> float:
        return round((north - lat) / (north - south) * height, 1)

    grid = next(g for g in (5, 10, 15, 30) if (east - west) / g <= 14)
    for lon in range(-180, 181, grid):
        if west <= lon <= east:
            chart.lines.append(
                Line(x_of(lon), 0, x_of(lon), height, "equator" if lon == 0 else "grid")
            )
            chart.labels.append(Label(x_of(lon) + 2, height - 4, f"{lon}°", "start", "axis"))
    for lat in range(-90, 91, grid):
        if south <= lat <= north:
            chart.lines.append(
                Line(0, y_of(lat), width, y_of(lat), "equator" if lat == 0 else "grid")
            )
            chart.labels.append(Label(4, y_of(lat) - 2, f"{lat}°", "start", "axis"))
    peak = max((p.events for p in points), default=1)
    for point in sorted(points, key=lambda p: -p.events):  # small points drawn last, on top
        x, y = x_of(point.lon), y_of(point.lat)
        r = round(3 + 9 * math.sqrt(point.events / peak), 1)
        chart.circles.append(
            Circle(x, y, r, f"point prec-{point.precision}", point.title, point.href)
        )
        chart.labels.append(Label(x + r + 2, y + 4, point.label, "start", "point-label"))
    return chart
