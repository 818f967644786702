"""A picture of one view of a Vensim sketch, drawn from the sketch as it was read back.

Vensim's own rendering is not available here; this draws what a sketch says, with the
same conventions (boxes for stocks, valves on double-line pipes, clouds, names for
auxiliaries, grey ``<names>`` for shadows, arrows with their polarity), so that a
generated sketch can be looked at and checked.
"""

from __future__ import annotations

from pathlib import Path

from renaissance.diagrams.sketch_reader import View
from renaissance.diagrams.stock_flow import wrap


def draw_view(view: View, path: Path, dpi: int = 100) -> None:
    """Draw ``view`` (:func:`~renaissance.diagrams.sketch_reader.read_sketch`) into ``path``."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from matplotlib.patches import Ellipse, FancyArrowPatch, Rectangle

    xs = [p[0] for p in view.positions.values()]
    ys = [p[1] for p in view.positions.values()]
    width, height = max(xs) - min(xs) + 160, max(ys) - min(ys) + 120
    figure = plt.figure(figsize=(width / 72, height / 72), dpi=dpi)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(min(xs) - 80, max(xs) + 80)
    axes.set_ylim(max(ys) + 60, min(ys) - 60)  # Vensim's y grows downwards
    axes.set_axis_off()
    for x, y, kind, label in view.positions.values():
        if kind == "stock":
            axes.add_patch(Rectangle((x - 40, y - 20), 80, 40, facecolor="#dbe9f6",
                                     edgecolor="#1f4e79", lw=1.5, zorder=3))  # fmt: skip
            axes.text(x, y, wrap(label, 14), ha="center", va="center", fontsize=7, zorder=4)
        elif kind == "valve":
            axes.add_patch(Ellipse((x, y), 10, 10, facecolor="white", edgecolor="#1f4e79",
                                   lw=1.3, zorder=3))  # fmt: skip
        elif kind == "cloud":
            axes.add_patch(Ellipse((x, y), 22, 14, facecolor="white", edgecolor="#7f8c99",
                                   ls="--", zorder=3))  # fmt: skip
        else:
            colour = "#8a949e" if kind == "shadow" else "black"
            text = f"<{label}>" if kind == "shadow" else label
            axes.text(x, y, wrap(text, 16), ha="center", va="center", fontsize=6.5,
                      color=colour, zorder=4,
                      bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})  # fmt: skip
    for start, end, kind, code in view.connections:
        if start not in view.positions or end not in view.positions:
            continue
        a, b = view.positions[start][:2], view.positions[end][:2]
        if kind.startswith("pipe"):
            tail, head = (a, b) if kind == "pipe to" else (b, a)
            axes.add_patch(FancyArrowPatch(tail, head, arrowstyle="-|>" if kind == "pipe to"
                                           else "-", mutation_scale=12, lw=3, color="#1f4e79",
                                           zorder=1, shrinkA=6, shrinkB=6))  # fmt: skip
            continue
        bend = view.bends.get((start, end))
        axes.add_patch(FancyArrowPatch(a, b, arrowstyle="-|>", mutation_scale=8, lw=0.7,
                                       color="#3a6ea5", connectionstyle=_arc(a, b, bend),
                                       zorder=2, shrinkA=8, shrinkB=12))  # fmt: skip
        if code:
            axes.text(b[0] + 0.15 * (a[0] - b[0]), b[1] + 0.15 * (a[1] - b[1]), chr(code),
                      fontsize=8, color="#c0392b", ha="center", va="center", zorder=5)  # fmt: skip
    figure.savefig(path, dpi=dpi, facecolor="white")
    plt.close(figure)


def _arc(a, b, bend) -> str:
    """Matplotlib's arc through ``bend`` (Vensim's control point) between ``a`` and ``b``."""
    if bend is None:
        return "arc3,rad=0"
    length2 = (b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2
    if length2 == 0:
        return "arc3,rad=0"
    # arc3 puts its Bezier control point at rad * |AB| off the chord's middle, in display
    # coordinates (y up; Vensim's y grows down), and the curve passes half-way to it
    cross = (b[0] - a[0]) * (bend[1] - a[1]) - (b[1] - a[1]) * (bend[0] - a[0])
    return f"arc3,rad={2 * cross / length2:.3f}"
