"""Read a Vensim sketch back: the objects of each view and the arrows between them.

Variable lines are parsed with PySD's own sketch grammar and visitor
(``pysd.translators.vensim.vensim_file.SketchVisitor``, which also tells shadows from
placed variables); arrows, valves and clouds, which PySD's visitor skips, are read from
their comma-separated fields (see :mod:`renaissance.diagrams.sketch` for the layout).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from renaissance.engine.names import normalize

POINT = re.compile(r"\|\((-?\d+),(-?\d+)\)\|")
"""The first point of an arrow's point list, ``|(x,y)|``: its control point."""


@dataclass
class View:
    """One view of a sketch.

    Attributes
    ----------
    name : str
    placed : list of str
        Normalised names of the variables placed here (not shadows), once per placement.
    shadows : list of str
    arrows : list of (str, str)
        Information arrows as (source, target) normalised names.
    pipes : list of (str, str)
        Pipes as (flow, stock or "cloud") from valves.
    positions : dict
        Object id -> (x, y, kind, label) for drawing the view.
    connections : list of (str, str, str, int)
        (from id, to id, kind, polarity character code or 0); kind is ``"arrow"``,
        ``"pipe to"`` (from a valve to the stock or cloud it fills) or ``"pipe from"``
        (from a valve to the stock or cloud it drains).
    """

    name: str
    placed: list[str] = field(default_factory=list)
    shadows: list[str] = field(default_factory=list)
    arrows: list[tuple[str, str]] = field(default_factory=list)
    pipes: list[tuple[str, str]] = field(default_factory=list)
    positions: dict = field(default_factory=dict)
    connections: list = field(default_factory=list)
    bends: dict = field(default_factory=dict)
    """(from id, to id) -> the arrow's control point (x, y)."""


def read_sketch(path) -> list[View]:
    """The views of the sketch section of the ``.mdl`` file ``path``."""
    from pysd.translators.vensim import vensim_utils
    from pysd.translators.vensim.vensim_file import SketchVisitor, VensimFile

    sketch = VensimFile(Path(path).resolve()).sketch  # PySD's split of the file
    grammar = vensim_utils.Grammar.get("sketch")
    views: list[View] = []
    objects: dict[str, str] = {}
    valve_flow: dict[str, str] = {}
    pending: list[list[str]] = []

    def finish():
        for fields in pending:
            source, target = objects.get(fields[2]), objects.get(fields[3])
            pipe = fields[4] in ("4", "100")  # a pipe, drawn from a valve to each end
            if pipe:
                views[-1].pipes.append((valve_flow.get(fields[2], "?"), target or "?"))
            elif source and target:
                views[-1].arrows.append((source, target))
            code = int(fields[6]) if fields[6].isdigit() else 0
            kind = {"4": "pipe to", "100": "pipe from"}.get(fields[4], "arrow")
            point = POINT.search(",".join(fields))
            if point:
                views[-1].bends[(fields[2], fields[3])] = (int(point[1]), int(point[2]))
            views[-1].connections.append((fields[2], fields[3], kind, code))
        pending.clear()
        objects.clear()
        valve_flow.clear()

    last_valve = None
    for line in sketch.splitlines():
        line = line.strip()
        if not line:
            continue
        parsed = SketchVisitor(grammar.parse(line))
        if parsed.view_name:
            if views:
                finish()
            views.append(View(parsed.view_name.strip()))
            continue
        fields = line.split(",")
        if fields[0] == "10" and views:
            key = normalize(fields[2])
            objects[fields[1]] = key
            if parsed.variable_name:
                views[-1].placed.append(key)
            else:
                views[-1].shadows.append(key)
            if fields[7] == "40" and last_valve is not None:  # a flow's name on its valve
                valve_flow[last_valve] = key
                objects[last_valve] = key
            kind = {"3": "stock", "40": "flow"}.get(fields[7], "auxiliary")
            kind = kind if parsed.variable_name else "shadow"
            views[-1].positions[fields[1]] = (int(fields[3]), int(fields[4]), kind, fields[2])
        elif fields[0] == "11" and views:
            last_valve = fields[1]
            views[-1].positions[fields[1]] = (int(fields[3]), int(fields[4]), "valve", "")
        elif fields[0] == "12" and views:
            objects[fields[1]] = "cloud"
            views[-1].positions[fields[1]] = (int(fields[3]), int(fields[4]), "cloud", "")
        elif fields[0] == "1" and views:
            pending.append(fields)
    if views:
        finish()
    return views
