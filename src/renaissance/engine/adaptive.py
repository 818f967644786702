"""Adaptive integration with SciPy's ``solve_ivp`` (RK45, RK23, DOP853, LSODA, BDF, Radau).

How an ensemble is integrated
-----------------------------
``solve_ivp(vectorized=True)`` evaluates several *states* of one system at once; it does
not batch independent systems (scipy/scipy#13348). Two policies are offered:

- ``ensemble="member"`` (default): each member is integrated by its own ``solve_ivp``
  call, with its own step sizes and error control. Results equal single runs, and a
  member that fails (non-finite state, step size collapse) is reported without
  affecting the others. Cost grows linearly with E.
- ``ensemble="joint"``: all members form one system of E·n states and share every step.
  The step size is set by the hardest member, and SciPy's RMS error norm averages over
  members, so the per-member error can exceed ``rtol``/``atol`` by up to about sqrt(E);
  one failing member stops the whole integration. Faster for many similar members.

The times where STEP, PULSE, PULSE TRAIN or RAMP switch (evaluated once from their
arguments at the initial time) are integration breakpoints: each interval between them
is integrated separately, so no step straddles a discontinuity. In this mode STEP
switches exactly at its start time (no half-step rule: there is no fixed step).
Discrete structures (DELAY FIXED, SAMPLE IF TRUE, DELAY N) have no meaning without a
fixed step and are refused.
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy.integrate import solve_ivp

from renaissance.engine.errors import UnsupportedFeatureError
from renaissance.engine.functions import SMALL
from renaissance.engine.integrators import RPREC, save_times
from renaissance.engine.nodes import evaluator
from renaissance.engine.plan import Plan, RunState


def breakpoints(plan: Plan, state: RunState) -> np.ndarray:
    """Switching times of the model's time inputs inside ``(t0, final)``."""
    env = state.env
    found: list[float] = []
    horizon = state.final_time
    for name, nodes in getattr(plan, "breakpoints", ()):
        try:
            values = [np.asarray(evaluator(n)(env), dtype=float).ravel() for n in nodes]
        except KeyError:  # an argument changes during the run: nothing to precompute
            continue
        if name == "step":
            found.extend(values[1])
        elif name == "ramp":
            found.extend(values[1])
            if len(values) > 2:
                found.extend(values[2])
        elif name == "pulse":
            found.extend(values[0] - SMALL)  # PULSE starts 1e-6 early (Vensim's "small")
            found.extend(values[0] + values[1])
        elif name == "pulse_train":
            for start, interval, width, end in zip(*np.broadcast_arrays(*values), strict=True):
                count = (min(end, horizon) - start) / interval + 1 if interval > 0 else 1
                k = np.arange(0, max(count, 1))
                found.extend(start + np.asarray(k) * interval - SMALL)
                found.extend(start + np.asarray(k) * interval + width - SMALL)
                found.append(end)
    found_array = np.unique(np.asarray(found, dtype=float))
    inside = (found_array > state.t0) & (found_array < horizon)
    return found_array[inside & np.isfinite(found_array)]


def _member_state(state: RunState, member: int) -> RunState:
    def take(value):
        if isinstance(value, np.ndarray) and value.ndim and value.shape[0] == state.members > 1:
            return value[member : member + 1]
        return value

    env = {k: take(v) for k, v in state.env.items()}
    env["$E"] = 1
    y = [take(v) for v in state.y]
    return RunState(
        env,
        y,
        list(state.disc),
        1,
        state.t0,
        state.dt,
        state.final_time,
        state.saveper,
        state.step_order,
    )


