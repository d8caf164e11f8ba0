"""A placeholder of the EU emblem drawn with reportlab shapes: a blue rectangle with a
circle of twelve yellow five-pointed stars (proportions of the official flag: 3 × 2, the
circle's radius a third of the height). The real artwork may replace it; no image file
is needed meanwhile."""

from __future__ import annotations

import math

from reportlab.graphics.shapes import Drawing, Polygon, Rect
from reportlab.lib import colors

from preau.programme.exports.publicity import EU_BLUE, EU_YELLOW


def _star(cx: float, cy: float, radius: float) -> Polygon:
    points: list[float] = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.382
        angle = math.pi / 2 + i * math.pi / 5
        points += [cx + r * math.cos(angle), cy + r * math.sin(angle)]
    yellow = colors.HexColor(EU_YELLOW)
    return Polygon(points, fillColor=yellow, strokeColor=yellow, strokeWidth=0)


def emblem(height: float) -> Drawing:
    """The emblem ``height`` points high (and 1.5 × as wide)."""
    width = height * 1.5
    drawing = Drawing(width, height)
    blue = colors.HexColor(EU_BLUE)
    drawing.add(Rect(0, 0, width, height, fillColor=blue, strokeColor=blue, strokeWidth=0))
    circle, star = height / 3, height / 18
    for i in range(12):
        angle = math.pi / 2 - i * math.pi / 6
        drawing.add(
            _star(width / 2 + circle * math.cos(angle), height / 2 + circle * math.sin(angle), star)
        )
    return drawing
