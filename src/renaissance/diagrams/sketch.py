"""A Vensim sketch of a model, one view per sector, from the stock-and-flow layout.

The sketch section of a ``.mdl`` file follows its equations::

    \\\\\\---/// Sketch information - do not modify anything except names
    V300  Do not put anything below this section - it will be ignored
    *View name
    $192-192-192,0,Helvetica|12||0-0-0|0-0-0|0-0-255|-1--1--1|-1--1--1|96,96,100,0
    10,1,Technical Capital,500,300,40,20,3,3,0,0,0,0,0,0      variable (shape 3: stock box)
    11,2,48,380,300,6,8,34,3,0,0,1,0,0,0                       valve
    10,3,Private Technical Investment,380,316,49,8,40,3,...    the flow's name, on its valve
    12,4,48,260,300,10,8,0,3,0,0,-1,0,0,0                      cloud
    1,5,2,1,4,0,0,22,0,0,0,-1--1--1,,1|(440,300)|              pipe: valve -> stock (arrowhead)
    1,6,2,4,100,0,0,22,0,0,0,-1--1--1,,1|(320,300)|            pipe: valve -> cloud (the source)
    1,7,8,3,0,0,43,0,0,64,0,-1--1--1,,1|(430,250)|             information arrow, polarity '+'
    ///---\\\\\\

(each further view repeats the first two lines). Object ids count from 1 in each
view. A variable of another sector that a view shows is a shadow (field 9 even: ``2``).
Every variable is placed once, in the view of its sector; every arrow is a dependency
in the equations; positions are Graphviz's (points, y turned downwards).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from renaissance.diagrams.layout import layout
from renaissance.diagrams.sectors import SKETCH_MARKER
from renaissance.diagrams.stock_flow import sector_graph
from renaissance.diagrams.structure import ModelStructure, read_structure

VIEW_START = (
    "\\\\\\---/// Sketch information - do not modify anything except names\n"
    "V300  Do not put anything below this section - it will be ignored\n"
)
VIEW_FORMAT = "$192-192-192,0,Helvetica|12||0-0-0|0-0-0|0-0-255|-1--1--1|-1--1--1|96,96,100,0"
SKETCH_END = "///---\\\\\\"
SETTINGS = ":L<%^E!@\n9:Current\n15:0,0,0,0,0,0\n19:100,0\n27:2,\n34:0,\n4:Time\n"
"""Vensim's settings block after the sketch (used when the file has none)."""
POLARITY_CODE = {"+": 43, "−": 45}
"""Vensim writes an arrow's polarity as the character code of its sign."""
MARGIN = 40


def view_name(sector: str) -> str:
    """A Vensim view name for a sector (no characters Vensim's view list rejects)."""
    return " ".join(sector.replace(":", " -").replace("*", " ").replace("|", " ").split())


def sketch_text(structure: ModelStructure, polarity: dict | None = None) -> str:
    """The sketch section of ``structure``'s model, one view per sector.

    Parameters
    ----------
    structure : ModelStructure
    polarity : dict, optional
        ``(source, target)`` -> sign; ``+`` and ``−`` are written on the arrows.

    Returns
    -------
    str
        From the first ``\\\\\\---///`` line to the closing ``///---\\\\\\`` line.
    """
    polarity = polarity or {}
    views = [_view(structure, sector, polarity) for sector in structure.sectors]
    return "".join(views) + SKETCH_END + "\n"


