"""Diagrams of a model written to files: stock-and-flow views per sector, loop diagrams.

``draw_diagrams(model, folder)`` is what ``renaissance diagram`` runs. Every diagram is
written as SVG (Graphviz's drawing) and PNG (:mod:`renaissance.diagrams.raster`), with
the Graphviz source beside them (``.dot``), so that a reader can re-lay it out.
"""

from __future__ import annotations

import csv
import difflib
import re
from pathlib import Path

from renaissance.diagrams import layout, raster
from renaissance.diagrams.causal_loops import loop_graph
from renaissance.diagrams.stock_flow import sector_graph
from renaissance.diagrams.structure import ModelStructure, read_structure

KINDS = ("stock-flow", "loops")


def slug(text: str) -> str:
    """A file name for a sector or loop: lower case words joined by ``-``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "model"


def check_sector(structure: ModelStructure, sector: str | None) -> str | None:
    """``sector`` as the model spells it (matched case-insensitively), or a ValueError."""
    if sector is None:
        return None
    for known in structure.sectors:
        if known.lower() == sector.lower() or slug(known) == slug(sector):
            return known
    close = difflib.get_close_matches(sector, structure.sectors, n=3, cutoff=0.3)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise ValueError(
        f"{structure.path}: --sector {sector!r} is not a sector (group) of the model; "
        f"its sectors are {structure.sectors}{hint}"
    )


def draw_diagrams(model, folder, kind: str | None = None, sector: str | None = None) -> list[Path]:
    """Draw the diagrams of the Vensim model ``model`` into ``folder``.

    Parameters
    ----------
    model : str or pathlib.Path
        A ``.mdl`` file.
    folder : str or pathlib.Path
        Output folder, created if needed. Stock-and-flow views go to
        ``stock-flow/<sector>.{svg,png,dot}``; loop diagrams to
        ``loops/all.{svg,png,dot}`` and ``loops/<id>.{svg,png,dot}``, with
        ``loops/loops.csv`` (each loop's chain and polarity) and ``loops/links.csv``
        (every link's polarity).
    kind : {"stock-flow", "loops"} or None
        Which diagrams; both when None.
    sector : str, optional
        Only this sector's stock-and-flow view, and only the loops that pass through it.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of {KINDS}")
    structure = read_structure(model)
    sector = check_sector(structure, sector)
    folder = Path(folder)
    written: list[Path] = []
    if kind in (None, "stock-flow"):
        for name in [sector] if sector else structure.sectors:
            written += _write(sector_graph(structure, name), folder / "stock-flow", slug(name))
    if kind in (None, "loops"):
        written += _draw_loops(structure, folder / "loops", sector)
    return written


def _draw_loops(structure: ModelStructure, folder: Path, sector: str | None) -> list[Path]:
    from renaissance.diagrams.loops import model_loops
    from renaissance.diagrams.polarity import link_polarities

    polarity = link_polarities(structure)
    loops = model_loops(structure, polarity)
    if sector is not None:
        members = set(structure.sector_variables(sector))
        loops = [loop for loop in loops if members & set(loop.variables)]
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    if loops:
        title = "Feedback loops" + (f": {sector}" if sector else "")
        written += _write(loop_graph(structure, loops, polarity, title), folder, "all")
        for loop in loops:
            title = f"{loop.identifier} {loop.name}".strip()
            written += _write(loop_graph(structure, [loop], polarity, title), folder,
                              slug(loop.identifier))  # fmt: skip
    names = structure.variables
    table = folder / "loops.csv"
    with open(table, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["loop", "name", "named", "polarity", "agrees_with_name", "length",
                      "variables", "tagged_variables"])  # fmt: skip
        for loop in loops:
            out.writerow([loop.identifier, loop.name, loop.named, loop.polarity, loop.agrees,
                          len(loop.variables), " -> ".join(names[v].name for v in loop.variables),
                          "; ".join(names[v].name for v in loop.tagged)])  # fmt: skip
    links = folder / "links.csv"
    with open(links, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["source", "target", "polarity"])
        for (source, target), sign in polarity.items():
            out.writerow([names[source].name, names[target].name, sign])
    return [*written, table, links]


def _write(dot: str, folder: Path, stem: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{stem}.dot", folder / f"{stem}.svg", folder / f"{stem}.png"]
    paths[0].write_text(dot, encoding="utf-8")
    paths[1].write_bytes(layout.svg(dot))
    raster.write_png(layout.layout(dot), paths[2])
    return paths
