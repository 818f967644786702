"""Loop dominance: loop scores over time by the Loops that Matter method.

- :func:`record_run`: a run that keeps every step;
- :func:`loop_score_sets`: link scores, loop scores and relative loop scores;
- :func:`scenario_loop_dominance`: the named loops of a scenario's run.

See ``docs/diagrams.md``.
"""

from renaissance.loops.dominance import LoopDominance as LoopDominance
from renaissance.loops.dominance import scenario_loop_dominance as scenario_loop_dominance
from renaissance.loops.scores import link_score_series as link_score_series
from renaissance.loops.scores import loop_score_sets as loop_score_sets
from renaissance.loops.trajectory import Trajectory as Trajectory
from renaissance.loops.trajectory import record_run as record_run

__all__ = [
    "LoopDominance",
    "Trajectory",
    "link_score_series",
    "loop_score_sets",
    "record_run",
    "scenario_loop_dominance",
]
