"""The report's two drawings, in fpdf2's vector shapes: the map of Türkiye's provinces coloured
by their share satisfied, and a period's trend of the share satisfied with its interval.

The map is drawn from the dashboard's provinces.geojson (OpenStreetMap, ODbL: see
admin/dashboard/static/SOURCES.md) in a plain equirectangular projection, stretched by the
cosine of Türkiye's middle latitude so the country keeps its shape."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from fpdf import FPDF

GEOJSON = Path(__file__).parents[1] / "dashboard" / "static" / "provinces.geojson"
MIDDLE_LATITUDE = 39.0
SMALLEST_STEP = 0.25  # mm: points nearer than this to the last one kept add nothing on paper
Colour = tuple[int, int, int]
Point = tuple[float, float]

# Five classes of the share satisfied, red (few satisfied) to green; hidden cells grey.
CLASSES: tuple[tuple[float, Colour], ...] = (
    (0.2, (215, 48, 39)), (0.4, (252, 141, 89)), (0.6, (254, 224, 139)),
    (0.8, (145, 207, 96)), (1.01, (26, 152, 80)))
HIDDEN: Colour = (150, 150, 150)
NO_FIGURE: Colour = (238, 238, 238)
BORDER: Colour = (255, 255, 255)


def share_colour(share: float | None) -> Colour:
    if share is None:
        return NO_FIGURE
    return next(colour for upper, colour in CLASSES if share < upper)


@cache
def _outlines() -> dict[str, list[list[Point]]]:
    """Each province's outer rings (plate: rings) in degrees, x stretched to keep the shape."""
    stretch = math.cos(math.radians(MIDDLE_LATITUDE))
    shapes: dict[str, list[list[Point]]] = {}
    for feature in json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" \
            else [geometry["coordinates"]]
        shapes[feature["properties"]["plate"]] = [
            [(lon * stretch, lat) for lon, lat in polygon[0]] for polygon in polygons]
    return shapes


def map_height(width: float) -> float:
    """The height of a map this wide."""
    left, top, right, bottom = _bounds()
    return width * (top - bottom) / (right - left)


@cache
def _bounds() -> tuple[float, float, float, float]:
    points = [p for rings in _outlines().values() for ring in rings for p in ring]
    return (min(x for x, _ in points), max(y for _, y in points),
            max(x for x, _ in points), min(y for _, y in points))


def draw_map(pdf: FPDF, x: float, y: float, width: float,
             colour_of: Callable[[str], Colour]) -> None:
    """Every province filled with ``colour_of(plate)``, white borders, at (x, y) this wide."""
    left, top, right, _ = _bounds()
    scale = width / (right - left)
    pdf.set_draw_color(*BORDER)
    pdf.set_line_width(0.15)
    for plate, rings in _outlines().items():
        pdf.set_fill_color(*colour_of(plate))
        for ring in rings:
            points = _thinned([(x + (px - left) * scale, y + (top - py) * scale)
                               for px, py in ring])
            if len(points) >= 3:
                pdf.polygon(points, style="DF")
    _plain_lines(pdf)


def _thinned(points: Sequence[Point]) -> list[Point]:
    """The ring with points closer than SMALLEST_STEP to the last kept one left out."""
    kept = [points[0]]
    for point in points[1:]:
        if math.dist(point, kept[-1]) >= SMALLEST_STEP:
            kept.append(point)
    return kept


def draw_trend(pdf: FPDF, x: float, y: float, width: float, height: float,
               points: Sequence[tuple[str, float | None, Sequence[float] | None]],
               hidden_label: str) -> None:
    """The share satisfied (0-100%) by period, a dot and its interval as a bar; a hidden
    period shows ``hidden_label`` in its place and breaks the line."""
    pdf.set_draw_color(180, 180, 180)
    pdf.set_line_width(0.2)
    pdf.set_font("NotoSans", "", 7)
    pdf.set_text_color(90, 90, 90)
    for tick in (0.0, 0.5, 1.0):
        level = y + height * (1 - tick)
        pdf.line(x, level, x + width, level)
        pdf.set_xy(x - 11, level - 2)
        pdf.cell(10, 4, f"%{round(tick * 100)}", align="R")
    step = width / max(len(points), 1)
    previous: Point | None = None
    for index, (label, share, interval) in enumerate(points):
        middle = x + step * (index + 0.5)
        pdf.set_xy(middle - step / 2, y + height + 1)
        pdf.set_text_color(90, 90, 90)
        pdf.cell(step, 4, label, align="C")
        if share is None:
            pdf.set_xy(middle - step / 2, y + height * 0.75 - 2)  # between the grid lines
            pdf.cell(step, 4, hidden_label, align="C")
            previous = None
            continue
        here = (middle, y + height * (1 - share))
        pdf.set_draw_color(18, 42, 84)
        if interval:
            pdf.set_line_width(0.3)
            pdf.line(middle, y + height * (1 - interval[0]), middle,
                     y + height * (1 - interval[1]))
        if previous:
            pdf.set_line_width(0.5)
            pdf.line(*previous, *here)
        pdf.set_fill_color(18, 42, 84)
        pdf.ellipse(here[0] - 1, here[1] - 1, 2, 2, style="F")
        previous = here
    _plain_lines(pdf)
    pdf.set_y(y + height + 7)


def _plain_lines(pdf: FPDF) -> None:
    """fpdf2's defaults back: the tables after a drawing take its colours and lines."""
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
