"""Causal-loop diagram: the variables on feedback loops, links with their polarity.

Each link carries the sign of its partial derivative at the baseline (``+``, ``−``;
``±`` where it changes, ``?`` where it has no effect there). Each loop is marked by its
identifier in a circle (``R`` reinforcing, ``B`` balancing), pulled by invisible springs
to the middle of the variables it passes; the links of a loop take its colour (a link on
several loops is drawn as parallel lines, one per loop). Stocks are boxed, as in
Vensim's causal-loop view of a stock-and-flow model. Laid out by Graphviz ``neato``
(springs), which places a loop's variables around its marker.
"""

from __future__ import annotations

from renaissance.diagrams.loops import Loop
from renaissance.diagrams.stock_flow import quote, wrap
from renaissance.diagrams.structure import ModelStructure

PALETTE = ("#c0392b", "#2471a3", "#229954", "#d68910", "#7d3c98", "#17a589", "#a04000",
           "#2e4053", "#b7950b", "#1f618d", "#943126", "#117a65", "#6c3483", "#b9770e",
           "#5d6d7e", "#148f77", "#884ea0", "#ca6f1e", "#2874a6")  # fmt: skip
SHOWN_SIGN = {"+": "+", "−": "−", "±": "±", "0": "?"}


def loop_graph(structure: ModelStructure, loops: list[Loop], polarity: dict, title: str) -> str:
    """DOT text of the causal-loop diagram of ``loops``.

    Parameters
    ----------
    structure : ModelStructure
    loops : list of Loop
    polarity : dict
        ``(source, target)`` -> sign (:func:`~renaissance.diagrams.polarity.link_polarities`).
    title : str
        Shown above the diagram.
    """
    colour = {loop.identifier: PALETTE[i % len(PALETTE)] for i, loop in enumerate(loops)}
    on_loops: dict[tuple[str, str], list[str]] = {}
    nodes: list[str] = []
    for loop in loops:
        nodes += loop.variables
        for link in loop.links():
            on_loops.setdefault(link, []).append(loop.identifier)
    nodes = list(dict.fromkeys(nodes))
    lines = [
        "digraph causal_loops {",
        f'  graph [layout=neato, overlap=false, sep="+14", splines=curved, mode=major, '
        f"fontname=Helvetica, label={quote(title)}, labelloc=t, fontsize=20, pad=0.3];",
        "  node [fontname=Helvetica, fontsize=11, shape=plaintext];",
        "  edge [arrowsize=0.7, fontname=Helvetica, fontsize=13, penwidth=1.2];",
    ]
    for key in nodes:
        variable = structure.variables[key]
        shape = 'shape=box, color="#1f4e79", ' if variable.kind == "stock" else ""
        lines.append(f"  {quote(key)} [{shape}label={quote(wrap(variable.name))}];")
    for (source, target), identifiers in on_loops.items():
        sign = SHOWN_SIGN.get(polarity.get((source, target), "0"), "?")
        colours = ":".join(colour[i] for i in identifiers)
        lines.append(
            f'  {quote(source)} -> {quote(target)} [color="{colours}", headlabel={quote(sign)}, '
            f'labeldistance=1.6, labelangle=-30, fontcolor="{colour[identifiers[0]]}", len=1.3];'
        )
    for loop in loops:
        marker = f"loop:{loop.identifier}"
        label = loop.identifier + ("" if loop.agrees else "\n(" + loop.polarity + "?)")
        lines.append(
            f'  {quote(marker)} [shape=circle, style=filled, fillcolor="#ffffff", '
            f'color="{colour[loop.identifier]}", fontcolor="{colour[loop.identifier]}", '
            f"penwidth=2, fontsize=14, label={quote(label)}, width=0.5, fixedsize=true];"
        )
        for key in loop.variables:
            lines.append(f"  {quote(marker)} -> {quote(key)} [style=invis, len=1.6, weight=0.4];")
    lines.append("}")
    return "\n".join(lines) + "\n"
