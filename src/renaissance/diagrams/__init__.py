"""Diagrams drawn from a model's own equations.

- :func:`read_structure`: stocks, flows, auxiliaries, links and sectors of a ``.mdl``;
- :func:`link_polarities`: the sign of every link at the baseline (fast engine);
- :func:`model_loops`: the loops the model names (or its shortest loops);
- :func:`draw_diagrams`: stock-and-flow views per sector and causal-loop diagrams as
  SVG and PNG.

See ``docs/diagrams.md``.
"""

from renaissance.diagrams.drawing import draw_diagrams as draw_diagrams
from renaissance.diagrams.loops import Loop as Loop
from renaissance.diagrams.loops import model_loops as model_loops
from renaissance.diagrams.polarity import link_polarities as link_polarities
from renaissance.diagrams.structure import ModelStructure as ModelStructure
from renaissance.diagrams.structure import read_structure as read_structure

__all__ = [
    "Loop",
    "ModelStructure",
    "draw_diagrams",
    "link_polarities",
    "model_loops",
    "read_structure",
]
