"""Stateful Vensim structures: INTEG, DELAY*, SMOOTH*, TREND, FORECAST, SAMPLE IF TRUE, INITIAL.

Each structure found in an expression becomes one :class:`Stateful` with its own state.
Continuous state ``y`` has shape ``(E, *sizes)`` or ``(E, *sizes, n)`` for n-stage
delays and smooths (stage axis last); its derivative is a pure function of ``y`` and
the run environment. Discrete state (``disc``: DELAY FIXED pipes, SAMPLE IF TRUE
samples, the DELAY N delay-time FIFO) changes once per step in :meth:`Stateful.prepare`,
from the values at the start of the step, and stays fixed inside RK stages.

Semantics follow PySD 3.14 (``py_backend/statefuls.py``) except that a DELAY1/DELAY3
order is never reduced when ``order * dt`` exceeds the delay time (Vensim keeps it; PySD
lowers it). DELAY N orders are lowered as both Vensim and PySD do. With an ensemble the
lowest order any member needs is used for all (members share one stage axis).
"""

from __future__ import annotations

import numpy as np
from pysd.translators.structures import abstract_expressions as ae

from renaissance.engine.errors import UnsupportedFeatureError
from renaissance.engine.functions import zidz
from renaissance.engine.nodes import Node, align, evaluator, hoist_operands


