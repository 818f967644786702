"""Fixed-step integrators with Vensim/PySD time semantics.

The loop is PySD's (``Model._integrate``): while ``t + 1e-5 dt < FINAL TIME``, record if
``t`` is a save time, step, advance ``t``; then record the last time if it is a save
time. Time is ``INITIAL TIME + k dt`` (:func:`clock`), not accumulated as PySD does:
``t += 0.0001`` drifts by rounding until save times are missed (4 of 60 years with
``dt = 0.0001``), while for a ``dt`` that is a power of two both are the same numbers
exactly. Only a TIME STEP that changes during the run is accumulated (it has no fixed
grid). A saved row holds the states at ``t`` and the auxiliaries
computed from them, so flows shown at ``t`` are the ones used to leave ``t``.

- ``euler``: all derivatives from the states at ``t``, applied at once.
- ``rk4``: classical Runge-Kutta; STEP/PULSE/RAMP/PULSE TRAIN see the time at the start
  of the step in every stage (``held`` time), and discrete states (DELAY FIXED, SAMPLE
  IF TRUE, the DELAY N FIFO) are updated once per step, from the start-of-step values.
"""

from __future__ import annotations

import numpy as np

from renaissance.engine.plan import Plan, RunState

RPREC = 1e-5
"""Relative precision of the final-time and save-time tests (PySD's ``Time.rprec``)."""


class Recorder:
    """Collects requested variables and per-member failure times at save times.

    Attributes
    ----------
    times : list of float
        Save times, rounded like PySD's output index.
    data : dict
        Key -> list (one per save time) of arrays of shape ``(E, *sizes)``.
    failed_at : ndarray of shape (E,)
        First save time at which a member's state was not finite (NaN if never).
    """

    def __init__(self, plan: Plan, state: RunState, keys: list[str]):
        self.plan = plan
        self.state = state
        self.keys = keys
        self.shapes = {k: (state.members, *plan.sizes(k)) for k in keys}
        self.times: list[float] = []
        # one flat row per save time holds every recorded variable (fewer allocations)
        self.slices = {}
        offset = 0
        for k in keys:
            size = int(np.prod(self.shapes[k]))
            self.slices[k] = (offset, offset + size, self.shapes[k])
            offset += size
        self.width = offset
        self.buffers: list[np.ndarray] = []
        self.failed_at = np.full(state.members, np.nan)
        self.decimals = -int(np.log10(state.dt * RPREC))

    def is_save_time(self, t: float) -> bool:
        delay = t - self.state.t0
        prec = self.state.dt * RPREC
        saveper = self.state.saveper
        return delay % saveper < prec or -delay % saveper < prec

    def record(self, t: float, y: list) -> None:
        env = self.state.env
        decimals = self.decimals
        if self.state.dynamic_controls:
            decimals = -int(np.log10(self.state.dt * RPREC))
        self.times.append(float(np.round(t, decimals)))
        row = len(self.times) - 1
        if row == len(self.buffers):
            self.buffers.append(np.empty(self.width))
        out = self.buffers[row]
        for key, (start, stop, shape) in self.slices.items():
            out[start:stop].reshape(shape)[...] = env[key]
        self._check(t, y)

    @property
    def data(self) -> dict[str, list[np.ndarray]]:
        """Key -> list (one per save time) of arrays ``(E, *sizes)``."""
        return {
            k: [row[a:b].reshape(shape) for row in self.buffers]
            for k, (a, b, shape) in self.slices.items()
        }

    def _check(self, t: float, y: list) -> None:
        bad = np.zeros(self.state.members, dtype=bool)
        for value in y:
            if value is not None:
                bad |= ~np.isfinite(value.reshape(value.shape[0], -1)).all(axis=1)
        self.failed_at[bad & np.isnan(self.failed_at)] = t


def step_count(t0: float, dt: float, final_time: float) -> int:
    """Number of steps of a run: the first ``k`` with ``t0 + k dt + RPREC dt >= FINAL TIME``."""
    if not final_time > t0 + dt * RPREC:
        return 0
    k = max(0, int(np.ceil((final_time - t0) / dt - RPREC)) - 1)
    while t0 + k * dt + dt * RPREC < final_time:
        k += 1
    while k > 0 and not t0 + (k - 1) * dt + dt * RPREC < final_time:
        k -= 1
    return k


def clock(t0: float, dt: float, final_time: float, saveper: float):
    """Times of a fixed-step run and which are save times.

    Returns
    -------
    times : ndarray of shape (steps + 1,)
        ``t0 + k dt`` for ``k = 0 … steps`` (:func:`step_count`), in model time units.
    saves : ndarray of bool, same shape
        Whether each time is a save time (within ``RPREC dt`` of ``t0 + j saveper``).
    """
    times = t0 + np.arange(step_count(t0, dt, final_time) + 1) * dt
    delay = times - t0
    precision = dt * RPREC
    saves = (np.mod(delay, saveper) < precision) | (np.mod(-delay, saveper) < precision)
    return times, saves


def save_times(state: RunState) -> list[float]:
    """Save times of a run, from the same clock as :func:`run_fixed`."""
    times, saves = clock(state.t0, state.dt, state.final_time, state.saveper)
    return [float(t) for t in times[saves]]


def _advance(y: list, k: list, h: float) -> list:
    return [v if d is None else v + d * h for v, d in zip(y, k, strict=True)]


def run_fixed(plan: Plan, state: RunState, keys: list[str], method: str = "euler") -> Recorder:
    """Integrate ``state`` to FINAL TIME with ``method`` ("euler" or "rk4")."""
    rec = Recorder(plan, state, keys)
    y, disc = state.y, state.disc
    t = state.t0
    steps = 0
    fixed_step = "time_step" not in state.dynamic_controls
    with np.errstate(all="ignore"):
        k1 = plan.rhs(state, t, y, disc, t)
        state.read_controls()
        while t + state.dt * RPREC < state.final_time:
            dt = state.dt
            if rec.is_save_time(t):
                rec.record(t, y)
            disc = plan.prepare(state, y, disc) if plan.discrete else disc
            if plan.discrete:
                k1 = plan.derivatives(state, y, disc)
            if method == "euler":
                y = _advance(y, k1, dt)
            else:
                k2 = plan.rhs(state, t + dt / 2, _advance(y, k1, dt / 2), disc, t)
                k3 = plan.rhs(state, t + dt / 2, _advance(y, k2, dt / 2), disc, t)
                k4 = plan.rhs(state, t + dt, _advance(y, k3, dt), disc, t)
                y = [
                    v if a is None else v + (a + 2 * b + 2 * c + d) * (dt / 6)
                    for v, a, b, c, d in zip(y, k1, k2, k3, k4, strict=True)
                ]
            steps += 1
            t = state.t0 + steps * dt if fixed_step else t + dt
            k1 = plan.rhs(state, t, y, disc, t)
            state.read_controls()
        if rec.is_save_time(t):
            rec.record(t, y)
    state.y, state.disc = y, disc
    return rec
