"""Polarity of every causal link, from the equations, with the fast engine.

The polarity of a link ``x -> y`` is the sign of the partial derivative
``∂y/∂x`` (for a stock, of ``∂(net rate)/∂x``), all other inputs of ``y`` held at
their values (Richardson 1995, "Loop polarity, loop dominance, and the concept of
dominant polarity", System Dynamics Review 11(1), doi:10.1002/sdr.4260110105). It is
computed numerically: the model is run once on the engine's numpy plan (Euler, the
model's own parameters), and at several saved times each equation is evaluated again
with one input raised by a small step, everything else in the environment unchanged.

A subscripted link gathers the signs of all cells: ``+`` when no cell falls, ``−`` when
no cell rises, ``±`` when cells move both ways or the sign changes in time, ``0`` when
the link has no effect at any of the times (a switch that is off in the baseline, a
``MAX(0, …)`` that is clipped): its polarity is then undetermined at the baseline.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from renaissance.diagrams.structure import ModelStructure
from renaissance.engine.names import normalize

STEP = 1e-6
"""Relative size of the perturbation (of ``max(|x|, 1)``)."""
TOLERANCE = 1e-9
"""Smallest change of ``y``, relative to ``max(|y|, |Δy| from other cells, 1e-12)``, that
counts as an effect (the perturbation changes y by about 1e-6 of its size)."""
SAMPLES = 6
"""Saved times at which partial derivatives are taken (spread over the run)."""
SIGNS = ("+", "−", "±", "0")


def link_polarities(structure: ModelStructure, samples: int = SAMPLES) -> dict:
    """Polarity of every dynamic link of a model.

    Parameters
    ----------
    structure : ModelStructure
        From :func:`~renaissance.diagrams.structure.read_structure`.
    samples : int
        Number of times of the baseline run at which the derivatives are taken.

    Returns
    -------
    dict
        ``(source, target)`` normalised names -> one of ``"+"``, ``"−"``, ``"±"``,
        ``"0"`` (see the module docstring). Links from or to lookups and data are left
        out.
    """
    plan = _plan(structure.path)
    snapshots = _snapshots(plan, samples)
    by_element: dict[str, list] = {}
    for stateful in plan.statefuls:
        by_element.setdefault(normalize(stateful.element), []).append(stateful)
    polarity = {}
    for link in structure.dynamic_links():
        source, target = link.source, link.target
        if source not in plan.variables or plan.variables[source].kind != "aux":
            continue
        if target not in plan.fns:
            continue
        rises = falls = False
        for env, states in snapshots:
            for change in _changes(plan, env, states, source, target, by_element):
                rises |= change > 0
                falls |= change < 0
        polarity[(source, target)] = (
            "±" if rises and falls else "+" if rises else "−" if falls else "0"
        )
    return polarity


def _plan(path: Path):
    from renaissance.engine.compiler import ModelCompiler
    from renaissance.engine.model import read_abstract_model

    plan = ModelCompiler(read_abstract_model(path)).build(hoist=False)
    return plan


def _snapshots(plan, samples: int) -> list[tuple[dict, list]]:
    """Environment and states at ``samples`` save-step times of an Euler baseline run."""
    required = {k for k, v in plan.variables.items() if v.kind == "aux"}
    with np.errstate(all="ignore"):
        state = plan.initialize(1, {}, required)
        steps = max(round((state.final_time - state.t0) / state.dt), 1)
        wanted = set(np.linspace(0, steps - 1, samples).round().astype(int).tolist())
        y, disc = state.y, state.disc
        t = state.t0
        snapshots = []
        k1 = plan.rhs(state, t, y, disc, t)
        for step in range(steps):
            if step in wanted:
                snapshots.append((dict(state.env), (list(y), list(disc))))
            if plan.discrete:
                disc = plan.prepare(state, y, disc)
                k1 = plan.derivatives(state, y, disc)
            y = [v if d is None else v + d * state.dt for v, d in zip(y, k1, strict=True)]
            t = t + state.dt
            k1 = plan.rhs(state, t, y, disc, t)
    return snapshots


def _changes(plan, env, states, source, target, by_element):
    """Signed changes of ``target`` (or of its states' rates) when ``source`` rises."""
    value = np.asarray(env[source], dtype=float)
    if not np.all(np.isfinite(value)):
        return
    raised = dict(env)
    raised[source] = value + STEP * np.maximum(np.abs(value), 1.0)
    with np.errstate(all="ignore"):
        direct = _difference(plan.fns[target](env), plan.fns[target](raised))
        if direct is not None and np.any(direct != 0):
            yield from direct[direct != 0]
            return
        y, disc = states
        for stateful in by_element.get(target, ()):
            if not stateful.continuous:
                continue
            i = plan.index[stateful.key]
            before = stateful.derivative(y[i], disc[i], env)
            after = stateful.derivative(y[i], disc[i], raised)
            change = _difference(before, after)
            if change is not None:
                yield from change[change != 0]


def _difference(before, after) -> np.ndarray | None:
    before, after = np.broadcast_arrays(np.asarray(before, float), np.asarray(after, float))
    change = after - before
    finite = np.isfinite(change)
    if not finite.any():
        return None
    change = np.where(finite, change, 0.0)
    scale = np.maximum(np.abs(before), 1e-12)
    change[np.abs(change) <= TOLERANCE * scale] = 0.0
    return np.sign(change).ravel()
