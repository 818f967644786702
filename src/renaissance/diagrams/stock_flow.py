"""Stock-and-flow diagram of one sector, as a Graphviz graph.

Drawn with the conventions of Vensim and Stella:

- a **stock** is a box;
- a **flow** is a valve (a small circle with the flow's name) on a pipe (a thick double
  line) that runs from the stock it drains to the stock it fills, or from or to a
  **cloud** (a dashed ellipse) where the flow crosses the model's boundary, or where
  the stock at the other end is drawn in another sector;
- **auxiliaries** are plain names, **constants** grey names, **lookups** italic names;
- a variable of another sector that this sector reads is a **shadow**: its name in angle
  brackets, grey (Vensim's ``<Name>``);
- **information links** are thin curved arrows, dashed when they only carry an initial
  value.
"""

from __future__ import annotations

import textwrap

from renaissance.diagrams.ranking import unranked_links
from renaissance.diagrams.structure import ModelStructure

WRAP = 16
"""Characters per line of a wrapped variable name."""
COLOURS = {
    "stock": "#dbe9f6",
    "stock_line": "#1f4e79",
    "pipe": "#1f4e79",
    "link": "#3a6ea5",
    "initial": "#9aa5b1",
    "constant": "#5f6b77",
    "shadow": "#8a949e",
    "cloud": "#7f8c99",
}


def wrap(name: str, width: int = WRAP) -> str:
    """A variable name broken into lines of at most ``width`` characters."""
    return "\n".join(textwrap.wrap(name, width)) or name


def quote(text: str) -> str:
    """A DOT string literal (double quotes, backslashes and quotes escaped, ``\\n`` kept)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def sector_graph(structure: ModelStructure, sector: str) -> str:
    """DOT text of the stock-and-flow diagram of ``sector``.

    Parameters
    ----------
    structure : ModelStructure
    sector : str
        One of ``structure.sectors``.

    Returns
    -------
    str
        A ``digraph`` whose node ids are the variables' normalised names (and
        ``cloud:<flow>:in``/``:out`` for clouds, ``shadow:<key>`` for shadows).
    """
    if sector not in structure.sectors:
        raise ValueError(f"sector {sector!r} is not one of {structure.sectors}")
    variables = structure.variables
    own = structure.sector_variables(sector)
    own_set = set(own)
    ends = structure.flow_ends()
    lines = [
        "digraph stock_flow {",
        f"  graph [rankdir=LR, splines=true, nodesep=0.35, ranksep=0.55, fontname=Helvetica,"
        f" label={quote(sector)}, labelloc=t, fontsize=20, pad=0.3, forcelabels=true];",
        '  node [fontname=Helvetica, fontsize=11, shape=plaintext, margin="0.02,0.02"];',
        f'  edge [color="{COLOURS["link"]}", arrowsize=0.6, penwidth=0.9];',
    ]
    for key in own:
        name = quote(wrap(variables[key].name))
        label = f'label="", xlabel={name}' if variables[key].kind == "flow" else f"label={name}"
        lines.append(f"  {quote(key)} [{_node_style(variables[key].kind)}, {label}];")
    drawn = set(own)
    pipe_edges: list[tuple[str, str]] = []
    for key in own:
        if variables[key].kind != "flow":
            continue
        source, sink = ends.get(key, (None, None))
        for end, direction in ((source, "in"), (sink, "out")):
            if end is None or end not in own_set:
                cloud = f"cloud:{key}:{direction}"
                lines.append(f"  {quote(cloud)} [shape=ellipse, style=dashed, label=\"\", "
                             f'width=0.45, height=0.3, color="{COLOURS["cloud"]}"];')  # fmt: skip
                end = cloud
            pipe = (f'color="{COLOURS["pipe"]}:#ffffff:{COLOURS["pipe"]}", penwidth=1.6, '
                    "weight=8")  # fmt: skip
            if direction == "in":
                lines.append(f"  {quote(end)} -> {quote(key)} [{pipe}, arrowhead=none];")
                pipe_edges.append((end, key))
            else:
                lines.append(f"  {quote(key)} -> {quote(end)} [{pipe}, arrowhead=normal, "
                             "arrowsize=0.9];")  # fmt: skip
                pipe_edges.append((key, end))
    pipes = {(f, ends[f][0]) for f in ends} | {(f, ends[f][1]) for f in ends}
    links = [
        (link, link.source if link.source in own_set else f"shadow:{link.source}")
        for link in structure.links
        if link.target in own_set
        and not ((link.source, link.target) in pipes and variables[link.target].kind == "stock")
    ]  # (a pipe is the link from a flow to its stock)
    unranked = unranked_links(
        [(tail, head, False, 0) for tail, head in pipe_edges]
        + [(source, link.target, True, _preference(variables[link.source].kind))
           for link, source in links]
    )  # fmt: skip
    for link, source in links:
        if source not in own_set:
            if source not in drawn:
                drawn.add(source)
                lines.append(
                    f'  {quote(source)} [fontcolor="{COLOURS["shadow"]}", fontsize=10, '
                    f"label={quote(wrap('<' + variables[link.source].name + '>'))}];"
                )
        style = f'style=dashed, color="{COLOURS["initial"]}", ' if link.initial else ""
        if (source, link.target) in unranked:
            style += "constraint=false, "
        lines.append(f"  {quote(source)} -> {quote(link.target)} [{style}weight=1];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _preference(kind: str) -> int:
    """Which information links break loops in the layout first (see ranking)."""
    return {"stock": 0, "flow": 1}.get(kind, 2)


def _node_style(kind: str) -> str:
    if kind == "stock":
        return (f'shape=box, style="filled", fillcolor="{COLOURS["stock"]}", '
                f'color="{COLOURS["stock_line"]}", penwidth=1.6, fontsize=12, '
                'margin="0.12,0.08"')  # fmt: skip
    if kind == "flow":
        return (f'shape=circle, width=0.2, height=0.2, fixedsize=true, '
                f'color="{COLOURS["pipe"]}", penwidth=1.4, labelloc=b, '
                "fontsize=10")  # fmt: skip
    if kind == "constant":
        return f'fontcolor="{COLOURS["constant"]}", fontsize=10'
    if kind == "lookup":
        return 'fontname="Helvetica-Oblique"'
    return "fontsize=11"
