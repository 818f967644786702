"""PNG images of a laid-out graph: Graphviz's xdot drawing operations drawn by matplotlib.

Graphviz's JSON output lists, for the graph, every cluster, node and edge, the
operations that draw it (xdot format 1.7: pen and fill colours, polygons, ellipses,
Bézier curves, polylines, text with its font and width). Replaying them on a matplotlib
canvas of the same size in points gives the picture Graphviz's own SVG shows, rendered
with matplotlib's bundled fonts (so no system font is needed).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

DRAW_KEYS = ("_draw_", "_ldraw_", "_xldraw_", "_hdraw_", "_tdraw_", "_hldraw_", "_tldraw_")
FONT_SCALE = 0.86
"""Matplotlib's DejaVu Sans is wider than the Helvetica metrics Graphviz lays out with;
text is drawn this much smaller so that it stays inside the width Graphviz reserved."""


def write_png(layout: dict, path: Path, dpi: int = 110) -> None:
    """Draw a laid-out graph (:func:`renaissance.diagrams.layout.layout`) into ``path``.

    Parameters
    ----------
    layout : dict
        Graphviz JSON output.
    path : pathlib.Path
        PNG file to write.
    dpi : int
        Pixels per inch; Graphviz's coordinates are points (1/72 inch).
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    x0, y0, x1, y1 = (float(v) for v in layout["bb"].split(","))
    width, height = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    figure = plt.figure(figsize=(width / 72, height / 72), dpi=dpi)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(x0, x1)
    axes.set_ylim(y0, y1)
    axes.set_axis_off()
    painter = _Painter(axes)
    painter.draw(layout)
    for item in layout.get("objects", ()):
        painter.draw(item)
    for item in layout.get("edges", ()):
        painter.draw(item)
    figure.savefig(path, dpi=dpi, facecolor="white")
    plt.close(figure)


class _Painter:
    """Replays xdot operations, keeping pen, fill, font and style between them."""

    def __init__(self, axes):
        self.axes = axes
        self.pen = "#000000"
        self.fill = "#000000"
        self.font_size = 14.0
        self.style = "solid"
        self.line_width = 1.0
        self.weight = "normal"
        self.italic = False

    def draw(self, item: dict) -> None:
        for key in DRAW_KEYS:
            for operation in item.get(key, ()):
                self.apply(operation)
        self.style, self.line_width = "solid", 1.0  # styles do not carry across objects

    def apply(self, op: dict) -> None:
        kind = op["op"]
        if kind == "c":
            self.pen = _colour(op["color"])
        elif kind == "C":
            self.fill = _colour(op["color"])
        elif kind == "S":
            self._set_style(op["style"])
        elif kind == "F":
            self.font_size = float(op["size"])
        elif kind == "t":
            flags = int(op.get("fontchar", 0))
            self.weight = "bold" if flags & 1 else "normal"
            self.italic = bool(flags & 2)
        elif kind in ("p", "P"):
            self._polygon(np.asarray(op["points"], dtype=float), filled=kind == "P")
        elif kind in ("e", "E"):
            self._ellipse(op["rect"], filled=kind == "E")
        elif kind in ("b", "B"):
            self._bezier(np.asarray(op["points"], dtype=float), filled=kind == "B")
        elif kind == "L":
            points = np.asarray(op["points"], dtype=float)
            self.axes.plot(*points.T, **self._line())
        elif kind == "T":
            self._text(op)

    def _set_style(self, style: str) -> None:
        if style.startswith("setlinewidth("):
            self.line_width = float(style[len("setlinewidth(") : -1])
        elif style in ("solid", "dashed", "dotted"):
            self.style = style
        elif style == "bold":
            self.line_width = 2.0

    def _line(self) -> dict:
        dashes = {"solid": "-", "dashed": (0, (4, 3)), "dotted": (0, (1, 2))}[self.style]
        return {"color": self.pen[0], "alpha": self.pen[1], "linewidth": self.line_width,
                "linestyle": dashes, "solid_capstyle": "butt"}  # fmt: skip

    def _patch(self, filled: bool) -> dict:
        line = self._line()
        return {
            "edgecolor": line["color"] if self.pen[1] > 0 else "none",
            "facecolor": self.fill[0] if filled else "none",
            "alpha": None,
            "linewidth": line["linewidth"],
            "linestyle": line["linestyle"],
        }

    def _polygon(self, points, filled: bool) -> None:
        from matplotlib.patches import Polygon

        self.axes.add_patch(Polygon(points, closed=True, **self._patch(filled)))

    def _ellipse(self, rect, filled: bool) -> None:
        from matplotlib.patches import Ellipse

        cx, cy, rx, ry = (float(v) for v in rect)
        self.axes.add_patch(Ellipse((cx, cy), 2 * rx, 2 * ry, **self._patch(filled)))

    def _bezier(self, points, filled: bool) -> None:
        from matplotlib.patches import PathPatch
        from matplotlib.path import Path as CurvePath

        codes = [CurvePath.MOVETO] + [CurvePath.CURVE4] * (len(points) - 1)
        if filled:
            codes.append(CurvePath.CLOSEPOLY)
            points = np.vstack([points, points[:1]])
        patch = PathPatch(CurvePath(points, codes), **self._patch(filled))
        if not filled:
            patch.set_facecolor("none")
        self.axes.add_patch(patch)

    def _text(self, op: dict) -> None:
        x, y = (float(v) for v in op["pt"])
        align = {"l": "left", "c": "center", "r": "right"}[op.get("align", "c")]
        self.axes.text(
            x, y, op["text"], ha=align, va="baseline", color=self.pen[0],
            fontsize=self.font_size * FONT_SCALE, fontweight=self.weight,
            fontstyle="italic" if self.italic else "normal", family="DejaVu Sans",
        )  # fmt: skip


def _colour(text: str) -> tuple[str, float]:
    """An xdot colour (``#rrggbb`` or ``#rrggbbaa``) as (``#rrggbb``, alpha)."""
    if text.startswith("#") and len(text) == 9:
        return text[:7], int(text[7:], 16) / 255
    if text.startswith("#"):
        return text, 1.0
    if text in ("transparent", "none"):
        return "#ffffff", 0.0
    return text, 1.0
