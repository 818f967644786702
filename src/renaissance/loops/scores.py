"""Loop scores over time: Loops that Matter.

Schoenberg, Davidsen & Eberlein (2020), "Understanding model behavior using the Loops
that Matter method", System Dynamics Review 36(2):158-190.

For a link ``x -> z`` between two computation intervals (``t - dt`` to ``t``):

- into an auxiliary (or any equation): the change of ``z`` that the change of ``x``
  alone makes, against the whole change of ``z``,
  ``LS = |Δx z / Δz| · sign(Δx z / Δx)``, where ``Δx z = z(x(t), others(t - dt)) -
  z(t - dt)``; 0 when ``z`` or ``x`` does not change;
- from a flow into its stock: the flow's share of the net flow,
  ``LS = ± |flow / net flow|`` (``+`` for an inflow, ``−`` for an outflow);
- into a stock or a stateful function (SMOOTH, DELAY, ...) whose rate is an expression
  rather than named flows: the score of ``x`` in that rate, computed as for an
  auxiliary, times the rate's score into its level (1, it is the only flow).

A loop's score is the product of the scores of its links; its *relative* score divides
it by the sum of the absolute scores of all loops considered at the same place
(district, region or nation), so the absolute relative scores sum to one. The loop with
the largest absolute relative score dominates. Scores are computed cell by cell for
loops whose variables all have the same subscripts; a loop that crosses scales
(district variables and national sums) has no cell-wise score and is reported as such.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from renaissance.engine.names import normalize


def link_score_series(trajectory, structure, source: str, target: str) -> np.ndarray:
    """Link score of ``source -> target`` at every step after the first.

    Returns
    -------
    ndarray of shape (steps, *target sizes)
    """
    plan = trajectory.plan
    envs, states = trajectory.environments, trajectory.states
    stock = structure.stocks.get(target)
    statefuls = [s for s in plan.statefuls if normalize(s.element) == target and s.continuous]
    out = []
    with np.errstate(all="ignore"):
        for k in range(1, len(envs)):
            previous, current = envs[k - 1], envs[k]
            if stock is not None and source in (*stock.inflows, *stock.outflows):
                sign = 1.0 if source in stock.inflows else -1.0
                net = _rate(plan, statefuls, states[k - 1], previous)
                score = sign * np.abs(_ratio(previous[source], net))
            else:
                score = _equation_score(plan, statefuls, target, source, previous, current,
                                        states[k - 1], states[k])  # fmt: skip
            out.append(np.asarray(score, dtype=float).reshape(np.shape(previous[target])))
    return np.concatenate(out, axis=0)


def _equation_score(plan, statefuls, target, source, previous, current, state_p, state_c):
    mixed = dict(previous)
    mixed[source] = current[source]
    change_x = np.asarray(current[source], float) - np.asarray(previous[source], float)
    partial = plan.fns[target](mixed) - previous[target]
    if np.any(partial != 0) or not statefuls:
        whole = np.asarray(current[target], float) - np.asarray(previous[target], float)
    else:  # the target is a level: score the input in its rate
        rate = _rate(plan, statefuls, state_p, previous)
        partial = _rate(plan, statefuls, state_p, mixed) - rate
        whole = _rate(plan, statefuls, state_c, current) - rate
    direction = np.sign(_aligned(change_x, partial))
    return np.abs(_ratio(partial, whole)) * np.sign(partial) * direction


def _rate(plan, statefuls, states, env) -> np.ndarray:
    """Sum of the rates of the target's statefuls (the first stage of a delay chain)."""
    y, disc = states
    total = 0.0
    for stateful in statefuls:
        i = plan.index[stateful.key]
        rate = np.asarray(stateful.derivative(y[i], disc[i], env), dtype=float)
        if rate.ndim > len(stateful.sizes) + 1:
            rate = rate[..., 0]
        total = total + rate
    return np.asarray(total, dtype=float)


def _aligned(change_x, like) -> np.ndarray:
    """The change of the source shaped like the target (its sum when scales differ)."""
    like = np.asarray(like)
    try:
        return np.broadcast_to(change_x, np.broadcast_shapes(change_x.shape, like.shape))
    except ValueError:
        return np.full(like.shape, change_x.sum())


def _ratio(numerator, denominator) -> np.ndarray:
    numerator = np.asarray(numerator, float)
    denominator = np.asarray(denominator, float)
    return np.where(denominator != 0, numerator / np.where(denominator != 0, denominator, 1), 0)


def loop_score_sets(trajectory, structure, loops) -> dict[tuple[str, ...], xr.Dataset]:
    """Loop scores grouped by the subscripts of their loops' variables.

    Returns
    -------
    dict
        Dims (``()`` for the nation, ``("District",)``, ...) -> Dataset with ``score``
        and ``relative_score`` over ``(loop, time, *dims)``, attributes ``polarity``
        and ``name`` per loop in coordinates ``loop_polarity``, ``loop_name``, and
        ``skipped``: loops that cross scales, with the reason.
    """
    plan = trajectory.plan
    groups: dict[tuple, list] = {}
    skipped = []
    for loop in loops:
        dims = {tuple(plan.variables[key].dims) for key in loop.variables}
        if len(dims) != 1:
            skipped.append(loop.identifier)
            continue
        groups.setdefault(dims.pop(), []).append(loop)
    times = trajectory.times[1:]
    result = {}
    for dims, members in groups.items():
        scores = []
        for loop in members:
            product = 1.0
            for source, target in loop.links():
                product = product * link_score_series(trajectory, structure, source, target)
            scores.append(np.asarray(product, float).reshape(len(times), -1)[:, :])
        sizes = [len(plan.subscripts.ranges[d]) for d in dims]
        array = np.stack([s.reshape(len(times), *sizes) for s in scores])
        total = np.abs(array).sum(axis=0)
        relative = np.where(total > 0, array / np.where(total > 0, total, 1), np.nan)
        coords = {"loop": [loop.identifier for loop in members], "time": times}
        for d in dims:
            coords[d] = list(plan.subscripts.ranges[d])
        dataset = xr.Dataset(
            {
                "score": (("loop", "time", *dims), array),
                "relative_score": (("loop", "time", *dims), relative),
            },
            coords=coords,
        )
        dataset = dataset.assign_coords(
            loop_polarity=("loop", [loop.polarity for loop in members]),
            loop_name=("loop", [loop.name for loop in members]),
        )
        dataset["score"].attrs = {"units": "dimensionless", "long_name": "loop score"}
        dataset["relative_score"].attrs = {
            "units": "dimensionless",
            "long_name": "loop score / sum of absolute loop scores at the same place",
        }
        dataset.attrs["skipped_loops"] = ", ".join(skipped)
        dataset.attrs["reference"] = "Schoenberg, Davidsen & Eberlein 2020, Syst. Dyn. Rev. 36(2)"
        result[dims] = dataset
    return result