def _view(structure: ModelStructure, sector: str, polarity: dict) -> str:
    graph = layout(sector_graph(structure, sector))
    height = float(graph["bb"].split(",")[3])
    positions = {}
    for item in graph.get("objects", ()):
        if "pos" in item:
            x, y = (float(v) for v in item["pos"].split(","))
            positions[item["name"]] = (round(x) + MARGIN, round(height - y) + MARGIN)
    names = {item.get("_gvid"): item["name"] for item in graph.get("objects", ())}
    bends = {}  # (tail, head) -> the middle of Graphviz's spline: Vensim arcs through it
    for edge in graph.get("edges", ()):
        points = [p for p in edge.get("pos", "").split() if not p.startswith(("e,", "s,"))]
        if points:
            x, y = (float(v) for v in points[len(points) // 2].split(","))
            bends[(names[edge["tail"]], names[edge["head"]])] = (
                round(x) + MARGIN,
                round(height - y) + MARGIN,
            )
    variables = structure.variables
    own = structure.sector_variables(sector)
    ends = structure.flow_ends()
    lines = [f"*{view_name(sector)}", VIEW_FORMAT]
    ids: dict[str, int] = {}
    valves: dict[str, int] = {}

    counter = iter(range(1, 10**9))  # object ids of this view
    for key in own:
        x, y = positions[key]
        name = variables[key].name
        if variables[key].kind == "stock":
            ids[key] = next(counter)
            lines.append(f"10,{ids[key]},{name},{x},{y},40,20,3,3,0,0,0,0,0,0")
        elif variables[key].kind == "flow":
            valves[key] = next(counter)
            lines.append(f"11,{valves[key]},48,{x},{y},6,8,34,3,0,0,1,0,0,0")
            ids[key] = next(counter)
            width = _half_width(name)
            lines.append(f"10,{ids[key]},{name},{x},{y + 16},{width},8,40,3,0,0,-1,0,0,0")
        else:
            ids[key] = next(counter)
            lines.append(f"10,{ids[key]},{name},{x},{y},{_half_width(name)},8,8,3,0,0,0,0,0,0")
    own_set = set(own)
    for key in own:
        if variables[key].kind != "flow":
            continue
        source, sink = ends.get(key, (None, None))
        for end, shape, side in ((source, 100, "in"), (sink, 4, "out")):
            if end is None or end not in own_set:
                cloud = f"cloud:{key}:{side}"
                x, y = positions[cloud]
                ids[cloud] = next(counter)
                lines.append(f"12,{ids[cloud]},48,{x},{y},10,8,0,3,0,0,-1,0,0,0")
                end = cloud
            middle = _middle(positions[key], positions[end])
            lines.append(f"1,{next(counter)},{valves[key]},{ids[end]},{shape},0,0,22,0,0,0,"
                         f"-1--1--1,,1|({middle[0]},{middle[1]})|")  # fmt: skip
    pipes = {(f, ends[f][0]) for f in ends} | {(f, ends[f][1]) for f in ends}
    for link in structure.links:
        if link.target not in own_set:
            continue
        if (link.source, link.target) in pipes and variables[link.target].kind == "stock":
            continue
        source = link.source
        if source not in own_set:
            source = f"shadow:{link.source}"
            if source not in ids:
                x, y = positions[source]
                name = variables[link.source].name
                ids[source] = next(counter)
                lines.append(f"10,{ids[source]},{name},{x},{y},{_half_width(name)},8,8,2,0,3,-1,"
                             "0,0,0,128-128-128,0-0-0,|12||128-128-128")  # fmt: skip
        sign = POLARITY_CODE.get(polarity.get((link.source, link.target), ""), 0)
        middle = bends.get((source, link.target)) or _middle(
            positions[source], positions[link.target]
        )
        lines.append(f"1,{next(counter)},{ids[source]},{ids[link.target]},0,0,{sign},0,0,64,0,"
                     f"-1--1--1,,1|({middle[0]},{middle[1]})|")  # fmt: skip
    return VIEW_START + "\n".join(lines) + "\n"


def _half_width(name: str) -> int:
    return max(20, min(60, 3 * len(name)))


def _middle(a, b) -> tuple[int, int]:
    return (round((a[0] + b[0]) / 2), round((a[1] + b[1]) / 2))


def write_sketch(path, with_polarity: bool = True) -> Path:
    """Replace the sketch section of the ``.mdl`` file ``path`` with a generated one.

    The equations (everything before ``\\\\\\---///``) are kept byte for byte, and so is
    Vensim's settings block after the sketch if the file has one. The file is replaced
    atomically (a temporary file in the same folder, then a rename).

    Parameters
    ----------
    path : str or pathlib.Path
    with_polarity : bool
        Mark arrows ``+``/``−`` from the link polarities at the baseline
        (:func:`~renaissance.diagrams.polarity.link_polarities`, which runs the model).
    """
    path = Path(path)
    raw = path.read_bytes().decode("utf-8")
    structure = read_structure(path)
    polarity = None
    if with_polarity:
        from renaissance.diagrams.polarity import link_polarities

        polarity = link_polarities(structure)
    equations, marker, rest = raw.partition(SKETCH_MARKER)
    settings = SETTINGS
    if marker and SKETCH_END in rest:
        tail = rest.split(SKETCH_END, 1)[1].lstrip("\r\n")
        if tail.strip():
            settings = tail
    if not equations.endswith("\n"):
        equations += "\n"
    text = equations + sketch_text(structure, polarity) + settings
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