def _integrate(plan, state, method, rtol, atol, times, cuts):
    """States at ``times`` (list of arrays per stateful) and the failure time (or NaN)."""
    cont = plan.continuous
    shapes = [state.y[i].shape for i in cont]
    sizes = [int(np.prod(s)) for s in shapes]
    splits = np.cumsum(sizes)[:-1]

    def unflatten(flat):
        y = list(state.y)
        for i, part, shape in zip(cont, np.split(flat, splits), shapes, strict=True):
            y[i] = part.reshape(shape)
        return y

    segment = [state.t0, state.final_time]

    def fun(t, flat):
        # time inputs are piecewise constant between breakpoints: evaluate them inside
        # the current interval so the end points see the one-sided (interval's) value
        a, b = segment
        nudge = (b - a) * 1e-12
        held = min(max(t, a + nudge), b - nudge)
        k = plan.rhs(state, t, unflatten(flat), state.disc, held)
        return np.concatenate(
            [np.broadcast_to(k[i], s).ravel() for i, s in zip(cont, shapes, strict=True)]
        )

    flat = np.concatenate([state.y[i].ravel() for i in cont]) if cont else np.zeros(0)
    bounds = [state.t0, *cuts, times[-1]]
    saved: dict[int, np.ndarray] = {}
    failure = np.nan
    pending = list(enumerate(times))
    for a, b in itertools.pairwise(bounds):
        last = b == bounds[-1]
        inside = [(j, t) for j, t in pending if t < b or (last and t <= b)]
        pending = pending[len(inside) :]
        if not cont:
            for j, _ in inside:
                saved[j] = flat
            continue
        t_eval = sorted({t for _, t in inside} | {b})
        segment[:] = [a, b]
        if b - a <= state.dt * RPREC:
            for j, _ in inside:
                saved[j] = flat
            continue
        sol = solve_ivp(fun, (a, b), flat, method=method, t_eval=t_eval, rtol=rtol, atol=atol)
        columns = dict(zip(sol.t, sol.y.T, strict=True))
        for j, t in inside:
            if t in columns:
                saved[j] = columns[t]
        if not sol.success or not np.isfinite(sol.y).all():
            failure = float(sol.t[-1]) if len(sol.t) else a
            break
        flat = columns[b]
    states = [unflatten(saved[j]) if j in saved else None for j in range(len(times))]
    return states, failure


def run_adaptive(
    plan: Plan,
    state: RunState,
    keys: list[str],
    method: str,
    rtol: float,
    atol: float,
    ensemble: str = "member",
):
    """Integrate with ``solve_ivp``; returns ``(times, data, failed_at)`` like the fixed loop."""
    if plan.discrete:
        names = sorted({plan.statefuls[i].element for i in plan.discrete})
        raise UnsupportedFeatureError(
            f"DELAY FIXED, SAMPLE IF TRUE and DELAY N need a fixed-step integrator "
            f"(used by {', '.join(names)})"
        )
    if state.dynamic_controls:
        raise UnsupportedFeatureError(
            "time-dependent TIME STEP, FINAL TIME or SAVEPER with an adaptive integrator"
        )
    if ensemble not in ("member", "joint"):
        raise ValueError(f"ensemble {ensemble!r} is not one of 'member', 'joint'")
    times = save_times(state)
    state.env["$dt"] = 0.0  # STEP switches at its start time: no half-step rule
    cuts = [c for c in breakpoints(plan, state) if state.t0 < c < times[-1]]
    decimals = -int(np.log10(state.dt * RPREC))
    groups = (
        [state] if ensemble == "joint" else [_member_state(state, m) for m in range(state.members)]
    )
    data = {k: [[] for _ in times] for k in keys}
    failed = np.full(state.members, np.nan)
    offset = 0
    with np.errstate(all="ignore"):
        for sub in groups:
            states, failure = _integrate(plan, sub, method, rtol, atol, times, cuts)
            members = sub.members
            for j, t in enumerate(times):
                if states[j] is None:
                    for k in keys:
                        data[k][j].append(np.full((members, *plan.sizes(k)), np.nan))
                    continue
                sub.env["time"] = sub.env["$tin"] = np.array([t])
                plan.evaluate(sub, states[j], sub.disc)
                for k in keys:
                    shape = (members, *plan.sizes(k))
                    data[k][j].append(np.array(np.broadcast_to(sub.env[k], shape), order="C"))
            failed[offset : offset + members] = failure
            offset += members
    merged = {k: [np.concatenate(parts) for parts in data[k]] for k in keys}
    rounded = [float(np.round(t, decimals)) for t in times]
    return rounded, merged, failed
