"""A run that keeps every value of every step: what link scores are computed from.

The model is compiled without hoisting (:meth:`ModelCompiler.build` with
``hoist=False``), so that an equation reads its inputs from the environment and can be
evaluated again with some inputs taken from another time. The run is Euler on the
engine's numpy plan, with the parameter overrides a scenario gives (any form
:meth:`renaissance.engine.Model.run` accepts).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass
class Trajectory:
    """Environments and states at every step of one Euler run.

    Attributes
    ----------
    plan : renaissance.engine.plan.Plan
        The un-hoisted plan the run used.
    times : ndarray of shape (steps + 1,)
    environments : list of dict
        Key -> array ``(1, *sizes)`` at each time (auxiliaries and stateful outputs).
    states : list of (list, list)
        Continuous and discrete states of every stateful at each time.
    dt : float
    """

    plan: object
    times: np.ndarray
    environments: list
    states: list
    dt: float


def record_run(model_file, params=None, dt=None, final_time=None) -> Trajectory:
    """Run the model in ``model_file`` with Euler and keep every step.

    Parameters
    ----------
    model_file : str or pathlib.Path
    params : dict, optional
        Parameter overrides (names as in the model).
    dt, final_time : float, optional
        TIME STEP and FINAL TIME overrides.
    """
    from renaissance.engine.compiler import ModelCompiler
    from renaissance.engine.model import Model, read_abstract_model

    model_file = Path(model_file)
    plan = ModelCompiler(read_abstract_model(model_file)).build(hoist=False)
    model = Model(model_file, plan, backend="numpy")
    overrides = model._overrides(params, ensemble=False)
    for key, value in (("time_step", dt), ("final_time", final_time)):
        if value is not None:
            overrides[key] = np.array([float(value)])
    required = {k for k, v in plan.variables.items() if v.kind == "aux"}
    with np.errstate(all="ignore"):
        state = plan.initialize(1, overrides, required)
        y, disc = state.y, state.disc
        t = state.t0
        k1 = plan.rhs(state, t, y, disc, t)
        times, environments, states = [], [], []
        while True:
            times.append(t)
            environments.append(dict(state.env))
            states.append((list(y), list(disc)))
            if not t + state.dt * 1e-5 < state.final_time:
                break
            if plan.discrete:
                disc = plan.prepare(state, y, disc)
                k1 = plan.derivatives(state, y, disc)
            y = [v if d is None else v + d * state.dt for v, d in zip(y, k1, strict=True)]
            t = t + state.dt
            k1 = plan.rhs(state, t, y, disc, t)
    return Trajectory(plan, np.asarray(times), environments, states, state.dt)