def _full(value: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    return np.array(np.broadcast_to(value, shape), dtype=float, order="C")


def _uniform_int(value: np.ndarray, what: str) -> int:
    values = np.unique(np.asarray(value))
    if len(values) != 1 or values[0] != int(values[0]) or values[0] < 1:
        raise UnsupportedFeatureError(
            f"{what} must be one positive whole number shared by all members, got {values}"
        )
    return int(values[0])


class Stateful:
    """Base class. ``args`` maps argument names to Nodes laid out along ``dims``."""

    init_args: tuple[str, ...] = ()
    output_args: tuple[str, ...] = ()
    deriv_args: tuple[str, ...] = ()
    continuous = True
    discrete = False
    dynamic = True
    sets_attributes = False
    """Whether :meth:`initialize` sets attributes of the stateful (its order), so that it
    runs at every initialisation even when its inputs are those of the last one."""

    def __init__(self, key: str, element: str, dims: tuple[str, ...], sizes, args: dict):
        self.key = key
        self.element = element
        self.dims = dims
        self.sizes = tuple(sizes)
        self.args = args
        self.f = {name: evaluator(node) for name, node in args.items()}

    def deps(self, names, attr: str) -> frozenset[str]:
        return frozenset().union(*(getattr(self.args[n], attr) for n in names))

    @property
    def init_deps(self) -> frozenset[str]:
        return self.deps(self.init_args + self.output_args, "init_deps")

    @property
    def output_deps(self) -> frozenset[str]:
        return self.deps(self.output_args, "step_deps")

    @property
    def deriv_deps(self) -> frozenset[str]:
        return self.deps(self.deriv_args + self.output_args, "step_deps")

    def shape(self, env) -> tuple[int, ...]:
        return (env["$E"], *self.sizes)

    def initialize(self, env):
        """Return ``(y, disc)`` at the initial time."""
        raise NotImplementedError

    def output(self, y, disc, env) -> np.ndarray:
        return y

    def derivative(self, y, disc, env):
        raise NotImplementedError

    def prepare(self, y, disc, env):
        """Discrete update at the start of a step; returns the new ``disc``."""
        return disc


class Integ(Stateful):
    init_args, deriv_args = ("initial",), ("flow",)

    def initialize(self, env):
        return _full(self.f["initial"](env), self.shape(env)), None

    def derivative(self, y, disc, env):
        return self.f["flow"](env)


class Initial(Stateful):
    init_args = ("initial",)
    continuous, dynamic = False, False

    def initialize(self, env):
        return None, _full(self.f["initial"](env), self.shape(env))

    def output(self, y, disc, env):
        return disc


class Delay(Stateful):
    """DELAY1/1I/3/3I: Vensim's stage chain with ``y_i = n * stage level``."""

    init_args, output_args, deriv_args = ("initial", "delay_time"), ("delay_time",), ("input",)

    def __init__(self, *args, order: int):
        super().__init__(*args)
        self.order = order

    def initialize(self, env):
        level = self.f["initial"](env) * self.f["delay_time"](env)
        y = _full(level[..., None], (*self.shape(env), self.order))
        return y, None

    def output(self, y, disc, env):
        return y[..., -1] / self.f["delay_time"](env)

    def derivative(self, y, disc, env):
        outflow = y / self.f["delay_time"](env)[..., None]
        inflow = np.empty_like(outflow, shape=np.broadcast_shapes(outflow.shape, y.shape))
        inflow[..., 0] = self.f["input"](env)
        inflow[..., 1:] = outflow[..., :-1]
        return self.order * (inflow - outflow)


class DelayN(Stateful):
    """DELAY N: stage chain whose stages use the delay times of the last n steps."""

    init_args, deriv_args = ("initial", "delay_time", "order"), ("input", "delay_time")
    discrete = True
    sets_attributes = True

    def initialize(self, env):
        self.order = _uniform_int(self.f["order"](env), f"DELAY N order in {self.element!r}")
        delay = self.f["delay_time"](env)
        # Vensim (canonical `delay_pipeline` output) and PySD lower a DELAY N order that
        # does not fit the delay time; DELAY3 keeps its order (canonical `arguments`).
        while self.order > 1 and self.order * env["$dt"] > np.min(delay):
            self.order -= 1
        shape = (*self.shape(env), self.order)
        y = _full((self.f["initial"](env) * delay)[..., None], shape)
        return y, _full(delay[..., None], shape)

    def output(self, y, disc, env):
        return y[..., -1] / disc[..., 0]

    def prepare(self, y, disc, env):
        times = np.empty_like(disc)
        times[..., 1:] = disc[..., :-1]
        times[..., 0] = self.f["delay_time"](env)
        return times

    def derivative(self, y, disc, env):
        outflow = y / disc
        inflow = np.empty_like(outflow)
        inflow[..., 0] = self.f["input"](env)
        inflow[..., 1:] = outflow[..., :-1]
        return self.order * (inflow - outflow)


class DelayFixed(Stateful):
    """DELAY FIXED: a pipe of ``round(D0 / dt)`` slots, read ``n`` steps later."""

    init_args, deriv_args = ("initial", "delay_time"), ("input",)
    continuous, discrete = False, True

    def initialize(self, env):
        slots = np.maximum(self.f["delay_time"](env) / env["$dt"], 1.0) + 1e-6
        n = _uniform_int(np.round(slots), f"DELAY FIXED length in {self.element!r}")
        init = _full(self.f["initial"](env), self.shape(env))
        return None, (_full(init[..., None], (*init.shape, n)), 0, init)

    def output(self, y, disc, env):
        return disc[2]

    def prepare(self, y, disc, env):
        pipe, pointer, _ = disc
        pipe[..., pointer] = self.f["input"](env)
        pointer = (pointer + 1) % pipe.shape[-1]
        return pipe, pointer, pipe[..., pointer].copy()


class Smooth(Stateful):
    """SMOOTH, SMOOTHI, SMOOTH3, SMOOTH3I, SMOOTH N: n first-order stages in series."""

    init_args, deriv_args = ("initial", "order"), ("input", "smooth_time")
    sets_attributes = True

    def initialize(self, env):
        self.order = _uniform_int(self.f["order"](env), f"SMOOTH order in {self.element!r}")
        y = _full(self.f["initial"](env)[..., None], (*self.shape(env), self.order))
        return y, None

    def output(self, y, disc, env):
        return y[..., -1]

    def derivative(self, y, disc, env):
        target = np.empty_like(y)
        target[..., 0] = self.f["input"](env)
        target[..., 1:] = y[..., :-1]
        return (target - y) * (self.order / self.f["smooth_time"](env)[..., None])


class Trend(Stateful):
    init_args = ("input", "average_time", "initial_trend")
    output_args, deriv_args = ("input", "average_time"), ("input", "average_time")

    def initialize(self, env):
        value = self.f["input"](env) / (
            1 + self.f["initial_trend"](env) * self.f["average_time"](env)
        )
        return _full(value, self.shape(env)), None

    def output(self, y, disc, env):
        x = self.f["input"](env)
        return zidz(x - y, self.f["average_time"](env) * np.abs(y))

    def derivative(self, y, disc, env):
        return (self.f["input"](env) - y) / self.f["average_time"](env)


class Forecast(Stateful):
    init_args = ("input", "initial_trend")
    output_args = ("input", "average_time", "horizon")
    deriv_args = ("input", "average_time")

    def initialize(self, env):
        value = self.f["input"](env) / (1 + self.f["initial_trend"](env))
        return _full(value, self.shape(env)), None

    def output(self, y, disc, env):
        x = self.f["input"](env)
        trend = zidz(x - y, self.f["average_time"](env) * y)
        return x * (1 + trend * self.f["horizon"](env))

    def derivative(self, y, disc, env):
        return (self.f["input"](env) - y) / self.f["average_time"](env)


class SampleIfTrue(Stateful):
    init_args, output_args = ("initial",), ("condition", "input")
    continuous, discrete = False, True

    def initialize(self, env):
        return None, _full(self.f["initial"](env), self.shape(env))

    def output(self, y, disc, env):
        return np.where(self.f["condition"](env) != 0, self.f["input"](env), disc)

    def prepare(self, y, disc, env):
        return _full(self.output(y, disc, env), disc.shape)


def build(ast, compile_arg, key: str, element: str, dims, sizes) -> Stateful:
    """Make the Stateful for one structure; ``compile_arg(ast) -> Node``."""

    def args(**fields):
        nodes = {name: align(compile_arg(a), dims) for name, a in fields.items()}
        return dict(zip(nodes, hoist_operands(list(nodes.values())), strict=True))

    common = (key, element, dims, sizes)
    if isinstance(ast, ae.IntegStructure):
        if ast.non_negative:
            raise UnsupportedFeatureError(f"non-negative stock {element!r} (XMILE)")
        return Integ(*common, args(flow=ast.flow, initial=ast.initial))
    if isinstance(ast, ae.InitialStructure):
        return Initial(*common, args(initial=ast.initial))
    if isinstance(ast, ae.DelayStructure):
        a = args(input=ast.input, delay_time=ast.delay_time, initial=ast.initial)
        return Delay(*common, a, order=int(ast.order))
    if isinstance(ast, ae.DelayNStructure):
        a = args(input=ast.input, delay_time=ast.delay_time, initial=ast.initial, order=ast.order)
        return DelayN(*common, a)
    if isinstance(ast, ae.DelayFixedStructure):
        a = args(input=ast.input, delay_time=ast.delay_time, initial=ast.initial)
        return DelayFixed(*common, a)
    if isinstance(ast, (ae.SmoothStructure, ae.SmoothNStructure)):
        a = args(input=ast.input, smooth_time=ast.smooth_time, initial=ast.initial, order=ast.order)
        return Smooth(*common, a)
    if isinstance(ast, ae.TrendStructure):
        a = args(input=ast.input, average_time=ast.average_time, initial_trend=ast.initial_trend)
        return Trend(*common, a)
    if isinstance(ast, ae.ForecastStructure):
        a = args(
            input=ast.input,
            average_time=ast.average_time,
            horizon=ast.horizon,
            initial_trend=ast.initial_trend,
        )
        return Forecast(*common, a)
    if isinstance(ast, ae.SampleIfTrueStructure):
        a = args(condition=ast.condition, input=ast.input, initial=ast.initial)
        return SampleIfTrue(*common, a)
    raise UnsupportedFeatureError(f"{type(ast).__name__} in {element!r}")


def node_for(stateful: Stateful) -> Node:
    """The Node through which expressions read a stateful's output."""
    key = stateful.key
    deps = frozenset({key})
    return Node(lambda env: env[key], stateful.dims, None, deps, deps, 0, key)
