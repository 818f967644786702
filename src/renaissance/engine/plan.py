"""The compiled plan: evaluation orders plus the run-time state of one integration.

The right-hand side is :meth:`Plan.rhs`: the derivatives are a function of ``(t, y)``
and of the run's parameters (the constants fixed in the environment at initialisation)
only. The environment doubles as scratch space for the auxiliaries of the current
evaluation, which the recorder reads; nothing evaluated at one time leaks into another,
since every auxiliary that depends on time or state is recomputed in order each call.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from renaissance.engine.errors import ModelStructureError, UnsupportedFeatureError
from renaissance.engine.graph import MEMO_SIZE, TIME
from renaissance.engine.memo import remember
from renaissance.engine.nodes import evaluator
from renaissance.engine.params import Patch
from renaissance.engine.series import TimeSeries
from renaissance.engine.series import evaluator as series_evaluator

CONTROL = ("initial_time", "final_time", "time_step", "saveper")


def uniform_scalar(value, name: str) -> float:
    """The single value of a control variable shared by all members."""
    values = np.unique(np.asarray(value, dtype=float))
    if len(values) != 1:
        raise UnsupportedFeatureError(
            f"{name} must be the same for every ensemble member, got {values}"
        )
    return float(values[0])


@dataclass
class RunState:
    """Environment and states of one run. ``y[i]``/``disc[i]`` belong to stateful ``i``."""

    env: dict
    y: list
    disc: list
    members: int
    t0: float
    dt: float
    final_time: float
    saveper: float
    step_order: list
    dynamic_controls: tuple = ()
    run_specific: bool = False
    """Whether the step's functions carry this run's data (time series, cell patches of
    variables that change in time): then a traced tape cannot be reused by another run."""

    def read_controls(self) -> None:
        """Update TIME STEP, FINAL TIME and SAVEPER from the environment (dynamic ones)."""
        for key in self.dynamic_controls:
            value = uniform_scalar(self.env[key], key.upper())
            if key == "time_step":
                self.dt = value
                self.env["$dt"] = value
            elif key == "final_time":
                self.final_time = value
            else:
                self.saveper = value


class Plan:
    """Everything needed to integrate a model, fixed at compile time.

    Attributes
    ----------
    variables : dict
        Normalised key -> Variable (name, dims, units, kind).
    statefuls : list of Stateful
    orders : graph.Orders
    subscripts : Subscripts
    cell_counts : dict
        Key -> number of cells of the variable (the product of its dims' lengths).
    """

    def __init__(self, variables, statefuls, orders, subscripts, slots=None):
        self.variables = variables
        self.statefuls = statefuls
        self.orders = orders
        self.subscripts = subscripts
        self.index = {s.key: i for i, s in enumerate(statefuls)}
        self.fns = {v.key: evaluator(v.node) for v in variables.values() if v.kind == "aux"}
        self.fns.update({slot: evaluator(node) for slot, node in (slots or {}).items()})
        self.continuous = [i for i, s in enumerate(statefuls) if s.continuous]
        self.discrete = [i for i, s in enumerate(statefuls) if s.discrete]
        self.cell_counts = {key: int(np.prod(self.sizes(key))) for key in variables}
        self._step_orders: dict = {}  # see initialize
        self.baseline: Baseline | None = None
        """The initialisation of one member with no overrides (see :meth:`initialize`)."""
        self.always_initialised = {s.key for s in statefuls if s.discrete or s.sets_attributes}

    @property
    def has_discrete(self) -> bool:
        return bool(self.discrete)

    def sizes(self, key: str) -> tuple[int, ...]:
        var = self.variables[key]
        return tuple(len(self.subscripts.ranges[d]) for d in var.dims)

    # -- initialisation ----------------------------------------------------------------
    def initialize(
        self, members: int, overrides: dict, required: set[str], initial: dict | None = None
    ) -> RunState:
        """Evaluate the model at the initial time for ``members`` ensemble members.

        Parameters
        ----------
        members : int
            Ensemble size E.
        overrides : dict
            Variable key -> array of shape ``(E or 1, *sizes)`` replacing its equation,
            :class:`~renaissance.engine.params.Patch` changing some cells, or
            :class:`~renaissance.engine.series.TimeSeries` making it a function of time.
        required : set of str
            Keys that must be evaluated every step (the returned variables).
        initial : dict, optional
            Stateful key -> initial state replacing the model's initial value (stocks).
        """
        initial = initial or {}
        env = {"$E": members, "$initialising": True}
        y = [None] * len(self.statefuls)
        disc = [None] * len(self.statefuls)
        done: set[str] = set()
        baseline = self.baseline if members == 1 else None
        if baseline is not None:
            for key in baseline.reusable(self, overrides, initial):
                env[key] = baseline.env[key]
                done.add(key)
                if key in self.index:
                    i = self.index[key]
                    y[i], disc[i] = baseline.y[i], baseline.disc[i]
        deps = self.orders.init_deps
        series_functions = {
            key: series_evaluator(key)
            for key, value in overrides.items()
            if isinstance(value, TimeSeries)
        }

        def run(keys):
            for key in self.orders.init_order:
                if key in keys and key not in done:
                    done.add(key)
                    override = overrides.get(key)
                    if isinstance(override, TimeSeries):
                        if "time" not in env:
                            raise UnsupportedFeatureError(
                                f"a time series for {override.name!r}, which INITIAL TIME "
                                "depends on"
                            )
                        env.update(override.environment(key))
                        env[key] = series_functions[key](env)
                    elif override is not None and not isinstance(override, Patch):
                        env[key] = override
                    elif key in self.index:
                        i = self.index[key]
                        y[i], disc[i] = self.statefuls[i].initialize(env)
                        if key in initial:
                            start = initial[key]
                            if isinstance(start, Patch):
                                y[i] = start.apply(y[i], members)
                            else:
                                y[i] = np.array(np.broadcast_to(start, y[i].shape), order="C")
                            env[key] = self.statefuls[i].output(y[i], disc[i], env)
                        env[key] = self.statefuls[i].output(y[i], disc[i], env)
                    else:
                        env[key] = self.fns[key](env)
                        if override is not None:
                            env[key] = override.apply(env[key], members)

        try:
            run(self.orders.closure({"initial_time"}, deps))
        except KeyError as err:
            raise UnsupportedFeatureError("INITIAL TIME depends on Time") from err
        t0 = uniform_scalar(env["initial_time"], "INITIAL TIME")
        env["time"] = env["$tin"] = np.array([t0])
        run(self.orders.closure({"time_step"}, deps))
        dt = uniform_scalar(env["time_step"], "TIME STEP")
        env["$dt"] = dt
        run(self.orders.closure({"final_time", "saveper"}, deps))
        final = uniform_scalar(env["final_time"], "FINAL TIME")
        saveper = uniform_scalar(env["saveper"], "SAVEPER")
        run(set(self.orders.init_order))
        env["$initialising"] = False
        if self.baseline is None and members == 1 and not overrides and not initial:
            self.baseline = Baseline(self, env, y, disc)

        # A Patch changes some cells of a computed value: the variable keeps its own
        # dynamics (the patch is re-applied after every evaluation below); values and
        # series replace the variable as a whole.
        patches = {k: v for k, v in overrides.items() if isinstance(v, Patch)}
        dynamic = self.orders.dynamic(
            set(overrides) - set(series_functions) - set(patches), set(series_functions)
        )
        if "initial_time" in dynamic:
            raise UnsupportedFeatureError("time-dependent INITIAL TIME")
        if not all(np.isfinite(v) for v in (t0, dt, final, saveper)):
            raise ModelStructureError(
                f"INITIAL TIME ({t0}), FINAL TIME ({final}), TIME STEP ({dt}) and SAVEPER "
                f"({saveper}) must be finite numbers"
            )
        if dt <= 0 or saveper <= 0:
            raise ModelStructureError(f"TIME STEP ({dt}) and SAVEPER ({saveper}) must be > 0")
        if final < t0:
            raise ModelStructureError(
                f"FINAL TIME ({final:g}) is before INITIAL TIME ({t0:g}); a run goes forward "
                "in time"
            )
        # TIME STEP, FINAL TIME and SAVEPER may change during the run (PySD re-reads
        # them every step); all members share them, since they share one clock
        controls = tuple(k for k in ("time_step", "final_time", "saveper") if k in dynamic)
        if patches or series_functions:
            step_order = self._step_order(dynamic, controls, required, series_functions,
                                          patches, members)  # fmt: skip
        else:  # the same for every run that overrides the same keys (a slider, a sweep)
            remembered = remember(
                self._step_orders,
                (frozenset(overrides), frozenset(required)),
                lambda: tuple(self._step_order(dynamic, controls, required, {}, {}, members)),
                MEMO_SIZE,
            )
            step_order = list(remembered)
        run_specific = bool(patches or series_functions) and any(
            key in series_functions or (key in patches and i is None) for key, i, _ in step_order
        )
        return RunState(
            env, y, disc, members, t0, dt, final, saveper, step_order, controls, run_specific
        )

    def _step_order(self, dynamic, controls, required, series_functions, patches, members):
        """``(key, stateful index or None, function)`` of everything a step evaluates."""
        needed = set(required) | set(controls)
        for s in self.statefuls:
            needed |= self.orders.deriv_deps[s.key] | {s.key}
        needed = self.orders.closure(needed, self.orders.step_deps) & dynamic
        step_order = []
        for key in self.orders.step_order:
            if key in needed:
                fn = series_functions.get(key) or self.fns.get(key)
                unwrapped = getattr(fn, "unwrapped", None)
                fn = (unwrapped and unwrapped()) or fn
                if key in patches and key not in self.index:
                    fn = _patched(fn, patches[key], members)
                step_order.append((key, self.index.get(key), fn))
        return step_order

    # -- one evaluation ----------------------------------------------------------------
    def evaluate(self, state: RunState, y: list, disc: list) -> None:
        """Compute every needed auxiliary and stateful output from ``y`` at ``env['time']``."""
        env = state.env
        statefuls = self.statefuls
        for key, i, fn in state.step_order:
            if i is None:
                env[key] = fn(env)
            else:
                env[key] = statefuls[i].output(y[i], disc[i], env)

    def derivatives(self, state: RunState, y: list, disc: list) -> list:
        """d y / dt of every continuous state (None for the others), from the current env."""
        out = [None] * len(y)
        env = state.env
        for i in self.continuous:
            out[i] = self.statefuls[i].derivative(y[i], disc[i], env)
        return out

    def prepare(self, state: RunState, y: list, disc: list) -> list:
        """Discrete updates at the start of a step (DELAY FIXED, SAMPLE IF TRUE, DELAY N)."""
        new = list(disc)
        for i in self.discrete:
            new[i] = self.statefuls[i].prepare(y[i], disc[i], state.env)
        return new

    def rhs(self, state: RunState, t: float, y: list, disc: list, held_time: float) -> list:
        """Right-hand side: derivatives at time ``t`` of states ``y`` (see module doc).

        ``held_time`` is the time seen by STEP, PULSE, RAMP and PULSE TRAIN (the start of
        the step inside RK stages).
        """
        env = state.env
        env["time"] = np.array([t])
        env["$tin"] = np.array([held_time])
        self.evaluate(state, y, disc)
        return self.derivatives(state, y, disc)


class Baseline:
    """The initial values of one member with the model's own equations, kept for reuse.

    Most runs change a few constants (a scenario's levers, a slider, the time step).
    A value at the initial time is a pure function of the values it depends on in the
    initialisation graph, so a run of one member recomputes only what depends on what it
    changes (:meth:`Plan.initialize`) and takes the rest from here. The arrays are made
    read-only: they are shared by every such run, and a write would corrupt the others.

    Parameters
    ----------
    plan : Plan
    env : dict
        Key -> value at the initial time, as :meth:`Plan.initialize` computed it.
    y, disc : list
        Continuous and discrete state of every stateful.
    """

    def __init__(self, plan: Plan, env: dict, y: list, disc: list):
        keys = set(plan.orders.init_order)
        self.env = {k: _frozen(v) for k, v in env.items() if k in keys}
        self.y = [_frozen(v) for v in y]
        self.disc = [_frozen(v) for v in disc]

    def reusable(self, plan: Plan, overrides: dict, initial: dict) -> set[str]:
        """Keys whose initial value does not depend on anything ``overrides`` or
        ``initial`` change (an override equal to the model's value changes nothing)."""
        changed = set(initial)
        for key, value in overrides.items():
            own = self.env.get(key)
            if (
                type(value) is not np.ndarray
                or own is None
                or value.shape != own.shape
                or not np.array_equal(value, own)
            ):
                changed.add(key)
        if "initial_time" in changed:  # the clock moves: whatever reads it changes
            changed.add(TIME)
        changed = plan.orders.init_dependents(changed) | plan.always_initialised
        return set(self.env) - changed


def _frozen(value):
    """``value`` made read-only if it is an array (other values are left as they are)."""
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    return value


def _patched(fn, patch: Patch, members: int):
    """``fn`` followed by the cell changes of ``patch`` (for a variable that changes in time)."""

    def evaluate(env):
        return patch.apply(fn(env), members)

    return evaluate
